import { getCore } from '../load-core';
import { CatalogIndex } from '../../core/catalog-index';
import { openCatalogDb } from '../../storage/db';
import { forEachFeatures } from '../../storage/works';
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

/** Builds the index from every work in IndexedDB. Called once when the worker starts (and after a respawn). */
export function loadIndex(dbName?: string): Promise<IndexStats> {
  index = (async () => {
    const core = await getCore();
    const idx = new CatalogIndex(core);
    const db = await openCatalogDb(dbName);
    try {
      // Each work is added as it is read: the adds overlap IndexedDB's reading of the next ones.
      const { staleIds } = await forEachFeatures(db, core.formatVersion, ({ meta, fingerprint }) => idx.add(meta, fingerprint));
      stale = staleIds;
      core.indexBuild();
    } finally {
      db.close();
    }
    return idx;
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
