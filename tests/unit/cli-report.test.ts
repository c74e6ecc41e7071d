import { describe, expect, it, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, encodeWav, slice, synthMusic } from '../fixtures/audio';
import { tunetrace } from '../fixtures/cli';
import { parseCsv } from '../../src/report/csv';

const RATE = 22050;

describe('tunetrace query --report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunetrace-report-'));
  const catalog = join(dir, 'c.ttcat');
  const track = join(dir, 'track.wav');
  const metadata = join(dir, 'metadata.csv');
  const works = [synthMusic(71, 25, RATE), synthMusic(72, 25, RATE)];

  beforeAll(() => {
    works.forEach((a, i) => writeFileSync(join(dir, `song-${i}.wav`), encodeWav([a], RATE)));
    expect(tunetrace('index', '--catalog', catalog, join(dir, 'song-0.wav'), join(dir, 'song-1.wav')).code).toBe(0);
    // 10 s of song-0 from 5 s, 6 s of other music, 8 s of song-1 from 2 s.
    writeFileSync(track, encodeWav([concat(slice(works[0], RATE, 5, 15), synthMusic(99, 6, RATE), slice(works[1], RATE, 2, 10))], RATE));
    writeFileSync(metadata, [
      'id,title,clearance,iswc,creators',
      'song-0,,cleared,T-034.524.680-1,"Ana [composer] 70%; Ben [performer] 30%"',
      ',song 1,not-cleared,,Ben [composer] 100%',
      'ghost,,cleared,,',
    ].join('\r\n'));
  });

  it('writes the JSON report with hash, segments, shares, splits and clearance from the metadata CSV', () => {
    const r = tunetrace('query', '--catalog', catalog, track, '--report', 'json', '--metadata', metadata);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/row 4: No work in the catalog has the id “ghost”/);
    const doc = JSON.parse(r.stdout);
    expect(doc.schema).toBe('tunetrace.check-report');
    expect(doc.file.sha256).toBe(createHash('sha256').update(readFileSync(track)).digest('hex'));
    expect(doc.generator.via).toBe('cli');
    expect(doc.catalog.works).toBe(2);
    const ids = doc.segments.map((s: { workId: string }) => s.workId);
    expect(ids).toEqual(['song-0', 'song-1']);
    expect(doc.segments[0].refStartSec - doc.segments[0].queryStartSec).toBeCloseTo(5, 0);
    const share = (id: string) => doc.shares.find((s: { workId: string }) => s.workId === id);
    expect(share('song-0').proportion).toBeGreaterThan(8 / 24);
    expect(share('song-0').proportion).toBeLessThan(11 / 24);
    expect(share('song-0').iswc).toBe('T-034.524.680-1');
    const party = (n: string) => doc.splits.parties.find((p: { name: string }) => p.name === n);
    expect(party('Ana').proportion).toBeCloseTo(share('song-0').proportion * 0.7, 9);
    expect(party('Ben').proportion).toBeCloseTo(share('song-0').proportion * 0.3 + share('song-1').proportion, 9);
    expect(doc.clearance.status).toBe('flagged');
    expect(doc.clearance.flagged.map((f: { workId: string }) => f.workId)).toEqual(['song-1']);
  });

  it('writes CSV and HTML to --out, and one report per file into a folder', () => {
    const csvPath = join(dir, 'r.csv');
    expect(tunetrace('query', '--catalog', catalog, track, '--report', 'csv', '--out', csvPath).code).toBe(0);
    const rows = parseCsv(readFileSync(csvPath, 'utf8')).map((x) => x.fields);
    expect(rows[0][0]).toBe('record');
    expect(rows.filter((x) => x[0] === 'segment')).toHaveLength(2);
    expect(rows.filter((x) => x[0] === 'party')).toHaveLength(0); // no --metadata: no splits known
    const folder = join(dir, 'reports');
    const other = join(dir, 'other.wav');
    writeFileSync(other, encodeWav([synthMusic(5, 12, RATE)], RATE));
    expect(tunetrace('query', '--catalog', catalog, track, other, '--report', 'html', '--out', folder).code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['other.report.html', 'track.report.html']);
    expect(readFileSync(join(folder, 'other.report.html'), 'utf8')).toContain('No work from the catalog was found');
  });

  it('refuses unclear report options with one line and exit code 1', () => {
    const other = join(dir, 'other.wav');
    for (const args of [['--report', 'pdf'], ['--report', 'json', '--json'], ['--out', 'x.json'], ['--report', 'json', other]]) {
      const r = tunetrace('query', '--catalog', catalog, track, ...args);
      expect(r.code).toBe(1);
      expect(r.stderr.trim().split('\n').at(-1)).toMatch(/^tunetrace: /);
      expect(r.stdout).toBe('');
    }
  });

  it('list --find keeps the works matching every word, by creator and ISWC with --metadata', () => {
    const ids = (...args: string[]) => JSON.parse(tunetrace('list', '--catalog', catalog, '--json', ...args).stdout).works.map((w: { id: string }) => w.id);
    expect(ids()).toEqual(['song-0', 'song-1']);
    expect(ids('--find', 'SONG-1')).toEqual(['song-1']);
    expect(ids('--find', 'song nothing')).toEqual([]);
    // Creators and codes come from the metadata CSV.
    expect(ids('--find', 'ben', '--metadata', metadata)).toEqual(['song-0', 'song-1']);
    expect(ids('--find', 'ana', '--metadata', metadata)).toEqual(['song-0']);
    expect(ids('--find', 'T0345246801', '--metadata', metadata)).toEqual(['song-0']);
    expect(ids('--find', 'ana')).toEqual([]);
    const text = tunetrace('list', '--catalog', catalog, '--find', 'song-1').stdout;
    expect(text).toContain('1 of 2 works match “song-1”');
    expect(tunetrace('list', '--catalog', catalog, '--metadata', metadata).code).toBe(1);
    expect(tunetrace('query', '--catalog', catalog, track, '--find', 'x').stderr).toContain('--find goes with list.');
  });
});
