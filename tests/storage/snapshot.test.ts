import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { Core } from '../../src/core/wasm-core';
import type { Fingerprint, WorkRecord } from '../../src/core/types';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import { DB_VERSION, type StoredIndexSnapshot } from '../../src/storage/schema';
import { deleteWork, listWorks, putWork, putWorks, renameWork } from '../../src/storage/works';
import { loadCatalog, type CatalogLoad, type CatalogLoadProgress } from '../../src/engine/load-catalog';
import { synthMelody, synthMusic } from '../fixtures/audio';
import { analysedWorks, createStoresOfVersion } from './fixtures';

// The index snapshot in real IndexedDB: a load from the features stores one, the next load copies
// it back and answers exactly as the first; any write of works or features drops it in its own
// transaction, and one built from a read that a change came after is never stored.

const RATE = 22050;
let module: WebAssembly.Module;
let coreId: string;
let refs: WorkRecord[];
let queries: Fingerprint[];

beforeAll(async () => {
  const audio = [synthMusic(800, 20, RATE), synthMelody(81, 20, RATE, { accompaniment: true }), synthMusic(802, 20, RATE), synthMelody(83, 20, RATE)];
  ({ module, coreId, refs, queries } = await analysedWorks(audio, RATE, (i) => 2 + i, (i) => 14 + i));
}, 120_000);

let dbName = '';
let db: CatalogDb | undefined;

afterEach(async () => {
  db?.close();
  db = undefined;
  await deleteDB(dbName);
});

async function freshDb(): Promise<CatalogDb> {
  dbName = `tunetrace-snapshot-${crypto.randomUUID()}`;
  return openCatalogDb(dbName);
}

/** A load into a fresh core, as a matcher worker that starts makes it; every snapshot is kept (no size threshold). */
async function load(d: CatalogDb, id = coreId, snapshotMinIndexBytes = 0): Promise<CatalogLoad> {
  return loadCatalog(d, await Core.load(module), id, { snapshotMinIndexBytes });
}

const answers = (l: CatalogLoad) => queries.map((q) => l.index.match(q));
const storedSnapshot = async (d: CatalogDb) => (await d.get('snapshot', 'index')) as StoredIndexSnapshot | undefined;

