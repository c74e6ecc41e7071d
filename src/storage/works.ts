import type { CatalogDb } from './db';
import type { CatalogInfo, StoredFeatures, StoredWork } from './schema';
import { workMetaOf, type Fingerprint, type NoteLine, type WorkMeta, type WorkRecord } from '../core/types';
import { packFingerprint, packedBytes, unpackFingerprint, type PackedFingerprint } from '../core/feature-codec';
import { newCatalogId } from '../core/catalog-file';
import { changeCatalogStamp, readCatalogStamp, type CatalogChange } from './snapshot';

// Works in IndexedDB. A work is three records (metadata, features, audio);
// they are written and deleted in one transaction, so a failure or a closed
// tab never leaves part of a work behind. The same transaction deletes the
// index snapshot (snapshot.ts), so it never outlives the catalog it was built from.

export class StorageFullError extends Error {
  constructor() {
    super('Your browser has no more room for this site’s data, so nothing was saved. Remove works you no longer need, or free disk space, and try again.');
    this.name = 'StorageFullError';
  }
}

function isQuotaError(e: unknown): boolean {
  return e instanceof DOMException && (e.name === 'QuotaExceededError' || e.name === 'NS_ERROR_DOM_QUOTA_REACHED');
}

type WorkStores = ['works', 'features', 'audio', 'snapshot'];
const WORK_STORES: WorkStores = ['works', 'features', 'audio', 'snapshot'];

function storedWork(meta: WorkMeta, packed: PackedFingerprint, audioBytes: number): StoredWork {
  return {
    ...meta,
    formatVersion: packed.formatVersion,
    hashCount: packed.counts.hashes,
    audioBytes,
    featureBytes: packedBytes(packed),
  };
}

/**
 * The fingerprint of a features record: packed (feature-codec.ts), or as records stored before
 * packing kept it (typed arrays). Null if the record is damaged: the work is then treated as one of
 * another format (re-analysed from its audio, or named as one to add again).
 */
function fingerprintOf(record: StoredFeatures): Fingerprint | null {
  const { id: _, ...rest } = record;
  if (!('packed' in rest)) return rest;
  try {
    return unpackFingerprint(rest);
  } catch {
    return null;
  }
}

/**
 * Writes works, each with its features and audio (or none), in one
 * transaction: all of them or none. A full disk becomes StorageFullError.
 * Returns the works records written and the change of the catalog stamp.
 */
export async function putWorks(db: CatalogDb, items: { record: WorkRecord; audio?: Blob }[]): Promise<{ stored: StoredWork[]; change: CatalogChange }> {
  // Packed before the transaction opens: it commits as soon as a turn passes with nothing queued.
  const packed = items.map(({ record }) => packFingerprint(record.fingerprint));
  const stored = items.map(({ record, audio }, i) => storedWork(record.meta, packed[i], audio?.size ?? 0));
  const tx = db.transaction(WORK_STORES, 'readwrite');
  try {
    // Only IndexedDB requests are awaited inside the transaction.
    const writes: Promise<unknown>[] = [];
    const queue = (...requests: Promise<unknown>[]) => {
      // Mark each request handled now: after an abort they all reject, and only the first error matters.
      for (const r of requests) r.catch(() => undefined);
      writes.push(...requests);
    };
    const change = changeCatalogStamp(tx.objectStore('snapshot'));
    queue(change);
    items.forEach(({ record: { meta }, audio }, i) => {
      queue(
        tx.objectStore('works').put(stored[i]),
        tx.objectStore('features').put({ ...packed[i], id: meta.id }),
        audio ? tx.objectStore('audio').put({ id: meta.id, blob: audio }) : tx.objectStore('audio').delete(meta.id),
      );
    });
    await Promise.all([...writes, tx.done]);
    return { stored, change: await change };
  } catch (e) {
    // A request that throws synchronously (a value that cannot be stored) does not abort the
    // transaction by itself: abort it, so the writes already queued are undone too.
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await tx.done.catch(() => undefined);
    if (isQuotaError(e) || isQuotaError(tx.error)) throw new StorageFullError();
    throw e;
  }
}

/** Writes one work atomically, replacing a work with the same id. */
export async function putWork(db: CatalogDb, record: WorkRecord, audio?: Blob): Promise<{ stored: StoredWork; change: CatalogChange }> {
  const { stored, change } = await putWorks(db, [{ record, audio }]);
  return { stored: stored[0], change };
}

export async function listWorks(db: CatalogDb): Promise<StoredWork[]> {
  return db.getAllFromIndex('works', 'addedAt');
}

