import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { Core } from '../../src/core/wasm-core';
import type { Fingerprint, WorkRecord } from '../../src/core/types';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import type { StoredIndexSnapshot } from '../../src/storage/schema';
import { deleteWork, putWork, putWorks } from '../../src/storage/works';
import { loadCatalog } from '../../src/engine/load-catalog';
import { addToIndex, loadIndex, matchQuery, removeFromIndex } from '../../src/engine/ops/matcher';
import { synthMusic } from '../fixtures/audio';
import { analysedWorks } from './fixtures';

// The matcher worker's operations (here on the page's thread): the index loaded from the features is
// kept as a snapshot; each change it is told of with its stamps (putWork's, deleteWork's) moves the
// index's stamp on, and a few seconds after the last one the index is kept again, so the next start
// restores it; a change without its stamps stops that until the next load.

const RATE = 22050;
const dbName = `tunetrace-snapshot-follow-${crypto.randomUUID()}`;
let db: CatalogDb;
let coreId: string;
let module: WebAssembly.Module;
let refs: WorkRecord[];
let queries: Fingerprint[];

beforeAll(async () => {
  const audio = [0, 1, 2, 3].map((i) => synthMusic(900 + i, 20, RATE));
  ({ module, coreId, refs, queries } = await analysedWorks(audio, RATE, (i) => 3 + i, (i) => 13 + i));
  db = await openCatalogDb(dbName);
}, 120_000);

afterAll(async () => {
  db.close();
  await deleteDB(dbName);
});

const stored = async () => (await db.get('snapshot', 'index')) as StoredIndexSnapshot | undefined;

/** Waits (up to `ms`) for a snapshot to be stored; undefined if none came. */
async function snapshotWithin(ms: number): Promise<StoredIndexSnapshot | undefined> {
  for (const until = performance.now() + ms; performance.now() < until; await new Promise((r) => setTimeout(r, 100))) {
    const s = await stored();
    if (s) return s;
  }
  return undefined;
}

/** What a matcher started now would load, and its answers. */
async function nextStart() {
  const load = await loadCatalog(db, await Core.load(module), coreId, { snapshotMinIndexBytes: 0 });
  return { source: load.source, ids: load.index.slotTable().workIds, answers: queries.map((q) => load.index.match(q)) };
}
const liveAnswers = () => Promise.all(queries.map((q) => matchQuery(q)));

describe('index snapshot kept by the matcher as the catalog changes', () => {
  it('keeps the index after a load and after changes told with their stamps, not after one told without', async () => {
    await putWorks(db, refs.slice(0, 2).map((record) => ({ record })));
    await loadIndex(dbName, { snapshotMinIndexBytes: 0 });
    expect((await snapshotWithin(5000))?.workIds).toEqual(['w0', 'w1']);

    // A work added, then one removed: the write drops the snapshot at once, the matcher keeps its index again later.
    const { change } = await putWork(db, refs[2]);
    expect(await stored()).toBeUndefined();
    await addToIndex(refs[2].meta, refs[2].fingerprint, change);
    const removed = await deleteWork(db, 'w0');
    expect(removed.from).toBe(change.to);
    await removeFromIndex('w0', removed);
    const kept = await snapshotWithin(10_000);
    expect(kept?.workIds).toEqual(['', 'w1', 'w2']);
    expect(kept?.freeSlots).toEqual([0]);
    const next = await nextStart();
    expect(next.source).toBe('snapshot');
    expect(next.answers).toEqual(await liveAnswers());
    expect(next.answers.map((r) => r.matches[0]?.workId)).toEqual([undefined, 'w1', 'w2', undefined]);

    // A change the matcher is not told the stamps of: no snapshot until the next load.
    await putWork(db, refs[3]);
    await addToIndex(refs[3].meta, refs[3].fingerprint);
    expect(await snapshotWithin(7000)).toBeUndefined();
    expect((await nextStart()).source).toBe('features');
  }, 60_000);
});
