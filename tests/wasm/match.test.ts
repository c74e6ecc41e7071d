import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { addNoise, changeSpeed, concat, rms, slice, synthMusic, synthSparseNotes } from '../fixtures/audio';
import { CatalogIndex } from '../../src/core/catalog-index';
import type { Core } from '../../src/core/wasm-core';
import type { Fingerprint } from '../../src/core/types';

const RATE = 22050;

describe('matching (WASM): lookup, voting, segments', () => {
  let core: Core;
  let index: CatalogIndex;
  const works = new Map<string, Float32Array>();
  const analyse = (x: Float32Array, role: 'reference' | 'query' = 'query'): Fingerprint => core.analyse({ sampleRateHz: RATE, channels: [x] }, { role });

  beforeAll(async () => {
    core = await loadTestCore();
    index = new CatalogIndex(core);
    for (let i = 0; i < 12; i++) {
      const id = `work-${i}`;
      const audio = synthMusic(100 + i, 40, RATE);
      works.set(id, audio);
      index.add({ id, title: `Work ${i}` }, analyse(audio, 'reference'));
    }
  });

  it('matches a work to itself at offset 0 over its whole length', () => {
    const result = index.match(analyse(works.get('work-3')!));
    expect(result.matches).toHaveLength(1);
    const [m] = result.matches;
    expect(m.workId).toBe('work-3');
    expect(Math.abs(m.refStartSec - m.queryStartSec)).toBeLessThan(0.01);
    expect(m.queryStartSec).toBeLessThan(1);
    expect(m.queryEndSec).toBeGreaterThan(39);
    expect(m.confidence).toBeGreaterThan(0.999);
  });

  it('finds a 10 s excerpt with noise at 10 dB SNR at the right place', () => {
    for (const [id, start] of [['work-5', 12.345], ['work-9', 27.01], ['work-0', 3.3]] as const) {
      const q = addNoise(slice(works.get(id)!, RATE, start, start + 10), 10, 5);
      const { matches } = index.match(analyse(q));
      expect(matches.length).toBeGreaterThanOrEqual(1);
      const best = matches.reduce((a, b) => (b.hits > a.hits ? b : a));
      expect(best.workId).toBe(id);
      expect(matches.every((m) => m.workId === id)).toBe(true);
      // The reference position of query time 0: within one 8 ms frame (plus rounding).
      expect(Math.abs(best.refStartSec - best.queryStartSec - start)).toBeLessThan(0.02);
    }
  });

  it('reports nothing for music that is not in the catalog', () => {
    for (let seed = 500; seed < 506; seed++) {
      expect(index.match(analyse(synthMusic(seed, 20, RATE))).matches).toEqual([]);
    }
  });

  it('splits a track made of two works into two segments with their spans and shares', () => {
    const a = slice(works.get('work-1')!, RATE, 5, 15);
    const filler = synthMusic(777, 8, RATE);
    const b = slice(works.get('work-7')!, RATE, 20, 32);
    const result = index.match(analyse(concat(a, filler, b)));
    const ids = result.matches.map((m) => m.workId);
    expect(ids).toEqual(['work-1', 'work-7']);
    const [m1, m2] = result.matches;
    expect(m1.queryStartSec).toBeLessThan(0.6);
    expect(m1.queryEndSec).toBeGreaterThan(9.4);
    expect(m1.queryEndSec).toBeLessThan(10.6);
    expect(m2.queryStartSec).toBeGreaterThan(17.4);
    expect(m2.queryStartSec).toBeLessThan(18.6);
    expect(Math.abs(m2.refStartSec - m2.queryStartSec - (20 - 18))).toBeLessThan(0.02);
    const share = new Map(result.shares.map((s) => [s.workId, s.proportion]));
    expect(share.get('work-1')).toBeCloseTo(10 / 30, 1);
    expect(share.get('work-7')).toBeCloseTo(12 / 30, 1);
    expect(result.unattributedSec).toBeGreaterThan(6);
    expect(result.unattributedSec).toBeLessThan(10);
  });

  it('finds a work mixed far under other music over most of its span, as one segment', () => {
    // 12 s of a work 21 dB under an unrelated tune: its peaks show through only here and there, so
    // its evidence comes in pieces that the matcher must judge together (and denser query peaks).
    for (const k of [2, 3, 4, 5]) {
      const bed = synthMusic(800 + k, 30, RATE);
      const work = slice(works.get(`work-${k}`)!, RATE, 10, 22);
      const gain = (rms(bed) / rms(work)) * 10 ** (-21 / 20);
      const q = bed.slice();
      for (let i = 0; i < work.length; i++) q[8 * RATE + i] += gain * work[i];
      const { matches } = index.match(analyse(q));
      expect(matches.map((m) => m.workId)).toEqual([`work-${k}`]);
      expect(matches[0].queryStartSec).toBeLessThan(9.5);
      expect(matches[0].queryEndSec).toBeGreaterThan(19);
      expect(Math.abs(matches[0].refStartSec - matches[0].queryStartSec - 2)).toBeLessThan(0.02);
    }
  });

  /** 30 s of three unrelated tunes layered, with `seconds` of work-k (from its 10 s) 15 dB under them from 8 s. */
  const underLayeredTunes = (k: number, seconds: number): Float32Array => {
    const bed = synthMusic(800 + k, 30, RATE);
    for (const seed of [900, 1000]) {
      const other = synthMusic(seed + k, 30, RATE);
      for (let i = 0; i < bed.length; i++) bed[i] += other[i];
    }
    const work = slice(works.get(`work-${k}`)!, RATE, 10, 10 + seconds);
    const gain = (rms(bed) / rms(work)) * 10 ** (-15 / 20);
    for (let i = 0; i < work.length; i++) bed[8 * RATE + i] += gain * work[i];
    return bed;
  };

  it('finds a work masked by louder music through its masked pairs', () => {
    // Under three layered tunes a work's peaks are rarely the largest of the wide neighbourhoods the
    // other hashes use (without masked pairs none of these five is found); the largest of ±4 bins ×
    // ±4 frames, paired with every later one, line up.
    for (const k of [2, 3, 4, 5, 6]) {
      const fp = analyse(underLayeredTunes(k, 12));
      const { matches } = index.match(fp);
      expect(matches.map((m) => m.workId)).toEqual([`work-${k}`]);
      expect(matches[0].queryStartSec).toBeLessThan(9.5);
      expect(matches[0].queryEndSec).toBeGreaterThan(18);
      expect(Math.abs(matches[0].refStartSec - matches[0].queryStartSec - 2)).toBeLessThan(0.02);
    }
  });

  it('reports masked-pair evidence only where it spans 6 s, not a few seconds of coincidence', () => {
    // 4 s of work-5 under the same tunes: its masked pairs line up over 3.6 s, which is also what two
    // unrelated works that share an instrument and a chord give, so it is not reported.
    expect(index.match(analyse(underLayeredTunes(5, 4))).matches).toEqual([]);
  });

  it('votes works in slot ranges when their hits pass its memory budget, with the same segments', () => {
    const queries = [underLayeredTunes(3, 12), slice(works.get('work-7')!, RATE, 5, 25), concat(slice(works.get('work-1')!, RATE, 0, 8), slice(works.get('work-9')!, RATE, 20, 30))];
    const whole = queries.map((q) => index.match(analyse(q)).matches);
    expect(whole.flat().length).toBeGreaterThanOrEqual(4);
    core.stageVoteKeyBudget(500);
    try {
      expect(queries.map((q) => index.match(analyse(q)).matches)).toEqual(whole);
    } finally {
      core.stageVoteKeyBudget(0);
    }
  });

  it('tags a query\'s masked pairs, and makes none for a reference', () => {
    const x = slice(works.get('work-1')!, RATE, 0, 10);
    const MASKED = 1 << 21;
    const query = analyse(x);
    const reference = analyse(x, 'reference');
    const tagged = query.hashes.filter((h) => (h & MASKED) !== 0).length;
    expect(tagged).toBeGreaterThan(query.hashes.length / 2);
    expect(reference.hashes.every((h) => h < MASKED)).toBe(true);
    // The untagged pairs are the query's own pairs, as before.
    expect(query.hashes.length - tagged).toBeLessThan(reference.hashes.length * 5);
  });

  it('forgets a removed work and finds it again once re-added', () => {
    const q = slice(works.get('work-2')!, RATE, 10, 20);
    index.remove('work-2');
    expect(index.match(analyse(q)).matches).toEqual([]);
    index.add({ id: 'work-2', title: 'Work 2' }, analyse(works.get('work-2')!, 'reference'));
    expect(index.match(analyse(q)).matches.map((m) => m.workId)).toEqual(['work-2']);
  });

  it('refuses features of another format version', () => {
    const fp = analyse(slice(works.get('work-1')!, RATE, 0, 5));
    expect(() => core.match({ ...fp, formatVersion: fp.formatVersion + 1 })).toThrow(/re-analyse/);
  });
});

