import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { addNoise, changeSpeed, slice, synthMelody, synthMusic } from '../fixtures/audio';
import { CatalogIndex } from '../../src/core/catalog-index';
import type { Core } from '../../src/core/wasm-core';
import type { Fingerprint } from '../../src/core/types';

const RATE = 22050;

// An index snapshot (the built rows, offsets and the works' notes, as the core's sections) copied
// back into a fresh core must answer exactly as the index it was taken from, now and after later
// adds and removals; a damaged one is refused and leaves an empty index.

/** The sections copied out of the core (indexSnapshot gives views into its memory). */
const snapshotOf = (core: Core) => core.indexSnapshot().map((s) => s.slice());

/** Restores `sections` into `core` in pieces of at most `pieceWords`, as load-catalog.ts reads a Blob. */
function restore(core: Core, sections: Uint32Array[], pieceWords = 1000): Promise<boolean> {
  return core.indexRestore(sections.map((s) => s.length), async (write) => {
    for (const [i, s] of sections.entries()) {
      for (let from = 0; from < s.length; from += pieceWords) {
        await Promise.resolve();
        write(i, from, s.subarray(from, from + pieceWords));
      }
    }
  });
}

describe('index snapshot (WASM): restored, it answers as the index it was taken from', () => {
  let analysisCore: Core;
  const refs = new Map<string, Fingerprint>();
  let queries: Fingerprint[];
  const analyse = (x: Float32Array, role: 'reference' | 'query') => analysisCore.analyse({ sampleRateHz: RATE, channels: [x] }, { role });

  beforeAll(async () => {
    analysisCore = await loadTestCore();
    const audio = new Map<string, Float32Array>();
    for (let i = 0; i < 3; i++) audio.set(`m${i}`, synthMusic(700 + i, 30, RATE));
    for (let i = 0; i < 3; i++) audio.set(`t${i}`, synthMelody(70 + i, 30, RATE, { accompaniment: i > 0 }));
    for (const [id, x] of audio) refs.set(id, analyse(x, 'reference'));
    queries = [...audio.values()].flatMap((x, i) => [
      analyse(addNoise(slice(x, RATE, 4 + i, 16 + i), 10, i), 'query'),
      analyse(changeSpeed(slice(x, RATE, 8, 22), i % 2 ? 1.06 : 0.94), 'query'),
    ]);
    // The tunes re-played in another key, tempo and timbre: found by the melody (and its note check) only.
    for (let i = 0; i < 3; i++) {
      const replayed = synthMelody(70 + i, 30, RATE, { transposeSemitones: 2, timeScale: 1.05, harmonics: [1, 0.2, 0.5] });
      queries.push(analyse(slice(replayed, RATE, 3, 25), 'query'));
    }
  });

  const answers = (index: CatalogIndex) => queries.map((q) => index.match(q));

  /** An index with a removed work (a free slot) and works of every kind, built. */
  async function usedIndex(): Promise<CatalogIndex> {
    const index = new CatalogIndex(await loadTestCore());
    for (const id of ['m0', 't0', 'm1', 't1', 'm2']) index.add({ id, title: id }, refs.get(id)!);
    index.core.indexBuild();
    index.remove('m1');
    index.core.indexBuild();
    return index;
  }

  it('gives the same answers, and the same sections, as the index it was taken from', async () => {
    const original = await usedIndex();
    const sections = snapshotOf(original.core);
    const restored = new CatalogIndex(await loadTestCore());
    expect(await restore(restored.core, sections)).toBe(true);
    expect(restored.restoreSlots(original.slotTable(), (id) => id)).toBe(true);
    expect(restored.size).toBe(4);
    expect(restored.core.indexWorkCount).toBe(4);
    expect(restored.core.indexPostingCount).toBe(original.core.indexPostingCount);
    expect(snapshotOf(restored.core)).toEqual(sections);
    const got = answers(restored);
    expect(got).toEqual(answers(original));
    expect(got.filter((r) => r.matches.length > 0).length).toBeGreaterThanOrEqual(8);
    expect(got.some((r) => r.matches.some((m) => m.evidence === 'melody'))).toBe(true);
  });

  it('stays the same index through later adds (into the freed slot), removals and builds', async () => {
    const original = await usedIndex();
    const restored = new CatalogIndex(await loadTestCore());
    expect(await restore(restored.core, snapshotOf(original.core), 1 << 20)).toBe(true);
    expect(restored.restoreSlots(original.slotTable(), (id) => id)).toBe(true);
    for (const index of [original, restored]) {
      index.add({ id: 't2', title: 't2' }, refs.get('t2')!);
      index.remove('t0');
      index.core.indexBuild();
      index.add({ id: 'm1', title: 'm1' }, refs.get('m1')!);
    }
    expect(restored.slotTable()).toEqual(original.slotTable());
    // (Every other query: matching is the slow part, and each kind of query is still there.)
    const some = queries.filter((_, i) => i % 2 === 0);
    expect(some.map((q) => restored.match(q))).toEqual(some.map((q) => original.match(q)));
    expect(snapshotOf(restored.core)).toEqual(snapshotOf(original.core));
  });

  it('refuses a damaged snapshot and leaves an empty index', async () => {
    const sections = snapshotOf((await usedIndex()).core);
    const core = await loadTestCore();
    const damaged = (edit: (s: Uint32Array[]) => void) => {
      const copy = sections.map((s) => s.slice());
      edit(copy);
      return copy;
    };
    // A posting naming a slot that holds no work (slot 2 was freed).
    expect(await restore(core, damaged((s) => { s[2][0] = (s[2][0] & 0x3ffff) | (2 << 18); }))).toBe(false);
    expect(core.indexWorkCount).toBe(0);
    expect(core.indexPostingCount).toBe(0);
    // Row offsets that run past the postings.
    expect(await restore(core, damaged((s) => { s[1][s[1].length - 1] += 1; }))).toBe(false);
    // A note pitch the note check cannot index (NaN).
    expect(await restore(core, damaged((s) => { s[12][0] = 0x7fc00000; }))).toBe(false);
    // A section missing.
    expect(await restore(core, sections.slice(0, -1))).toBe(false);
    // A section written past its end.
    await expect(core.indexRestore(sections.map((s) => s.length), async (write) => write(0, 0, new Uint32Array(sections[0].length + 1)))).rejects.toThrow();
    expect(core.indexWorkCount).toBe(0);
    // And the intact one still restores into the same core.
    expect(await restore(core, sections)).toBe(true);
    expect(core.indexWorkCount).toBe(4);
  });
});
