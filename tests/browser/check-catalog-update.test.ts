import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import type { Engine } from '../../src/bridge/engine-client';
import { CatalogState } from '../../src/state/catalog.svelte';
import { CheckState } from '../../src/state/check.svelte';
import { openCatalogDb } from '../../src/storage/db';
import { putWork } from '../../src/storage/works';
import type { Fingerprint, QueryResult } from '../../src/core/types';
import type { IndexStats } from '../../src/engine/ops/matcher';
import { encodeWav, synthMusic } from '../fixtures/audio';
import { analysedWorks } from '../storage/fixtures';

// After an update of the core, the works the matcher left out as stale are analysed again from their
// stored audio. A check whose analysis ends while the index still loads waits for the load, and then
// for that re-analysis, before it matches: the works are part of the catalog the user sees. (Before,
// the re-analysis was marked pending only after reading the works' audio, and the check matched first.)
// A real CatalogState on real IndexedDB in Chromium, real decoding; the engine is a stand-in whose index
// load and reference analysis the test releases.

const DB = 'tunetrace-test-check-update';
const RATE = 22050;
const wavOf = (seed: number) => new Blob([encodeWav([synthMusic(seed, 4, RATE)], RATE) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' });

afterEach(async () => {
  await deleteDB(DB);
});

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

describe('a check on the first start after an update', () => {
  it('waits for the index, then for the stale works to be analysed again, before it matches', async () => {
    const { refs } = await analysedWorks([synthMusic(11, 4, RATE)], RATE, () => 0, () => 2);
    const db = await openCatalogDb(DB);
    await putWork(db, refs[0], wavOf(11));
    db.close();

    let finishLoad!: (stats: IndexStats) => void;
    const load = new Promise<IndexStats>((resolve) => (finishLoad = resolve));
    let loaded = false;
    void load.then(() => (loaded = true));
    let releaseReference!: () => void;
    const referenceHeld = new Promise<void>((resolve) => (releaseReference = resolve));
    let matches = 0;
    const engine = {
      poolSize: 1,
      get indexLoaded() { return loaded; },
      loadIndex: () => load,
      onIndexLoad: (listener: (ready: Promise<IndexStats>) => void) => { listener(load); return () => undefined; },
      watchIndexLoad: (ready: Promise<IndexStats>) => ready,
      waitForIndex: () => load.then(() => undefined),
      analyse: async (_name: string, _audio: unknown, role: 'reference' | 'query') => {
        if (role === 'reference') await referenceHeld;
        return refs[0].fingerprint as Fingerprint;
      },
      addToIndex: async () => undefined,
      match: async () => {
        matches++;
        return { matches: [], shares: [], searchedWorks: 1 } as unknown as QueryResult;
      },
    } as unknown as Engine;

    const catalog = new CatalogState(engine, DB);
    const init = catalog.init();
    await until(() => catalog.ready);
    const check = new CheckState(engine, catalog);
    const checking = check.check(wavOf(12), 'q.wav');
    await until(() => check.stage === 'loading-index');

    // The matcher's load leaves the work out: its features are of another core format.
    finishLoad({ works: 0, postings: 0, bytes: 0, formatVersion: 6, stale: [refs[0].meta.id] });
    await until(() => check.stage === 'completing-catalog');
    expect(check.pendingWorks).toMatchObject({ reason: 'update', total: 1, finished: 0 });
    await new Promise((r) => setTimeout(r, 100));
    expect(matches).toBe(0);

    releaseReference();
    await checking;
    expect(check.stage).toBe('done');
    expect(matches).toBe(1);
    await init;
    expect(catalog.pending).toBeNull();
    expect(catalog.jobs.map((j) => j.stage)).toEqual(['done']);
  });
});