/** Deletes a work with its features, audio and metadata; returns the change of the catalog stamp. */
export async function deleteWork(db: CatalogDb, id: string): Promise<CatalogChange> {
  const tx = db.transaction([...WORK_STORES, 'metadata'], 'readwrite');
  const [change] = await Promise.all([
    changeCatalogStamp(tx.objectStore('snapshot')),
    tx.objectStore('works').delete(id), tx.objectStore('features').delete(id), tx.objectStore('audio').delete(id),
    tx.objectStore('metadata').delete(id), tx.done,
  ]);
  return change;
}

export async function renameWork(db: CatalogDb, id: string, title: string): Promise<StoredWork | undefined> {
  const tx = db.transaction('works', 'readwrite');
  const work = await tx.store.get(id);
  if (!work) {
    await tx.done;
    return undefined;
  }
  const next = { ...work, title };
  await Promise.all([tx.store.put(next), tx.done]);
  return next;
}

/**
 * Hands each work with features of `formatVersion` to `onWork` as IndexedDB delivers it (in the
 * works store's order), so the caller can index one work while the next is read and no list of
 * every work is kept; ids of works stored with another format are returned, and the catalog stamp
 * of this read (for an index snapshot built from it). `onRead` counts the works read, stale or not.
 */
export async function forEachFeatures(
  db: CatalogDb, formatVersion: number, onWork: (work: WorkRecord) => void, onRead?: (done: number, total: number) => void,
): Promise<{ staleIds: string[]; stamp: string }> {
  const tx = db.transaction(['works', 'features', 'snapshot'], 'readonly');
  const staleIds: string[] = [];

  // One get per work, all queued at once, rather than one getAll of the features: each record is
  // deserialised as it arrives while the backend reads the next, where getAll first gathers one
  // huge result (10,000 works of 30 s: 600 MB). See the benchmark section of README.md.
  const read = (async () => {
    const metas = await tx.objectStore('works').getAll();
    const store = tx.objectStore('features');
    const gets = metas.map((m) => store.get(m.id));
    // If onWork throws, the gets not yet awaited must not surface as unhandled rejections.
    for (const g of gets) g.catch(() => undefined);
    for (const [i, m] of metas.entries()) {
      const f = await gets[i];
      const fingerprint = f && f.formatVersion === formatVersion ? fingerprintOf(f) : null;
      if (fingerprint) onWork({ meta: workMetaOf(m), fingerprint });
      else staleIds.push(m.id);
      onRead?.(i + 1, metas.length);
    }
  })();
  const [stamp] = await Promise.all([readCatalogStamp(tx.objectStore('snapshot')), read, tx.done]);
  return { staleIds, stamp };
}

/** Every work with features of `formatVersion`; ids of works stored with another format are listed apart. */
export async function readAllFeatures(db: CatalogDb, formatVersion: number): Promise<{ works: WorkRecord[]; staleIds: string[] }> {
  const works: WorkRecord[] = [];
  const { staleIds } = await forEachFeatures(db, formatVersion, (w) => works.push(w));
  return { works, staleIds };
}

/** A work's melody notes as stored with its features; undefined when the work was stored before notes were kept (or is gone). */
export async function getWorkNotes(db: CatalogDb, id: string): Promise<NoteLine | undefined> {
  return (await db.get('features', id))?.notes;
}

export async function getAudio(db: CatalogDb, id: string): Promise<Blob | undefined> {
  return (await db.get('audio', id))?.blob;
}

function newCatalogInfo(): CatalogInfo {
  return { catalogId: newCatalogId(), name: 'My catalog', createdAt: Date.now(), demoSeeded: false };
}

/** The catalog's identity, created on first use. */
export async function getCatalogInfo(db: CatalogDb): Promise<CatalogInfo> {
  const tx = db.transaction('info', 'readwrite');
  let info = await tx.store.get('catalog');
  if (!info) {
    info = newCatalogInfo();
    await tx.store.put(info, 'catalog');
  }
  await tx.done;
  return info;
}

/**
 * Reads, changes and writes the catalog record in one transaction, so two changes made at once
 * (a work added while a setting changes) never overwrite each other. Returns the record written.
 */
export async function updateCatalogInfo(db: CatalogDb, change: (info: CatalogInfo) => CatalogInfo): Promise<CatalogInfo> {
  const tx = db.transaction('info', 'readwrite');
  const next = change((await tx.store.get('catalog')) ?? newCatalogInfo());
  await Promise.all([tx.store.put(next, 'catalog'), tx.done]);
  return next;
}

export async function setCatalogInfo(db: CatalogDb, info: CatalogInfo): Promise<void> {
  await db.put('info', info, 'catalog');
}
