import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { addNoise, melodyNotes, slice, synthMelody, synthMusic } from '../fixtures/audio';
import { CatalogIndex } from '../../src/core/catalog-index';
import type { Core } from '../../src/core/wasm-core';

const RATE = 22050;

describe('melody (WASM): pitch track, notes, note triplets', () => {
  let core: Core;
  let index: CatalogIndex;

  beforeAll(async () => {
    core = await loadTestCore();
    index = new CatalogIndex(core);
    for (let i = 0; i < 8; i++) {
      const audio = synthMelody(700 + i, 40, RATE, { accompaniment: true });
      index.add({ id: `song${i}`, title: `Song ${i}` }, core.analyse({ sampleRateHz: RATE, channels: [audio] }));
    }
  });

  it('follows a melody note by note: the notes found are the notes played', () => {
    // A plain scale, one note per half second, from C5 (MIDI 72 = 39 semitones above 55 Hz).
    const scale = [0, 2, 4, 5, 7, 9, 11, 12];
    const x = new Float32Array(RATE * 4);
    scale.forEach((s, k) => {
      const f0 = 440 * 2 ** ((72 + s - 69) / 12);
      for (let i = 0; i < RATE / 2; i++) x[k * (RATE / 2) + i] = 0.3 * Math.sin((2 * Math.PI * f0 * i) / RATE) + 0.1 * Math.sin((4 * Math.PI * f0 * i) / RATE);
    });
    core.analyse({ sampleRateHz: RATE, channels: [x] });
    const notes = core.lastNotes('main');
    expect(Array.from(notes.pitches, (p) => Math.round(p))).toEqual(scale.map((s) => 39 + s));
    // Onsets every 0.5 s = 62.5 frames, within half the 64 ms analysis window (4 frames).
    notes.onsets.forEach((f, k) => expect(Math.abs(f - k * 62.5)).toBeLessThanOrEqual(4));
  });

  for (const [transpose, timeScale] of [[4, 1.15], [-3, 0.85]] as const) {
    it(`finds a melody re-played on another instrument, ${transpose > 0 ? '+' : ''}${transpose} semitones, ×${timeScale} in time`, () => {
      const replayed = synthMelody(703, 40, RATE, { transposeSemitones: transpose, timeScale, harmonics: [1, 0.1] });
      const q = addNoise(slice(replayed, RATE, 6 * timeScale, 26 * timeScale), 25);
      const { matches } = index.match(core.analyse({ sampleRateHz: RATE, channels: [q] }, { role: 'query' }));
      expect(matches.length).toBeGreaterThan(0);
      expect(new Set(matches.map((m) => m.workId))).toEqual(new Set(['song3']));
      const best = matches.reduce((a, b) => (b.hits > a.hits ? b : a));
      expect(best.evidence).toBe('melody');
      expect(best.pitchShiftSemitones).toBeCloseTo(transpose, 0);
      expect(Math.abs(best.timeRatio - timeScale) / timeScale).toBeLessThan(0.03);
    });
  }

  it('finds a phrase quoted over another tune, where it is, counting its matched notes', () => {
    // 12 s of song 6 re-played 2 semitones down and 5 % slower, from 20 s into another melody of its own.
    const bed = synthMelody(910, 40, RATE, { harmonics: [1, 0.5, 0.3], accompaniment: true });
    const phrase = slice(synthMelody(706, 40, RATE, { transposeSemitones: -2, timeScale: 1.05, harmonics: [1, 0.2] }), RATE, 10 * 1.05, 22 * 1.05);
    const q = bed.slice();
    const at = 20 * RATE;
    for (let i = 0; i < phrase.length && at + i < q.length; i++) q[at + i] = 0.6 * q[at + i] + phrase[i];
    const { matches } = index.match(core.analyse({ sampleRateHz: RATE, channels: [addNoise(q, 30)] }, { role: 'query' }));
    expect(new Set(matches.map((m) => m.workId))).toEqual(new Set(['song6']));
    const best = matches.reduce((a, b) => (b.hits > a.hits ? b : a));
    expect(best.evidence).toBe('melody');
    expect(best.pitchShiftSemitones).toBeCloseTo(-2, 0);
    // The span found lies within the quote (20 … 32.6 s), covering most of it.
    expect(best.queryStartSec).toBeGreaterThan(19.5);
    expect(best.queryEndSec).toBeLessThan(33.2);
    expect(best.queryEndSec - best.queryStartSec).toBeGreaterThan(8);
    // Verified note by note: far more matched notes than chance puts there.
    expect(best.hits).toBeGreaterThan(10 * Math.max(1, best.expectedHits));
  });

  it('reports a copied passage once, as the recording with its melody too', () => {
    const copy = synthMelody(705, 40, RATE, { accompaniment: true });
    const { matches } = index.match(core.analyse({ sampleRateHz: RATE, channels: [slice(copy, RATE, 8, 24)] }, { role: 'query' }));
    expect(matches.map((m) => [m.workId, m.evidence, m.melodyToo])).toEqual([['song5', 'recording', true]]);
  });

  it('names no melody for unrelated tunes and for non-melodic music', () => {
    for (let seed = 800; seed < 805; seed++) {
      const q = synthMelody(seed, 20, RATE, { harmonics: [1, 0.3] });
      expect(index.match(core.analyse({ sampleRateHz: RATE, channels: [q] }, { role: 'query' })).matches).toEqual([]);
    }
    const chords = synthMusic(42, 20, RATE);
    expect(index.match(core.analyse({ sampleRateHz: RATE, channels: [chords] }, { role: 'query' })).matches).toEqual([]);
  });

  it('finds a melody entered as notes (a MIDI work) in a re-played, transposed, re-timed recording', async () => {
    const scoreCore = await loadTestCore();
    const notesIndex = new CatalogIndex(scoreCore);
    notesIndex.add({ id: 'score', title: 'Score' }, scoreCore.melodyFromNotes(melodyNotes(905, 40), 40));
    notesIndex.add({ id: 'other', title: 'Other' }, scoreCore.melodyFromNotes(melodyNotes(906, 40), 40));
    const played = synthMelody(905, 40, RATE, { transposeSemitones: -2, timeScale: 1.1, harmonics: [1, 0.4, 0.2], accompaniment: true });
    const q = addNoise(slice(played, RATE, 5, 25), 25);
    const { matches } = notesIndex.match(scoreCore.analyse({ sampleRateHz: RATE, channels: [q] }, { role: 'query' }));
    expect(new Set(matches.map((m) => m.workId))).toEqual(new Set(['score']));
    expect(matches[0].evidence).toBe('melody');
    expect(matches[0].pitchShiftSemitones).toBeCloseTo(-2, 0);
    expect(Math.abs(matches[0].timeRatio - 1.1) / 1.1).toBeLessThan(0.03);
  });

  it('keeps every work\'s notes right when removals compact them after a slot was re-used', async () => {
    // The core keeps each work's notes for the note-by-note check, and compacts them once most are removed.
    const notesCore = await loadTestCore();
    const idx = new CatalogIndex(notesCore);
    const work = (seed: number, sec: number) => notesCore.melodyFromNotes(melodyNotes(seed, sec), sec);
    idx.add({ id: 'a', title: 'A' }, work(951, 60));
    idx.add({ id: 'b', title: 'B' }, work(952, 60));
    idx.add({ id: 'long1', title: 'Long 1' }, work(953, 2000));
    idx.add({ id: 'long2', title: 'Long 2' }, work(954, 2000));
    const played = slice(synthMelody(952, 60, RATE, { transposeSemitones: 2, harmonics: [1, 0.3] }), RATE, 10, 30);
    const query = notesCore.analyse({ sampleRateHz: RATE, channels: [played] }, { role: 'query' });
    const found = () => idx.match(query).matches.filter((m) => m.workId === 'b').map((m) => [m.hits, m.queryStartSec]);
    const before = found();
    expect(before.length).toBeGreaterThan(0);
    idx.remove('a');
    idx.add({ id: 'd', title: 'D' }, work(955, 120)); // takes A's slot; its notes go after the long works'
    idx.remove('long1');
    idx.remove('long2'); // most notes now removed: the pool is compacted
    expect(found()).toEqual(before);
    expect(idx.match(query).matches.map((m) => m.workId)).toEqual(expect.arrayContaining(['b']));
  });
});

