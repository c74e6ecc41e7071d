import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { attributeShares } from '../../src/core/attribution';
import { emptyMetadata, type WorkMetadata } from '../../src/core/metadata';
import type { MatchSegment, QueryResult } from '../../src/core/types';
import { clearanceVerdict, flaggedClearanceText, flaggedHeadline, royaltySplit } from '../../src/report/rights';
import { buildReport, MATCH_THRESHOLDS, REPORT_SCHEMA_VERSION, reportToJson, sha256Hex } from '../../src/report/report';
import { reportToCsv, REPORT_CSV_COLUMNS } from '../../src/report/report-csv';
import { reportToHtml } from '../../src/report/report-html';
import { parseCsv } from '../../src/report/csv';

const seg = (workId: string, from: number, to: number, confidence = 1): MatchSegment => ({
  workId, title: `Song <${workId}> & co`, evidence: 'recording', confidence,
  queryStartSec: from, queryEndSec: to, refStartSec: from + 3, refEndSec: to + 3,
  timeRatio: 1, pitchShiftSemitones: 0, hits: Math.round((to - from) * 9), expectedHits: 0.3,
});

function result(matches: MatchSegment[], durationSec: number): QueryResult {
  return { durationSec, matches, ...attributeShares(matches, durationSec), searchedWorks: 7 };
}

const md = (workId: string, clearance: WorkMetadata['clearance'], creators: WorkMetadata['creators']): WorkMetadata =>
  ({ ...emptyMetadata(workId), clearance, creators, isrc: 'GB-A1B-24-00042' });

describe('royalty split', () => {
  it('gives each party work share × split, summed over works and roles', () => {
    const r = result([seg('a', 0, 20), seg('b', 30, 40)], 50); // a: 40 %, b: 20 %
    const meta = new Map([
      ['a', md('a', 'cleared', [{ name: 'Ana', role: 'composer', splitPercent: 50 }, { name: 'Ana', role: 'lyricist', splitPercent: 25 }, { name: 'Ben', role: 'performer', splitPercent: 25 }])],
      ['b', md('b', 'cleared', [{ name: ' ana ', role: 'producer', splitPercent: 10 }, { name: 'Cy', role: 'publisher', splitPercent: 90 }])],
    ]);
    const { parties, unsplitWorks } = royaltySplit(r.shares, meta, r.durationSec);
    expect(unsplitWorks).toEqual([]);
    const by = new Map(parties.map((p) => [p.name.trim(), p]));
    expect(by.get('Ana')!.proportion).toBeCloseTo(0.4 * 0.75 + 0.2 * 0.1, 12);
    expect(by.get('Ana')!.roles).toEqual(['composer', 'lyricist', 'producer']);
    expect(by.get('Ana')!.works.find((w) => w.workId === 'a')!.splitPercent).toBe(75);
    expect(by.get('Ben')!.seconds).toBeCloseTo(50 * 0.4 * 0.25, 9);
    expect(by.get('Cy')!.proportion).toBeCloseTo(0.18, 12);
    // Splits of 100 % make the parties' shares add up to the works' shares.
    expect(parties.reduce((s, p) => s + p.proportion, 0)).toBeCloseTo(0.6, 12);
    expect(parties.map((p) => p.proportion)).toEqual([...parties.map((p) => p.proportion)].sort((x, y) => y - x));
  });

  it('lists works without splits apart instead of giving their share to anyone', () => {
    const r = result([seg('a', 0, 10), seg('b', 10, 15)], 20);
    const { parties, unsplitWorks } = royaltySplit(r.shares, new Map([['a', md('a', 'cleared', [{ name: 'Ana', role: 'composer', splitPercent: 100 }])]]), 20);
    expect(parties.map((p) => [p.name, p.proportion])).toEqual([['Ana', 0.5]]);
    expect(unsplitWorks.map((w) => w.workId)).toEqual(['b']);
  });
});