describe('index snapshot in real IndexedDB', () => {
  it('is stored after a load from the features, and the next load restores it with the same answers', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    const cold = await load(db);
    expect(cold.source).toBe('features');
    expect(await cold.saveSnapshot!()).toBe(true);
    const stored = await storedSnapshot(db);
    expect(stored?.coreId).toBe(coreId);
    expect(stored?.workIds).toEqual(['w0', 'w1', 'w2', 'w3']);

    // A rename does not touch the features: the snapshot stays, and the new title comes from the works store.
    await renameWork(db, 'w2', 'Renamed');
    const warm = await load(db);
    expect(warm.source).toBe('snapshot');
    expect(warm.saveSnapshot).toBeUndefined();
    expect(warm.index.size).toBe(4);
    expect(warm.index.core.indexPostingCount).toBe(cold.index.core.indexPostingCount);
    cold.index.rename('w2', 'Renamed');
    const got = answers(warm);
    expect(got).toEqual(answers(cold));
    expect(got.map((r) => r.matches[0]?.workId)).toEqual(['w0', 'w1', 'w2', 'w3']);
    expect(got[2].matches[0].title).toBe('Renamed');
  });

  it('tells the load\'s progress: works read from the features, bytes of the snapshot', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    const seen: CatalogLoadProgress[] = [];
    const onProgress = (p: CatalogLoadProgress) => seen.push(p);
    const cold = await loadCatalog(db, await Core.load(module), coreId, { snapshotMinIndexBytes: 0, onProgress });
    expect(seen.map((p) => `${p.source} ${p.done}/${p.total}`)).toEqual(['features 1/4', 'features 2/4', 'features 3/4', 'features 4/4']);
    expect(await cold.saveSnapshot!()).toBe(true);
    seen.length = 0;
    const warm = await loadCatalog(db, await Core.load(module), coreId, { onProgress });
    expect(warm.source).toBe('snapshot');
    const size = (await storedSnapshot(db))!.data.size;
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p, i) => p.source === 'snapshot' && p.total === size && (i === 0 || p.done >= seen[i - 1].done))).toBe(true);
    expect(seen.at(-1)!.done).toBe(size);
  });

  it('is taken in pieces, a task each: restored the same, and abandoned when the index changes meanwhile', async () => {
    db = await freshDb();
    await putWorks(db, refs.slice(0, 3).map((record) => ({ record })));
    // Small pieces (65,536 words), so that sections span several and pieces end inside them.
    const options = { snapshotMinIndexBytes: 0, snapshotPieceWords: 65536 };
    const cold = await loadCatalog(db, await Core.load(module), coreId, options);
    const saving = cold.saveSnapshot!();
    // (saveSnapshot has copied its first piece and waits for the next task.)
    cold.index.add(refs[3].meta, refs[3].fingerprint);
    expect(await saving).toBe(false);
    expect(await storedSnapshot(db)).toBeUndefined();

    const next = await loadCatalog(db, await Core.load(module), coreId, options);
    expect(await next.saveSnapshot!()).toBe(true);
    const words = (await storedSnapshot(db))!.sectionWords;
    expect(words.some((n) => n > 3 * 65536 && n % 65536 !== 0)).toBe(true);
    const warm = await load(db);
    expect(warm.source).toBe('snapshot');
    expect(answers(warm)).toEqual(answers(next));
  });

  it('is restored the same where a Blob stream has no BYOB reader (read slice by slice)', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    const cold = await load(db);
    await cold.saveSnapshot!();
    const stream = Object.getOwnPropertyDescriptor(Blob.prototype, 'stream')!;
    Object.defineProperty(Blob.prototype, 'stream', { configurable: true, value: () => new ReadableStream() });
    try {
      const warm = await load(db);
      expect(warm.source).toBe('snapshot');
      expect(answers(warm)).toEqual(answers(cold));
    } finally {
      Object.defineProperty(Blob.prototype, 'stream', stream);
    }
  });

  it('is written again with a new Blob when a write fails, as Chromium fails a first blob over ~500 MB', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    const put = IDBObjectStore.prototype.put;
    const written: Blob[] = [];
    let failures = 1;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (key === 'index') {
        written.push((value as StoredIndexSnapshot).data);
        if (failures-- > 0) throw new DOMException('Failed to write blobs (InvalidBlob)', 'DataError');
      }
      return put.call(this, value, key);
    };
    try {
      const cold = await loadCatalog(db, await Core.load(module), coreId, { snapshotMinIndexBytes: 0, snapshotRetryDelaysMs: [10, 10] });
      expect(await cold.saveSnapshot!()).toBe(true);
      expect(written).toHaveLength(2);
      expect(written[1]).not.toBe(written[0]);
      const warm = await load(db);
      expect(warm.source).toBe('snapshot');
      expect(answers(warm)).toEqual(answers(cold));

      // A write that fails every time is given up after the last delay, and the catalog is untouched.
      await putWork(db, { ...refs[0], meta: { ...refs[0].meta, title: 'Again' } });
      failures = Infinity;
      written.length = 0;
      const next = await loadCatalog(db, await Core.load(module), coreId, { snapshotMinIndexBytes: 0, snapshotRetryDelaysMs: [10, 10] });
      expect(await next.saveSnapshot!()).toBe(false);
      expect(written).toHaveLength(3);
      expect(await storedSnapshot(db)).toBeUndefined();
      expect((await listWorks(db)).map((w) => w.id).sort()).toEqual(['w0', 'w1', 'w2', 'w3']);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });

  it('is dropped by adding, replacing or removing a work, in the same transaction', async () => {
    db = await freshDb();
    await putWorks(db, refs.slice(0, 3).map((record) => ({ record })));
    const save = async () => expect(await (await load(db!)).saveSnapshot!()).toBe(true);
    const change = [
      () => putWork(db!, refs[3]),
      () => putWork(db!, { ...refs[0], meta: { ...refs[0].meta, title: 'Again' } }),
      () => deleteWork(db!, 'w1'),
    ];
    for (const c of change) {
      await save();
      expect(await storedSnapshot(db)).toBeDefined();
      await c();
      expect(await storedSnapshot(db)).toBeUndefined();
    }
    const after = await load(db);
    expect(after.source).toBe('features');
    expect(answers(after).map((r) => r.matches[0]?.workId)).toEqual(['w0', undefined, 'w2', 'w3']);
  });

  it('is not stored when the catalog or the index changed after the read it was built from', async () => {
    db = await freshDb();
    await putWorks(db, refs.slice(0, 2).map((record) => ({ record })));
    const cold = await load(db);
    await putWork(db, refs[2]);
    expect(await cold.saveSnapshot!()).toBe(false);
    expect(await storedSnapshot(db)).toBeUndefined();
    const next = await load(db);
    expect(next.source).toBe('features');
    expect(next.index.size).toBe(3);
    // Nor when the index changed since its load (a work added to it, as after a write that changed the stamp).
    next.index.add(refs[3].meta, refs[3].fingerprint);
    expect(await next.saveSnapshot!()).toBe(false);
    expect(await storedSnapshot(db)).toBeUndefined();
  });

  it('is not used by another build of the core, and is dropped by it when too small to keep', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    expect(await (await load(db)).saveSnapshot!()).toBe(true);
    const other = await load(db, 'another-core', Infinity);
    expect(other.source).toBe('features');
    expect(await other.saveSnapshot!()).toBe(false);
    expect(await storedSnapshot(db)).toBeUndefined();
    expect(answers(other).map((r) => r.matches[0]?.workId)).toEqual(['w0', 'w1', 'w2', 'w3']);
  });

  it('falls back to the features when the stored snapshot is damaged, and replaces it', async () => {
    db = await freshDb();
    await putWorks(db, refs.map((record) => ({ record })));
    const cold = await load(db);
    await cold.saveSnapshot!();
    const stored = (await storedSnapshot(db))!;
    // Same size, but the first posting of the pair rows names a slot past the last work.
    const bytes = new Uint32Array(await stored.data.arrayBuffer());
    bytes[stored.sectionWords[0] + stored.sectionWords[1]] = 0xffffffff;
    await db.put('snapshot', { ...stored, data: new Blob([bytes]) }, 'index');
    const fallback = await load(db);
    expect(fallback.source).toBe('features');
    expect(answers(fallback)).toEqual(answers(cold));
    expect(await fallback.saveSnapshot!()).toBe(true);
    expect((await load(db)).source).toBe('snapshot');
  });

  it('migrates a version-3 catalog to version 4 with every work kept and no snapshot yet', async () => {
    dbName = `tunetrace-snapshot-migrate-${crypto.randomUUID()}`;
    const v3 = await openDB(dbName, 3, { upgrade: (d) => createStoresOfVersion(d, 3) });
    const tx = v3.transaction(['works', 'features'], 'readwrite');
    for (const { meta, fingerprint } of refs) {
      void tx.objectStore('works').put({ ...meta, formatVersion: fingerprint.formatVersion, hashCount: fingerprint.hashes.length, audioBytes: 0, featureBytes: 1 });
      void tx.objectStore('features').put({ ...fingerprint, id: meta.id });
    }
    await tx.done;
    v3.close();
    db = await openCatalogDb(dbName);
    expect(db.version).toBe(DB_VERSION);
    expect((await listWorks(db)).map((w) => w.id)).toEqual(['w0', 'w1', 'w2', 'w3']);
    expect(await db.getAllKeys('snapshot')).toEqual([]);
    const cold = await load(db);
    expect(cold.source).toBe('features');
    expect(await cold.saveSnapshot!()).toBe(true);
    expect((await load(db)).source).toBe('snapshot');
  });
});
