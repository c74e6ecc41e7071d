import { InputError } from '../core/validate';
import { CatalogFileError } from '../core/catalog-file';
import { StorageFullError } from '../storage/works';

/** A message a person can act on, for any error the pipeline throws. */
export function messageFor(e: unknown): string {
  if (e instanceof InputError || e instanceof CatalogFileError || e instanceof StorageFullError) return e.message;
  const err = e as Error;
  if (err?.name === 'InputError' || err?.name === 'CoreError') return err.message;
  return `Something went wrong: ${err?.message ?? String(e)}. Nothing was changed; reload the page and try again.`;
}

export function isAbort(e: unknown): boolean {
  return (e as Error)?.name === 'AbortError';
}