describe('clearance verdict', () => {
  it('flags a track using any work that is not cleared or unknown, with its segments', () => {
    const matches = [seg('a', 0, 10), seg('b', 12, 20), seg('c', 22, 25), seg('b', 30, 35)];
    const v = clearanceVerdict(matches, new Map([['a', md('a', 'cleared', [])], ['b', md('b', 'not-cleared', [])]]));
    expect(v.status).toBe('flagged');
    expect(v.flagged.map((f) => [f.workId, f.clearance, f.segments.map((s) => s.index)])).toEqual([['b', 'not-cleared', [1, 3]], ['c', 'unknown', [2]]]);
    expect(v.clearedWorks.map((w) => w.workId)).toEqual(['a']);
  });

  it('says "not cleared" when a work is marked so, and "not recorded" when no work is marked either way', () => {
    const matches = [seg('b', 0, 10), seg('c', 12, 20)];
    const marked = clearanceVerdict(matches, new Map([['b', md('b', 'not-cleared', [])]]));
    expect(flaggedHeadline(marked.flagged)).toBe('Flagged: this track uses 2 works not cleared for AI use.');
    expect(marked.flagged.map((f) => flaggedClearanceText(f.clearance))).toEqual(['not cleared', 'clearance not recorded']);
    const unmarked = clearanceVerdict(matches.slice(1), new Map());
    expect(flaggedHeadline(unmarked.flagged)).toBe('Flagged: this track uses a work whose clearance for AI use is not recorded.');
  });

  it('says a track uses only cleared works when it does, and nothing when nothing was found', () => {
    const meta = new Map([['a', md('a', 'cleared', [])]]);
    expect(clearanceVerdict([seg('a', 0, 10), seg('a', 20, 30)], meta).status).toBe('cleared');
    expect(clearanceVerdict([], meta).status).toBe('no-catalog-works');
  });
});

