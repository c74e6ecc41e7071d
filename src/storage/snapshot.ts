import type { IDBPObjectStore, StoreNames } from 'idb';
import type { CatalogDb } from './db';
import type { CatalogStamp, StoredIndexSnapshot, TunetraceDB } from './schema';

// The index snapshot (store `snapshot`, since version 4): a cache of the built in-memory index, so a
// load copies it back instead of adding every work again. It is never the only copy of anything:
// - every transaction that writes works or features deletes it and sets a new catalog stamp
//   (changeCatalogStamp), so a snapshot never outlives the catalog it was built from;
// - one is stored only if the stamp is still the one of the read it was built from (putIndexSnapshot
//   checks it in its own transaction), so a change made while it was being built wins;
// - it is one record written in one transaction: a tab closed mid-write leaves the old state (no snapshot).

type SnapshotStore<Mode extends IDBTransactionMode> = IDBPObjectStore<TunetraceDB, ArrayLike<StoreNames<TunetraceDB>>, 'snapshot', Mode>;

/** A write of works or features, as the catalog stamps before and after it (the matcher follows them, see ops/matcher.ts). */
export interface CatalogChange {
  from: CatalogStamp;
  to: CatalogStamp;
}

/** In a transaction that writes works or features: deletes the snapshot and sets a new stamp. Resolves to the change. */
export async function changeCatalogStamp(store: SnapshotStore<'readwrite'>): Promise<CatalogChange> {
  const to = crypto.randomUUID();
  // Requests on one store run in order: the get sees the stamp before the put.
  const [from] = await Promise.all([store.get('stamp'), store.delete('index'), store.put(to, 'stamp')]);
  return { from: typeof from === 'string' ? from : '', to };
}

function isSnapshot(value: StoredIndexSnapshot | CatalogStamp | undefined): value is StoredIndexSnapshot {
  return typeof value === 'object' && value !== null && value.data instanceof Blob;
}

/**
 * The stored snapshot if it was built by this core (`coreId`, `formatVersion`) from the catalog as it
 * is now, and the title of each work (a promise, so the snapshot can be read meanwhile); `unusable` is
 * true when a snapshot is stored but cannot be used.
 */
export async function readIndexSnapshot(
  db: CatalogDb, coreId: string, formatVersion: number,
): Promise<{ snapshot?: StoredIndexSnapshot; titles?: Promise<Map<string, string>>; unusable: boolean }> {
  const tx = db.transaction(['snapshot', 'works'], 'readonly');
  const [value, stamp] = await Promise.all([tx.objectStore('snapshot').get('index'), tx.objectStore('snapshot').get('stamp')]);
  if (value === undefined) {
    await tx.done;
    return { unusable: false };
  }
  if (!isSnapshot(value) || value.coreId !== coreId || value.formatVersion !== formatVersion || value.stamp !== (stamp ?? '')) {
    await tx.done;
    return { unusable: true };
  }
  const titles = Promise.all([tx.objectStore('works').getAll(), tx.done]).then(([works]) => new Map(works.map((w) => [w.id, w.title])));
  return { snapshot: value, titles, unusable: false };
}

/** The catalog stamp, read in the transaction of `store`: '' before the first change. */
export async function readCatalogStamp(store: SnapshotStore<IDBTransactionMode>): Promise<CatalogStamp> {
  const stamp = await store.get('stamp');
  return typeof stamp === 'string' ? stamp : '';
}

/**
 * What putIndexSnapshot did: `stored`; `skipped` because the catalog changed since the read the snapshot
 * was built from (its stamp is not the current one), the site's storage is nearly full or the connection
 * is closing; or `failed`: the write itself threw. Chromium refuses a first blob over about 500 MB
 * ("Failed to write blobs (InvalidBlob)") until it has set its blob storage limits; the same write made
 * again with a new Blob two seconds later went through (see load-catalog.ts storeSnapshot).
 */
export type SnapshotPut = 'stored' | 'skipped' | 'failed';

/**
 * Stores `snapshot` unless the catalog changed since the read it was built from, or the site's storage
 * is nearly full. A full disk is not an error here: the snapshot is a cache. Never rejects.
 */
export async function putIndexSnapshot(db: CatalogDb, snapshot: StoredIndexSnapshot): Promise<SnapshotPut> {
  // A cache must not take the room the catalog needs: keep twice its size free (the estimate is rough).
  const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
  if (estimate?.quota !== undefined && (estimate.usage ?? 0) + 2 * snapshot.data.size > estimate.quota) return 'skipped';
  let tx;
  try {
    // (Throws if the connection was closed meanwhile, e.g. for another tab's upgrade.)
    tx = db.transaction('snapshot', 'readwrite');
  } catch {
    return 'skipped';
  }
  try {
    const stamp = await tx.store.get('stamp');
    if ((typeof stamp === 'string' ? stamp : '') !== snapshot.stamp) {
      await tx.done;
      return 'skipped';
    }
    await Promise.all([tx.store.put(snapshot, 'index'), tx.done]);
    return 'stored';
  } catch {
    try {
      tx.abort();
    } catch {
      // already finished or aborted
    }
    await tx.done.catch(() => undefined);
    return 'failed';
  }
}

/** Deletes the snapshot (one that this core cannot use, so it does not hold disk space for nothing). */
export async function dropIndexSnapshot(db: CatalogDb): Promise<void> {
  await db.delete('snapshot', 'index');
}