describe('matching under pitch and tempo change (triplet hashes)', () => {
  let core: Core;
  let index: CatalogIndex;
  const analyse = (x: Float32Array, role: 'reference' | 'query'): Fingerprint => core.analyse({ sampleRateHz: RATE, channels: [x] }, { role });

  beforeAll(async () => {
    core = await loadTestCore();
    index = new CatalogIndex(core);
    for (let i = 0; i < 10; i++) index.add({ id: `w${i}`, title: `W${i}` }, analyse(synthMusic(300 + i, 40, RATE), 'reference'));
  });

  for (const [speed, label] of [[1.06, 'faster'], [0.94, 'slower']] as const) {
    it(`finds a ${label} copy (speed × ${speed}) with its time ratio and pitch shift`, () => {
      const original = synthMusic(304, 40, RATE);
      const q = addNoise(changeSpeed(slice(original, RATE, 10, 22), speed), 20);
      const { matches } = index.match(analyse(q, 'query'));
      expect(matches.map((m) => m.workId)).toEqual(['w4']);
      const [m] = matches;
      expect(m.timeRatio).toBeCloseTo(1 / speed, 2);
      expect(m.pitchShiftSemitones).toBeCloseTo(12 * Math.log2(speed), 0);
      expect(Math.abs(m.pitchShiftSemitones - 12 * Math.log2(speed))).toBeLessThan(0.25);
      // Query time 0 sits at reference 10 s.
      expect(Math.abs(m.refStartSec - m.queryStartSec / m.timeRatio - 10)).toBeLessThan(0.1);
    });
  }

  for (const transpose of [-3, 2]) {
    it(`finds the tune re-rendered ${transpose > 0 ? '+' : ''}${transpose} semitones and 8 % slower`, () => {
      // The same notes in another key and tempo, rendered afresh: no audio effect involved.
      const q = slice(synthMusic(307, 60, RATE, { transposeSemitones: transpose, timeScale: 1.08 }), RATE, 10.8, 21.6);
      const { matches } = index.match(analyse(q, 'query'));
      expect(matches.length).toBeGreaterThan(0);
      expect(matches.every((m) => m.workId === 'w7')).toBe(true);
      const best = matches.reduce((a, b) => (b.hits > a.hits ? b : a));
      expect(Math.abs(best.pitchShiftSemitones - transpose)).toBeLessThan(0.25);
      expect(Math.abs(best.timeRatio - 1.08) / 1.08).toBeLessThan(0.01);
    });
  }

  it('still reports nothing for unrelated music', () => {
    for (let seed = 900; seed < 905; seed++) expect(index.match(analyse(synthMusic(seed, 15, RATE), 'query')).matches).toEqual([]);
  });
});

