import { describe, expect, it } from 'vitest';
import { emptyMetadata, type WorkMetadata } from '../../src/core/metadata';
import type { WorkMeta } from '../../src/core/types';
import { foldForSearch, searchWords, workMatches } from '../../src/core/work-search';

const work = (patch: Partial<WorkMeta> = {}): WorkMeta => ({
  id: 'w1', title: 'Café de Nuit', durationSec: 30, addedAt: 0, sourceName: 'cafe-final-v3.wav', ...patch,
});
const meta = (patch: Partial<WorkMetadata> = {}): WorkMetadata => ({
  ...emptyMetadata('w1'),
  creators: [{ name: 'Ana Müller', role: 'composer', splitPercent: 50 }, { name: 'Joe Bloggs', role: 'lyricist', splitPercent: 50 }],
  isrc: 'US-RC1-76-07839',
  iswc: 'T-034.524.680-1',
  release: 'Night Songs EP',
  ...patch,
});
/** (null: a work with no rights metadata recorded.) */
const finds = (query: string, w = work(), m: WorkMetadata | null = meta()) => workMatches(w, m ?? undefined, searchWords(query));

describe('finding a work in the catalog', () => {
  it('matches every work on a blank search', () => {
    expect(searchWords('  \t ')).toEqual([]);
    expect(finds('')).toBe(true);
    expect(finds('', work(), null)).toBe(true);
  });

  it('finds by title and file name, whatever the case and accents', () => {
    expect(finds('café')).toBe(true);
    expect(finds('CAFE nuit')).toBe(true);
    expect(finds('final-v3')).toBe(true);
    expect(foldForSearch('Émilie Ångström')).toBe('emilie angstrom');
  });

  it('needs every word to match somewhere', () => {
    expect(finds('cafe müller')).toBe(true); // title + creator
    expect(finds('cafe jazz')).toBe(false);
    expect(finds('midnight')).toBe(false);
  });

  it('finds by creator and release', () => {
    expect(finds('bloggs')).toBe(true);
    expect(finds('muller')).toBe(true);
    expect(finds('night songs')).toBe(true);
    expect(finds('bloggs', work(), null)).toBe(false);
  });

  it('finds by ISRC and ISWC written with or without separators', () => {
    expect(finds('USRC17607839')).toBe(true);
    expect(finds('us-rc1-76-07839')).toBe(true);
    expect(finds('T0345246801')).toBe(true);
    expect(finds('034.524')).toBe(true);
    expect(finds('USRC17607840')).toBe(false);
    // A work without codes is not found by a code.
    expect(finds('USRC17607839', work(), meta({ isrc: '', iswc: '' }))).toBe(false);
  });
});
