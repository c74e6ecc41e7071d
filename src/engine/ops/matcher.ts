import { getCore, getCoreId } from '../load-core';
import type { CatalogIndex } from '../../core/catalog-index';
import { openCatalogDb } from '../../storage/db';
import { loadCatalog } from '../load-catalog';
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
}

let stale: string[] = [];

/**
 * Builds the index from every work in IndexedDB (or its stored snapshot, see load-catalog.ts). Called
 * once when the worker starts (and after a respawn). After a load from the features a snapshot is
 * taken and stored in the background: the index is ready before.
 */
export function loadIndex(dbName?: string): Promise<IndexStats> {
  index = (async () => {
    const [core, coreId] = await Promise.all([getCore(), getCoreId()]);
    const db = await openCatalogDb(dbName);
    let loaded;
    try {
      loaded = await loadCatalog(db, core, coreId);
    } catch (e) {
      db.close();
      throw e;
    }
    stale = loaded.stale;
    const save = loaded.saveSnapshot;
    if (save) {
      // After the answer: calls already waiting for the index run first (they were queued on it).
      setTimeout(() => void save().finally(() => db.close()), 0);
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
  return { formatVersion: idx.core.formatVersion, works: idx.size, postings: idx.core.indexPostingCount, bytes: idx.core.indexBytes, stale };
}

export async function addToIndex(meta: Pick<WorkMeta, 'id' | 'title'>, fingerprint: Fingerprint): Promise<void> {
  (await ready()).add(meta, fingerprint);
}

export async function removeFromIndex(workId: string): Promise<void> {
  (await ready()).remove(workId);
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