describe('check reports', () => {
  const r = result([seg('a', 2, 14, 0.99), seg('b', 10, 18, 0.5), seg('a', 25, 28)], 40);
  const meta = new Map([
    ['a', md('a', 'cleared', [{ name: 'Ana, "the" composer', role: 'composer', splitPercent: 60 }, { name: 'Ben', role: 'performer', splitPercent: 40 }])],
    ['b', md('b', 'unknown', [{ name: 'Ben', role: 'lyricist', splitPercent: 100 }])],
  ]);
  const bytes = new TextEncoder().encode('pretend audio');
  const build = async () => buildReport({
    file: { name: 'ai <track>.wav', sha256: await sha256Hex(bytes), sizeBytes: bytes.length }, result: r,
    catalog: { id: 'cat-1', name: 'Mine', works: 7 }, formatVersion: 3, metadata: meta, via: 'cli', generatedAt: new Date(Date.UTC(2025, 0, 2)),
  });

  it('JSON: versioned, with the file hash, catalog, every segment, shares with their segments, splits and clearance', async () => {
    const doc = JSON.parse(reportToJson(await build()));
    expect(doc.schema).toBe('tunetrace.check-report');
    expect(doc.schemaVersion).toBe(REPORT_SCHEMA_VERSION);
    expect(doc.file.sha256).toMatch(/^[0-9a-f]{64}$/);
    const { createHash } = await import('node:crypto');
    expect(doc.file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(doc.catalog).toEqual({ id: 'cat-1', name: 'Mine', works: 7, formatVersion: 3 });
    expect(doc.segments).toHaveLength(3);
    expect(doc.segments.map((s: { index: number; confidence: number; hits: number }) => [s.index, s.confidence, s.hits])).toEqual(r.matches.map((m, i) => [i, m.confidence, m.hits]));
    const a = doc.shares.find((s: { workId: string }) => s.workId === 'a');
    expect(a.segments).toEqual([0, 2]);
    expect(a.proportion).toBeCloseTo(r.shares.find((s) => s.workId === 'a')!.proportion, 12);
    expect(doc.unattributedProportion).toBeCloseTo(r.unattributedSec / 40, 12);
    expect(doc.splits.parties.reduce((s: number, p: { proportion: number }) => s + p.proportion, 0)).toBeCloseTo(1 - doc.unattributedProportion, 12);
    expect(doc.clearance.status).toBe('flagged');
    expect(doc.clearance.flagged[0].workId).toBe('b');
    expect(doc.limits.join(' ')).toMatch(/Only the 7 works/);
    expect(doc.method.thresholds).toEqual(MATCH_THRESHOLDS);
  });

  it('states the thresholds the core really uses (wasm/assembly/config.ts)', () => {
    const config = readFileSync(new URL('../../wasm/assembly/config.ts', import.meta.url), 'utf8');
    const value = (name: string) => Number(new RegExp(`export const ${name}: \\w+ = ([\\d.e+-]+);`).exec(config)?.[1]);
    const frameSec = value('HOP_SAMPLES') / value('ANALYSIS_RATE_HZ');
    expect(MATCH_THRESHOLDS.minSignificance).toBe(value('MIN_SIGNIFICANCE'));
    expect(MATCH_THRESHOLDS.maxCorrectedChanceProbability).toBeCloseTo(10 ** -value('MIN_SIGNIFICANCE'), 15);
    expect(MATCH_THRESHOLDS.melodyMinSignificance).toBe(value('MELODY_MIN_SIGNIFICANCE'));
    expect(MATCH_THRESHOLDS.melodyMaxCorrectedChanceProbability).toBeCloseTo(10 ** -value('MELODY_MIN_SIGNIFICANCE'), 15);
    expect(MATCH_THRESHOLDS.melodyMinMatchedNotes).toBe(value('MELODY_MIN_MATCHED_NOTES'));
    expect(MATCH_THRESHOLDS.minSegmentHits).toBe(value('MIN_SEGMENT_HITS'));
    expect(MATCH_THRESHOLDS.minSegmentBlocks).toBe(value('MIN_SEGMENT_BLOCKS'));
    expect(MATCH_THRESHOLDS.evidenceBlockSec).toBeCloseTo(value('EVIDENCE_BLOCK_FRAMES') * frameSec, 9);
    expect(MATCH_THRESHOLDS.segmentMaxGapSec).toBeCloseTo(value('SEGMENT_MAX_GAP_FRAMES') * frameSec, 9);
    expect(MATCH_THRESHOLDS.offsetToleranceSec).toBeCloseTo(value('OFFSET_TOLERANCE_FRAMES') * frameSec, 9);
  });

  it('CSV: one row per segment and one per party, RFC 4180-quoted', async () => {
    const report = await build();
    const rows = parseCsv(reportToCsv(report)).map((x) => x.fields);
    expect(rows[0]).toEqual([...REPORT_CSV_COLUMNS]);
    const col = (name: string) => REPORT_CSV_COLUMNS.indexOf(name as never);
    const segments = rows.filter((x) => x[col('record')] === 'segment');
    const parties = rows.filter((x) => x[col('record')] === 'party');
    // The content credentials: one row saying they were not looked for (no provenance given).
    const provenance = rows.filter((x) => x[col('record')].startsWith('provenance'));
    expect(provenance.map((x) => x[col('provenance')])).toEqual(['not-read']);
    expect(rows).toHaveLength(1 + segments.length + parties.length + provenance.length);
    expect(segments.map((x) => Number(x[col('track_start_sec')]))).toEqual(r.matches.map((m) => m.queryStartSec));
    expect(segments.map((x) => x[col('clearance')])).toEqual(['cleared', 'unknown', 'cleared']);
    expect(parties.map((x) => x[col('party')]).sort()).toEqual(['Ana, "the" composer', 'Ben']);
    const ben = parties.find((x) => x[col('party')] === 'Ben')!;
    expect(ben[col('roles')]).toBe('performer; lyricist');
    expect(Number(ben[col('share_of_track')])).toBeCloseTo(report.splits.parties.find((p) => p.name === 'Ben')!.proportion, 5);
    expect(rows.every((x) => x[col('file_sha256')] === report.file.sha256 || x === rows[0])).toBe(true);
  });

  it('HTML: self-contained, escaped, with summary, timeline, tables, method and limits', async () => {
    const report = await build();
    const html = reportToHtml(report);
    expect(html).not.toMatch(/<script|src=|href=|url\(/i);
    // No style attributes: the app's CSP forbids them, and the app shows this page in a frame to print it.
    expect(html).not.toMatch(/\sstyle=/);
    expect(html).toContain('ai &lt;track&gt;.wav');
    expect(html).not.toContain('<track>');
    expect(html).toContain(report.file.sha256);
    expect(html).toContain('@page');
    expect((html.match(/<rect [^>]*rx="3"/g) ?? []).length).toBe(r.matches.length);
    for (const heading of ['Summary', 'Timeline', 'Works found', 'Segments', 'Royalty split', 'Method', 'What this report cannot know']) expect(html).toContain(`<h2>${heading}</h2>`);
    expect(html).toContain('class="verdict flagged unrecorded"'); // b's clearance is not recorded, none is marked not cleared
    expect(html).toContain('Ana, &quot;the&quot; composer');
  });
});
