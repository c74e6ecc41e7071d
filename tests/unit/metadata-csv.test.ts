import { describe, expect, it } from 'vitest';
import { formatMetadataCsv, parseMetadataCsv } from '../../src/report/metadata-csv';
import { formatCsv, parseCsv } from '../../src/report/csv';
import { CREATOR_ROLES, CLEARANCE_STATUSES, emptyMetadata, type WorkMetadata } from '../../src/core/metadata';

// A small deterministic generator, so the round trip covers many shapes of data.
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const NASTY = ['plain', 'comma, inside', 'quote " inside', 'line\nbreak', 'crlf\r\nbreak', ' leading space', 'ünïcödé — “smart”', '=1+2'];

function iswcFor(digits: string): string {
  let s = 1;
  for (let i = 1; i <= 9; i++) s += i * Number(digits[i - 1]);
  return `T-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}-${(10 - (s % 10)) % 10}`;
}

function randomMetadata(workId: string, r: () => number): WorkMetadata {
  const n = 1 + Math.floor(r() * 4);
  // Integer splits that add to 100.
  const cuts = Array.from({ length: n - 1 }, () => Math.floor(r() * 100)).sort((a, b) => a - b);
  const splits = [...cuts, 100].map((c, i) => c - (i ? cuts[i - 1] : 0));
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  return {
    workId,
    creators: splits.map((splitPercent, i) => ({ name: `${pick(['Ana', 'Bö', 'Cy'])} ${workId}-${i}`, role: pick(CREATOR_ROLES), splitPercent })),
    isrc: r() < 0.7 ? `GB-A${Math.floor(r() * 10)}B-2${Math.floor(r() * 10)}-${String(Math.floor(r() * 1e5)).padStart(5, '0')}` : '',
    iswc: r() < 0.7 ? iswcFor(String(Math.floor(r() * 1e9)).padStart(9, '0')) : '',
    release: pick(NASTY),
    clearance: pick(CLEARANCE_STATUSES),
    notes: pick(NASTY).trim(),
    updatedAt: 5,
  };
}

describe('CSV (RFC 4180)', () => {
  it('parses what it writes, for fields with commas, quotes and line breaks', () => {
    const rows = [NASTY, NASTY.slice().reverse()];
    const text = formatCsv(rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text).map((r) => r.fields)).toEqual(rows);
  });

  it('numbers records as a spreadsheet does (and by text line), and reports an unclosed quote', () => {
    const recs = parseCsv('a,b\n"x\ny",z\n\nlast,1');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(recs.map((r) => r.row)).toEqual([1, 2, 4]);
    expect(() => parseCsv('a,"b\nc')).toThrow(/Line 1: a quoted field is never closed/);
  });
});

describe('catalog metadata CSV', () => {
  const works = Array.from({ length: 12 }, (_, i) => ({ id: `work-${i}`, title: `Title, “${i}”` }));

  it('round-trips every field of every work', () => {
    const r = rng(42);
    const original = new Map(works.map((w) => [w.id, randomMetadata(w.id, r)] as const));
    const csv = formatMetadataCsv(works, original);
    expect(csv.split('\r\n')[0]).toBe('id,title,clearance,isrc,iswc,release,creators,notes');
    const { records, errors } = parseMetadataCsv(csv, works, new Map(), 5);
    expect(errors).toEqual([]);
    expect(new Map(records.map((m) => [m.workId, m]))).toEqual(
      new Map([...original].map(([id, m]) => [id, { ...m, release: m.release.trim() }])),
    );
  });

  it('matches rows by title when there is no id, and keeps fields of missing columns', () => {
    const existing = new Map([['work-3', { ...emptyMetadata('work-3'), notes: 'keep me', isrc: 'GB-A1B-24-00042' }]]);
    const { records, errors } = parseMetadataCsv('title,clearance\r\n"title, “3”",cleared\r\n', works, existing, 1);
    expect(errors).toEqual([]);
    expect(records).toEqual([{ ...existing.get('work-3')!, clearance: 'cleared', updatedAt: 1 }]);
  });

  it('gives a message per bad row, with its line, and keeps the good rows', () => {
    const csv = [
      'id,title,isrc,iswc,creators,clearance,colour',
      'work-0,,US-RC1-76-07839,,Ana [composer] 100%,cleared,red',
      'nope,Nothing,,,,,',
      'work-1,,bad-isrc,,,,',
      'work-2,,,T-034.524.680-2,,,',
      'work-4,,,,Ana [composer] 60%; Ben [lyricist] 30%,,',
      'work-5,,,,Ana [drummer] 100%,,',
      'work-6,,,,,perhaps,',
      'work-0,,,,,,',
    ].join('\n');
    const { records, errors } = parseMetadataCsv(csv, works, new Map());
    expect(records.map((m) => m.workId)).toEqual(['work-0']);
    expect(records[0]).toMatchObject({ isrc: 'US-RC1-76-07839', clearance: 'cleared', creators: [{ name: 'Ana', role: 'composer', splitPercent: 100 }] });
    const byLine = new Map(errors.map((e) => [e.row, e.message]));
    expect(byLine.get(1)).toMatch(/not known and ignored: colour/);
    expect(byLine.get(3)).toMatch(/No work in the catalog has the id “nope” or the title “Nothing”/);
    expect(byLine.get(4)).toMatch(/ISRC “bad-isrc” is not valid/);
    expect(byLine.get(5)).toMatch(/wrong check digit/);
    expect(byLine.get(6)).toMatch(/add up to 90 %/);
    expect(byLine.get(7)).toMatch(/role “drummer” is not one of/);
    expect(byLine.get(8)).toMatch(/clearance “perhaps”/);
    expect(byLine.get(9)).toMatch(/already given in row 2/);
    expect(errors).toHaveLength(8);
  });

  it('refuses a file without an id or title column', () => {
    const { records, errors } = parseMetadataCsv('isrc\r\nGB-A1B-24-00042\r\n', works, new Map());
    expect(records).toEqual([]);
    expect(errors[0].message).toMatch(/“id” or “title”/);
  });
});