describe('matching (WASM): sparse music, re-keyed and re-timed', () => {
  // A note a second: no two landmarks are close enough for a peak pair (0.5 s) or an ordinary triplet
  // (0.77 s), so only long triplets (landmarks up to 4 s apart) can find it.
  let core: Core;
  let index: CatalogIndex;
  const analyse = (x: Float32Array, role: 'reference' | 'query' = 'query'): Fingerprint => core.analyse({ sampleRateHz: RATE, channels: [x] }, { role });

  beforeAll(async () => {
    core = await loadTestCore();
    index = new CatalogIndex(core);
    for (let i = 0; i < 4; i++) index.add({ id: `sparse-${i}`, title: `Sparse ${i}` }, analyse(synthSparseNotes(300 + i, 60, RATE), 'reference'));
  });

  it('finds it as it is, 2 semitones up, and 3 up and 5 % slower, with the transform', () => {
    const cases = [['sparse-1', 301, 0, 1, 11], ['sparse-1', 301, 2, 1, 21], ['sparse-3', 303, 3, 1.05, 30]] as const;
    for (const [id, seed, semitones, timeScale, from] of cases) {
      const q = slice(synthSparseNotes(seed, 60 * timeScale, RATE, { transposeSemitones: semitones, timeScale }), RATE, from, from + 12);
      const { matches } = index.match(analyse(q));
      expect(matches.map((m) => m.workId), `${id} +${semitones} ×${timeScale}`).toEqual([id]);
      // As the recording (a line of notes is melody evidence too, which would not say the audio was reused).
      expect(matches[0].evidence, `${id} +${semitones} ×${timeScale}`).toBe('recording');
      expect(matches[0].pitchShiftSemitones).toBeCloseTo(semitones, 0);
      expect(matches[0].timeRatio).toBeCloseTo(timeScale, 1);
    }
  });

  it('does not name a work for other notes played the same way', () => {
    for (const seed of [310, 311, 312]) {
      expect(index.match(analyse(synthSparseNotes(seed, 12, RATE, { transposeSemitones: 2 }))).matches).toEqual([]);
    }
  });
});
