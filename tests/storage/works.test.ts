import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import { openCatalogDb, type CatalogDb } from '../../src/storage/db';
import { DB_VERSION } from '../../src/storage/schema';
import {
  deleteWork, forEachFeatures, getAudio, getCatalogInfo, listWorks, putWork, putWorks, readAllFeatures, renameWork,
} from '../../src/storage/works';
import type { WorkRecord } from '../../src/core/types';

function record(id: string, formatVersion = 1, n = 1000): WorkRecord {
  return {
    meta: { id, title: `Work ${id}`, durationSec: 30, addedAt: Date.now(), sourceName: `${id}.wav` },
    fingerprint: {
      formatVersion, durationSec: 30, frameCount: 3700, peakCount: 500, rms: 0.2,
      hashes: Uint32Array.from({ length: n }, (_, i) => i * 7),
      hashFrames: Uint32Array.from({ length: n }, (_, i) => i),
      triplets: Uint32Array.from({ length: n }, (_, i) => i * 3),
      tripletFrames: Uint32Array.from({ length: n }, (_, i) => i),
      tripletExtras: Uint32Array.from({ length: n }, (_, i) => i * 5),
      melody: Uint32Array.from({ length: n }, (_, i) => i * 11),
      melodyFrames: Uint32Array.from({ length: n }, (_, i) => i),
      melodyExtras: Uint32Array.from({ length: n }, (_, i) => i * 13),
    },
  };
}

let dbName: string;
let db: CatalogDb;

beforeEach(async () => {
  dbName = `tunetrace-test-${crypto.randomUUID()}`;
  db = await openCatalogDb(dbName);
});

afterEach(async () => {
  db.close();
  await deleteDB(dbName);
});

describe('catalog storage in real IndexedDB', () => {
  it('creates every store on first open (migration from nothing)', () => {
    expect(db.version).toBe(DB_VERSION);
    expect([...db.objectStoreNames].sort()).toEqual(['audio', 'features', 'history', 'info', 'metadata', 'snapshot', 'works']);
  });

  it('stores a work with its features and audio, and reads them back', async () => {
    const audio = new Blob([new Uint8Array(4096)], { type: 'audio/wav' });
    await putWork(db, record('a'), audio);
    const works = await listWorks(db);
    expect(works.map((w) => w.id)).toEqual(['a']);
    expect(works[0].audioBytes).toBe(4096);
    // Stored packed: per entry a 3-byte hash and a 1-byte step of frame, and a 4-byte extra for triplets (was 32,000 bytes as arrays).
    expect(works[0].featureBytes).toBe(1000 * (3 + 1) + 2 * 1000 * (3 + 1 + 4));
    const { works: features } = await readAllFeatures(db, 1);
    expect(features[0].fingerprint.hashes).toBeInstanceOf(Uint32Array);
    expect(features[0].fingerprint.hashes[10]).toBe(70);
    expect((await getAudio(db, 'a'))?.size).toBe(4096);
  });

  it('keeps the catalog across a close and reopen', async () => {
    await putWork(db, record('a'));
    db.close();
    db = await openCatalogDb(dbName);
    expect((await listWorks(db)).map((w) => w.id)).toEqual(['a']);
  });

  it('deletes a work with its features and audio', async () => {
    await putWork(db, record('a'), new Blob(['x']));
    await putWork(db, record('b'));
    await deleteWork(db, 'a');
    expect((await listWorks(db)).map((w) => w.id)).toEqual(['b']);
    expect(await db.get('features', 'a')).toBeUndefined();
    expect(await getAudio(db, 'a')).toBeUndefined();
  });

  it('writes all works of a batch or none: a failing item leaves nothing half-written', async () => {
    await putWork(db, record('existing'));
    const bad = record('bad');
    // A function cannot be stored: the third write fails after two were queued.
    (bad.meta as unknown as Record<string, unknown>).sourceName = (() => 0) as unknown as string;
    await expect(putWorks(db, [{ record: record('one') }, { record: bad }, { record: record('two') }])).rejects.toThrow();
    expect((await listWorks(db)).map((w) => w.id)).toEqual(['existing']);
    expect(await db.getAllKeys('features')).toEqual(['existing']);
  });

  it('sets features of another core format apart as stale instead of matching them', async () => {
    await putWork(db, record('new', 1));
    await putWork(db, record('old', 0));
    const { works, staleIds } = await readAllFeatures(db, 1);
    expect(works.map((w) => w.meta.id)).toEqual(['new']);
    expect(staleIds).toEqual(['old']);
  });

  it('hands each work over as it is read, in the order readAllFeatures lists them, stale ones apart', async () => {
    await putWorks(db, ['c', 'a', 'old', 'b'].map((id) => ({ record: record(id, id === 'old' ? 2 : 1, 50) })));
    const seen: string[] = [];
    const { staleIds } = await forEachFeatures(db, 1, ({ meta, fingerprint }) => {
      expect(fingerprint.hashes).toBeInstanceOf(Uint32Array);
      seen.push(meta.id);
    });
    expect(staleIds).toEqual(['old']);
    expect(seen).toEqual((await readAllFeatures(db, 1)).works.map((w) => w.meta.id));
    expect(seen.sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps features packed, reads them back exactly, and still reads records stored before packing', async () => {
    const a = record('a');
    await putWork(db, a);
    const raw = await db.get('features', 'a');
    expect(raw && 'packed' in raw && raw.packed).toBeInstanceOf(Uint8Array);
    expect(raw && 'hashes' in raw).toBe(false);
    // A record as Tunetrace stored it before packing: the fingerprint's arrays as they are.
    const legacy = record('legacy');
    await putWork(db, legacy);
    await db.put('features', { ...legacy.fingerprint, id: 'legacy' });
    const { works, staleIds } = await readAllFeatures(db, 1);
    expect(staleIds).toEqual([]);
    const byId = new Map(works.map((w) => [w.meta.id, w.fingerprint]));
    for (const [id, original] of [['a', a], ['legacy', legacy]] as const) {
      const back = byId.get(id)!;
      expect(back.hashes).toEqual(original.fingerprint.hashes);
      expect(back.tripletExtras).toEqual(original.fingerprint.tripletExtras);
      expect(back.melodyFrames).toEqual(original.fingerprint.melodyFrames);
      expect(back.rms).toBe(original.fingerprint.rms);
    }
  });

  it('sets a damaged features record apart as stale, and reads the other works', async () => {
    await putWorks(db, ['a', 'b'].map((id) => ({ record: record(id, 1, 50) })));
    const raw = (await db.get('features', 'a'))!;
    await db.put('features', { ...raw, packed: (raw as { packed: Uint8Array }).packed.slice(0, 100) });
    const { works, staleIds } = await readAllFeatures(db, 1);
    expect(works.map((w) => w.meta.id)).toEqual(['b']);
    expect(staleIds).toEqual(['a']);
  });

  it('stops reading when the receiver throws (e.g. the index is out of memory)', async () => {
    await putWorks(db, ['a', 'b', 'c'].map((id) => ({ record: record(id, 1, 50) })));
    let calls = 0;
    const read = forEachFeatures(db, 1, () => {
      calls++;
      throw new Error('full');
    });
    await expect(read).rejects.toThrow('full');
    expect(calls).toBe(1);
  });

  it('renames a work and keeps one catalog identity', async () => {
    await putWork(db, record('a'));
    await renameWork(db, 'a', 'Night Drive');
    expect((await listWorks(db))[0].title).toBe('Night Drive');
    const first = await getCatalogInfo(db);
    const second = await getCatalogInfo(db);
    expect(second.catalogId).toBe(first.catalogId);
  });
});
