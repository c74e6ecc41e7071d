import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { addNoise, changeSpeed, rng, slice, synthMelody, synthMusic } from '../fixtures/audio';
import { CatalogIndex } from '../../src/core/catalog-index';
import type { Core } from '../../src/core/wasm-core';
import type { Fingerprint } from '../../src/core/types';

const RATE = 22050;

// The index keeps one copy of the postings: works added after a build wait in pending blocks
// that the next build merges into the hash rows; a removal compacts the rows in place. Whatever
// the order of adds, builds and removals, the index must answer as one built from scratch.

describe('index (WASM): one copy of the postings, merged and compacted', () => {
  let analysisCore: Core;
  const audio = new Map<string, Float32Array>();
  const refs = new Map<string, Fingerprint>();
  let queries: Fingerprint[];
  const analyse = (x: Float32Array, role: 'reference' | 'query') => analysisCore.analyse({ sampleRateHz: RATE, channels: [x] }, { role });

  beforeAll(async () => {
    analysisCore = await loadTestCore();
    for (let i = 0; i < 4; i++) audio.set(`m${i}`, synthMusic(600 + i, 30, RATE));
    for (let i = 0; i < 2; i++) audio.set(`t${i}`, synthMelody(60 + i, 30, RATE, { accompaniment: true }));
    for (const [id, x] of audio) refs.set(id, analyse(x, 'reference'));
    queries = [...audio.values()].flatMap((x, i) => [
      analyse(addNoise(slice(x, RATE, 4 + i, 14 + i), 10, i), 'query'),
      analyse(changeSpeed(slice(x, RATE, 8, 20), i % 2 ? 1.06 : 0.94), 'query'),
    ]);
  });

  async function indexOf(ids: string[]): Promise<CatalogIndex> {
    const index = new CatalogIndex(await loadTestCore());
    for (const id of ids) index.add({ id, title: id }, refs.get(id)!);
    index.core.indexBuild();
    return index;
  }

  const answers = (index: CatalogIndex) => queries.map((q) => index.match(q));

  it('answers as an index built from scratch after adds, builds and removals', async () => {
    const index = new CatalogIndex(await loadTestCore());
    const add = (id: string) => index.add({ id, title: id }, refs.get(id)!);
    add('m0');
    add('t0');
    index.core.indexBuild();
    add('m1');
    add('m2');
    index.core.indexBuild(); // merges into built rows
    index.remove('m0'); // compacts the rows
    add('m3');
    add('t1');
    index.remove('m3'); // drops a pending work
    index.core.indexBuild();
    index.remove('m1');
    add('m0'); // a removed work again, now the newest
    index.core.indexBuild();

    const scratch = await indexOf(['t0', 'm2', 't1', 'm0']);
    expect(index.core.indexPostingCount).toBe(scratch.core.indexPostingCount);
    expect(index.core.indexWorkCount).toBe(4);
    const got = answers(index);
    expect(got).toEqual(answers(scratch));
    expect(got.filter((r) => r.matches.length > 0).length).toBeGreaterThanOrEqual(8);
  });

  it('matches before a build as after one (a query builds first)', async () => {
    const built = await indexOf(['m0', 'm1', 't0']);
    const index = new CatalogIndex(await loadTestCore());
    for (const id of ['m0', 'm1', 't0']) index.add({ id, title: id }, refs.get(id)!);
    expect(answers(index)).toEqual(answers(built));
  });

  it('holds a built posting in 4 bytes (8 with its triplet extra), no raw entries', async () => {
    const one = await indexOf(['m0']);
    const three = await indexOf(['m0', 'm1', 't0']);
    const sum = (ids: string[], f: (fp: Fingerprint) => number) => ids.reduce((n, id) => n + f(refs.get(id)!), 0);
    const added = ['m1', 't0'];
    const postings = sum(added, (fp) => fp.hashes.length + fp.triplets.length + fp.melody.length);
    const words = sum(added, (fp) => fp.hashes.length + 2 * (fp.triplets.length + fp.melody.length));
    expect(three.core.indexPostingCount - one.core.indexPostingCount).toBe(postings);
    // Beyond the postings only the fixed row offsets and counts: the same for either catalog.
    expect(three.core.indexBytes - one.core.indexBytes).toBe(4 * words);
  });

  it('merges and compacts pending entries across chunk boundaries (works crowded into a few hash rows)', async () => {
    // Synthetic pair features, all in the first rows of the first partition, so that each work's
    // pending entries span several 16 kB chunks; a query is part of a work at another offset.
    const formatVersion = analysisCore.formatVersion;
    const empty = new Uint32Array(0);
    const synthetic = (seed: number, n: number, frameShift = 0, from = 0): Fingerprint => {
      const random = rng(seed);
      const hashes = Uint32Array.from({ length: n }, () => Math.floor(random() * 64));
      const frames = Uint32Array.from({ length: n }, (_, i) => Math.floor((i * 7) / 4));
      return {
        formatVersion, durationSec: 60, frameCount: 7500, peakCount: 0, rms: 0.1,
        hashes: hashes.slice(from), hashFrames: frames.slice(from).map((f) => f - frameShift),
        triplets: empty, tripletFrames: empty, tripletExtras: empty, melody: empty, melodyFrames: empty, melodyExtras: empty,
      };
    };
    const works = new Map(Array.from({ length: 6 }, (_, i) => [`s${i}`, synthetic(1000 + i, 9000)]));
    const queries = [0, 2, 4, 5].map((i) => synthetic(1000 + i, 9000, 500, 4000));
    const index = new CatalogIndex(await loadTestCore());
    const add = (id: string) => index.add({ id, title: id }, works.get(id)!);
    add('s0');
    add('s1');
    add('s2');
    index.remove('s1'); // pending, between two pending works
    add('s3');
    index.core.indexBuild();
    add('s4');
    index.remove('s3'); // built
    add('s5');
    index.remove('s5'); // pending, the newest
    add('s5');
    const scratch = new CatalogIndex(await loadTestCore());
    for (const id of ['s0', 's2', 's4', 's5']) scratch.add({ id, title: id }, works.get(id)!);
    expect(index.core.indexPostingCount).toBe(4 * 9000);
    expect(index.core.indexPostingCount).toBe(scratch.core.indexPostingCount);
    const got = queries.map((q) => index.match(q));
    expect(got).toEqual(queries.map((q) => scratch.match(q)));
    expect(got.map((r) => r.matches[0]?.workId)).toEqual(['s0', 's2', 's4', 's5']);
  });
});
