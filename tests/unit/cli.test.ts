import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concat, encodeWav, slice, synthMusic, addNoise } from '../fixtures/audio';
import { tunetrace } from '../fixtures/cli';

const RATE = 22050;
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

function ffmpeg(input: string, output: string, ...opts: string[]) {
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', input, ...opts, output]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

describe('tunetrace CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunetrace-cli-'));
  const works = join(dir, 'works');
  const catalog = join(dir, 'my.ttcat');
  const audio = [0, 1, 2, 3].map((i) => synthMusic(40 + i, 30, RATE));

  beforeAll(() => {
    mkdirSync(works);
    audio.forEach((a, i) => writeFileSync(join(works, `song-${i}.wav`), encodeWav([a, a], RATE)));
    if (hasFfmpeg) {
      // The same folder in other formats, renamed so ids stay distinct.
      ffmpeg(join(works, 'song-1.wav'), join(works, 'song-1-mp3.mp3'), '-b:a', '128k');
      ffmpeg(join(works, 'song-2.wav'), join(works, 'song-2-opus.opus'), '-b:a', '96k');
      ffmpeg(join(works, 'song-3.wav'), join(works, 'song-3-flac.flac'));
      ffmpeg(join(works, 'song-0.wav'), join(works, 'song-0-vorbis.ogg'), '-c:a', 'libvorbis', '-q:a', '4');
      ffmpeg(join(works, 'song-0.wav'), join(works, 'song-0-aac.m4a'), '-c:a', 'aac', '-b:a', '128k');
    }
    writeFileSync(join(works, 'notes.wav'), 'this is not audio at all, just text pretending');
    writeFileSync(join(works, 'empty.mp3'), new Uint8Array(0));
  });

  it('indexes a folder, skipping what it cannot read, and says so', () => {
    const r = tunetrace('index', '--catalog', catalog, works);
    expect(r.code).toBe(3); // done, with files skipped
    expect(r.stderr).toMatch(/skipped .*notes\.wav: .*could not be decoded/);
    expect(r.stderr).toMatch(/skipped .*empty\.mp3: .*is empty/);
    const list = JSON.parse(tunetrace('list', '--catalog', catalog, '--json').stdout);
    const ids = list.works.map((w: { id: string }) => w.id).sort();
    const expected = ['song-0', 'song-1', 'song-2', 'song-3'];
    if (hasFfmpeg) expected.push('song-0-aac', 'song-0-vorbis', 'song-1-mp3', 'song-2-opus', 'song-3-flac');
    expect(ids).toEqual(expected.sort());
  });

  it('answers query --json with the documented schema and the right works and spans', () => {
    const track = concat(addNoise(slice(audio[2], RATE, 8, 18), 15), synthMusic(999, 6, RATE), slice(audio[0], RATE, 2, 12));
    const trackPath = join(dir, 'track.wav');
    writeFileSync(trackPath, encodeWav([track], RATE));
    const r = tunetrace('query', '--catalog', catalog, trackPath, '--json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.queries).toHaveLength(1);
    const q = doc.queries[0];
    expect(q.file).toBe(trackPath);
    expect(q.durationSec).toBeCloseTo(26, 1);
    for (const m of q.matches) {
      expect(Object.keys(m)).toEqual(expect.arrayContaining([
        'workId', 'title', 'evidence', 'confidence', 'queryStartSec', 'queryEndSec', 'refStartSec', 'refEndSec', 'timeRatio', 'pitchShiftSemitones',
      ]));
      expect(m.evidence).toBe('recording');
      expect(m.confidence).toBeGreaterThan(0);
      expect(m.confidence).toBeLessThanOrEqual(1);
    }
    // song-2 (and its Opus copy), then song-0 (and its copies): the same audio under several ids.
    const first = q.matches.filter((m: { queryStartSec: number }) => m.queryStartSec < 5);
    expect(first.map((m: { workId: string }) => m.workId)).toContain('song-2');
    const s2 = first.find((m: { workId: string }) => m.workId === 'song-2');
    expect(s2.refStartSec - s2.queryStartSec).toBeCloseTo(8, 1);
    const later = q.matches.filter((m: { queryStartSec: number }) => m.queryStartSec > 15);
    expect(later.map((m: { workId: string }) => m.workId)).toContain('song-0');
    for (const s of q.shares) expect(Object.keys(s)).toEqual(expect.arrayContaining(['workId', 'seconds', 'proportion']));
    expect(q.unattributedSec).toBeGreaterThan(4);
    expect(q.unattributedSec).toBeLessThan(8);
  });

  it('finds nothing in unrelated audio and prints that plainly', () => {
    const path = join(dir, 'other.wav');
    writeFileSync(path, encodeWav([synthMusic(4242, 15, RATE)], RATE));
    const r = tunetrace('query', '--catalog', catalog, path);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/no work from the catalog was found/);
  });

  it('fails with one line and a non-zero code on a damaged catalog or bad arguments', () => {
    const damaged = join(dir, 'damaged.ttcat');
    const bytes = readFileSync(catalog);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(damaged, bytes);
    const r = tunetrace('list', '--catalog', damaged);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/damaged/);
    expect(tunetrace('query', join(dir, 'track.wav')).code).toBe(1);
    expect(tunetrace('frobnicate', '--catalog', catalog).stderr).toMatch(/Unknown command/);
  });

  it('refuses silent and too-short audio with a reason', () => {
    const silent = join(dir, 'silence.wav');
    writeFileSync(silent, encodeWav([new Float32Array(RATE * 5)], RATE));
    const short = join(dir, 'short.wav');
    writeFileSync(short, encodeWav([synthMusic(1, 1, RATE)], RATE));
    const r = tunetrace('query', '--catalog', catalog, silent, short, '--json');
    expect(r.code).toBe(3);
    const doc = JSON.parse(r.stdout);
    expect(doc.queries[0].error).toMatch(/silent/);
    expect(doc.queries[1].error).toMatch(/only 1\.0 s long/);
  });
});
