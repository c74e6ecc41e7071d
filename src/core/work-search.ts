// Finding works in a big catalog (label staff keep thousands): a search typed on the Catalog
// screen matches a work when every word of it appears in something a person would search the
// work by — its title, the file it came from, its creators, its release, its ISRC or ISWC.
import type { WorkMeta } from './types';
import type { WorkMetadata } from './metadata';

/** Lower case, accents dropped (é → e), so "cafe" finds "Café". */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Codes are written with and without hyphens and dots (US-RC1-76-07839, USRC17607839). */
function compactCode(code: string): string {
  return code.replace(/[-.\s]/g, '').toLowerCase();
}

/** The words of a search, folded; none for a blank one. */
export function searchWords(query: string): string[] {
  return foldForSearch(query).split(/\s+/).filter(Boolean);
}

/** Whether a work matches every word of a search (a blank search matches every work). */
export function workMatches(work: WorkMeta, metadata: WorkMetadata | undefined, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text = foldForSearch([
    work.title,
    work.sourceName,
    ...(metadata?.creators.map((c) => c.name) ?? []),
    metadata?.release ?? '',
  ].join('\n'));
  const codes = metadata ? [metadata.isrc, metadata.iswc].filter(Boolean).map(compactCode) : [];
  return words.every((w) => text.includes(w) || codes.some((c) => c.includes(compactCode(w))));
}
