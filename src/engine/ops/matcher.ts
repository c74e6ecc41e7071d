import { getCore, getCoreId } from '../load-core';
import type { CatalogIndex } from '../../core/catalog-index';
import { openCatalogDb } from '../../storage/db';
import type { CatalogChange } from '../../storage/snapshot';
import { loadCatalog, snapshotDue, storeSnapshot, type CatalogLoad, type CatalogLoadOptions, type CatalogLoadProgress } from '../load-catalog';
import type { Fingerprint, QueryResult, WorkMeta } from '../../core/types';

let index: Promise<CatalogIndex> | undefined;

export interface IndexStats {
  /** The core's feature format: stored features of any other version are not matched. */
  formatVersion: number;
  works: number;
  postings: number;
  bytes: number;
  /** Works whose stored features are of another core format and were left out. */
  stale: string[];
  /** The last load: where the index came from, and ms from opening the database to the index being ready. */
  load?: { source: CatalogLoad['source']; ms: number };
}

let stale: string[] = [];
let lastLoad: IndexStats['load'];
let loadedDbName: string | undefined;
let loadOptions: CatalogLoadOptions = {};
/**
 * The catalog stamp the index reflects: that of the load, moved on by each change the index is told
 * of in order (addToIndex, removeFromIndex); undefined once a change came without its stamps or out of
 * order, until the next load. Only an index that reflects a stamp is kept as a snapshot.
 */
let indexStamp: string | undefined;
/** The index's loads so far: a snapshot due after changes is not taken of the index of a later load. */
let loadCount = 0;
let snapshotTimer: ReturnType<typeof setTimeout> | undefined;
/** The load's progress is told at most this often. */
const PROGRESS_EVERY_MS = 100;
/** After a change, the snapshot waits this long for the next one, so a batch of works is kept once. */
const SNAPSHOT_AFTER_CHANGE_MS = 5000;

/**
 * Builds the index from every work in IndexedDB (or its stored snapshot, see load-catalog.ts). Called
 * once when the worker starts (and after a respawn). After a load from the features a snapshot is
 * taken and stored in the background: the index is ready before.
 */
export function loadIndex(dbName?: string, options: CatalogLoadOptions = {}, onProgress?: (progress: CatalogLoadProgress) => void): Promise<IndexStats> {
  const load = ++loadCount;
  clearTimeout(snapshotTimer);
  loadedDbName = dbName;
  loadOptions = options;
  // (A function from another thread: each call is a message, so at most one per PROGRESS_EVERY_MS, and the last.)
  let told = 0;
  const tell = onProgress && ((p: CatalogLoadProgress) => {
    const now = performance.now();
    if (p.done < p.total && now - told < PROGRESS_EVERY_MS) return;
    told = now;
    void Promise.resolve(onProgress(p)).catch(() => undefined);
  });
  index = (async () => {
    const [core, coreId] = await Promise.all([getCore(), getCoreId()]);
    const t0 = performance.now();
    const db = await openCatalogDb(dbName);
    let loaded;
    try {
      loaded = await loadCatalog(db, core, coreId, { ...options, onProgress: tell });
    } catch (e) {
      db.close();
      throw e;
    }
    stale = loaded.stale;
    indexStamp = loaded.stamp;
    lastLoad = { source: loaded.source, ms: performance.now() - t0 };
    const save = loaded.saveSnapshot;
    if (save) {
      // After the answer: calls already waiting for the index run first (they were queued on it).
      setTimeout(() => void (load === loadCount ? save() : Promise.resolve(false)).finally(() => db.close()), 0);
    } else {
      db.close();
    }
    return loaded.index;
  })();
  return index.then(statsOf);
}

function ready(): Promise<CatalogIndex> {
  return (index ??= loadIndex().then(() => index!));
}

function statsOf(idx: CatalogIndex): IndexStats {
  return { formatVersion: idx.core.formatVersion, works: idx.size, postings: idx.core.indexPostingCount, bytes: idx.core.indexBytes, stale, load: lastLoad };
}

/** Follows a change just applied to the index, and keeps a snapshot of the index a while after the last one. */
function followed(idx: CatalogIndex, workId: string, change: CatalogChange | undefined): void {
  stale = stale.filter((id) => id !== workId);
  indexStamp = change && change.from === indexStamp ? change.to : undefined;
  clearTimeout(snapshotTimer);
  if (indexStamp === undefined || !snapshotDue(idx, loadOptions)) return;
  const load = loadCount;
  snapshotTimer = setTimeout(async () => {
    if (load !== loadCount || indexStamp === undefined) return;
    const stamp = indexStamp;
    try {
      const [coreId, db] = await Promise.all([getCoreId(), openCatalogDb(loadedDbName)]);
      try {
        // The index is the catalog at `stamp` unless a change or a load came while the database opened.
        if (load === loadCount && indexStamp === stamp) await storeSnapshot(db, idx, coreId, stamp, stale, loadOptions);
      } finally {
        db.close();
      }
    } catch {
      // Only a cache: the next load reads the features.
    }
  }, SNAPSHOT_AFTER_CHANGE_MS);
}

/** Adds a work written by the change `change` (putWork's); without it the index stops being kept as a snapshot until the next load. */
export async function addToIndex(meta: Pick<WorkMeta, 'id' | 'title'>, fingerprint: Fingerprint, change?: CatalogChange): Promise<void> {
  const idx = await ready();
  try {
    idx.add(meta, fingerprint);
  } catch (e) {
    // (The index may hold part of the work: it reflects no stamp now.)
    followed(idx, meta.id, undefined);
    throw e;
  }
  followed(idx, meta.id, change);
}

/** Removes a work deleted by the change `change` (deleteWork's); see addToIndex. */
export async function removeFromIndex(workId: string, change?: CatalogChange): Promise<void> {
  const idx = await ready();
  idx.remove(workId);
  followed(idx, workId, change);
}

export async function renameInIndex(workId: string, title: string): Promise<void> {
  (await ready()).rename(workId, title);
}

export async function matchQuery(query: Fingerprint): Promise<QueryResult> {
  return (await ready()).match(query);
}

export async function indexStats(): Promise<IndexStats> {
  return statsOf(await ready());
}
