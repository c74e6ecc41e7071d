import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB, openDB } from 'idb';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import { deleteWork, getAudio, getCatalogInfo, listWorks } from '../../src/storage/works';
import { getMetadata, listMetadata, putMetadata } from '../../src/storage/metadata';
import { emptyMetadata } from '../../src/core/metadata';
import { createStoresOfVersion } from './fixtures';
import type { Fingerprint } from '../../src/core/types';

let dbName = '';
let db: CatalogDb | undefined;

afterEach(async () => {
  db?.close();
  db = undefined;
  await deleteDB(dbName);
});

/** Writes a catalog exactly as version 1 of the app laid it out, with raw IndexedDB calls. */
async function makeVersion1(name: string, workCount: number) {
  const v1 = await openDB(name, 1, { upgrade: (d) => createStoresOfVersion(d, 1) });
  const tx = v1.transaction(['works', 'features', 'audio', 'info'], 'readwrite');
  const expected = [];
  for (let i = 0; i < workCount; i++) {
    const id = `w${i}`;
    const hashes = Uint32Array.from({ length: 50 + i }, (_, k) => k * 31 + i);
    const hashFrames = Uint32Array.from({ length: 50 + i }, (_, k) => k);
    const work = { id, title: `Work ${i}`, durationSec: 10 + i, addedAt: 1000 + i, sourceName: `${id}.wav`, formatVersion: 1, hashCount: hashes.length, audioBytes: 3 + i, featureBytes: hashes.byteLength * 2 };
    void tx.objectStore('works').put(work);
    void tx.objectStore('features').put({ id, formatVersion: 1, durationSec: 10 + i, frameCount: 1250, peakCount: 99, rms: 0.1, hashes, hashFrames });
    void tx.objectStore('audio').put({ id, blob: new Blob([new Uint8Array(3 + i).fill(i)]) });
    expected.push({ work, hashes });
  }
  void tx.objectStore('info').put({ catalogId: 'cat-v1', name: 'Old catalog', createdAt: 5, demoSeeded: true, keepAudio: false }, 'catalog');
  await tx.done;
  v1.close();
  return expected;
}

describe('rights metadata in real IndexedDB', () => {
  it('migrates a version-1 catalog with works to version 2 without losing anything', async () => {
    dbName = `tunetrace-migrate-${crypto.randomUUID()}`;
    const expected = await makeVersion1(dbName, 6);
    db = await openCatalogDb(dbName);
    // Migrated through every later step too (history.test.ts covers 2 → 3).
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['audio', 'features', 'history', 'info', 'metadata', 'snapshot', 'works']);
    expect(await listWorks(db)).toEqual(expected.map((e) => e.work));
    // Features exactly as stored (whether they are still current is the works store's business, not the migration's).
    const features = await db.getAll('features');
    expect(features.map((f) => [f.id, f.formatVersion, [...(f as Fingerprint).hashes]])).toEqual(expected.map((e) => [e.work.id, 1, [...e.hashes]]));
    expect((await getAudio(db, 'w4'))?.size).toBe(7);
    expect(await getCatalogInfo(db)).toEqual({ catalogId: 'cat-v1', name: 'Old catalog', createdAt: 5, demoSeeded: true, keepAudio: false });
    // The new store starts empty, and takes metadata for the migrated works.
    expect(await listMetadata(db)).toEqual([]);
    await putMetadata(db, [{ ...emptyMetadata('w2'), clearance: 'cleared', creators: [{ name: 'Ana', role: 'composer', splitPercent: 100 }] }]);
    db.close();
    db = await openCatalogDb(dbName);
    expect((await getMetadata(db, 'w2'))?.creators[0].name).toBe('Ana');
    expect((await listWorks(db)).length).toBe(6);
  });

  it('stores metadata only for works that exist, and removes it with its work', async () => {
    dbName = `tunetrace-meta-${crypto.randomUUID()}`;
    db = await openCatalogDb(dbName);
    // Work records written directly: this test is about metadata, not the shape of features.
    for (const id of ['a', 'b']) {
      await db.put('works', { id, title: id, durationSec: 5, addedAt: 1, sourceName: `${id}.wav`, formatVersion: 1, hashCount: 0, audioBytes: 0, featureBytes: 0 });
    }
    const skipped = await putMetadata(db, [{ ...emptyMetadata('a'), notes: 'x' }, { ...emptyMetadata('ghost'), notes: 'y' }, { ...emptyMetadata('b'), isrc: 'GB-A1B-24-00042' }]);
    expect(skipped).toEqual(['ghost']);
    expect((await listMetadata(db)).map((m) => m.workId).sort()).toEqual(['a', 'b']);
    await deleteWork(db, 'a');
    expect(await getMetadata(db, 'a')).toBeUndefined();
    expect((await getMetadata(db, 'b'))?.isrc).toBe('GB-A1B-24-00042');
  });
});
