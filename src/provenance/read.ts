import { containerName, sniffC2paFormat, SNIFF_BYTES } from './format';
import type { ProvenanceRead } from './types';
import { describeC2paError } from './describe';

// The app's entry to reading content credentials. It never rejects: a file whose credentials
// cannot be read gets { status: 'error' }, and the check goes on. c2pa-web (its 8 MB WASM and
// its worker) is imported only when a file that can carry credentials is checked.

/** Longer than this and the read is given up (a first read compiles the WASM). */
const READ_TIMEOUT_MS = 30_000;

export async function readProvenance(file: Blob, fileName: string): Promise<ProvenanceRead> {
  try {
    const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
    const format = sniffC2paFormat(head);
    if (!format) return { status: 'none', reason: 'unsupported-format', format: containerName(head, fileName) };
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`reading took longer than ${READ_TIMEOUT_MS / 1000} s`)), READ_TIMEOUT_MS);
    });
    try {
      const { readContentCredentials } = await import('./read-browser');
      return await Promise.race([readContentCredentials(file, format), timeout]);
    } finally {
      clearTimeout(timer);
    }
  } catch (e) {
    return { status: 'error', message: `The content credentials (C2PA) of this file could not be read: ${describeC2paError(e)}.` };
  }
}
