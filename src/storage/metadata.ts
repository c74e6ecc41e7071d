import type { CatalogDb } from './db';
import type { WorkMetadata } from '../core/metadata';

// Rights metadata, one record per work id (store `metadata`, since version 2).
// Callers validate first (core/metadata.ts); this module only stores.

export async function listMetadata(db: CatalogDb): Promise<WorkMetadata[]> {
  return db.getAll('metadata');
}

export async function getMetadata(db: CatalogDb, workId: string): Promise<WorkMetadata | undefined> {
  return db.get('metadata', workId);
}

/**
 * Writes records for works that exist, in one transaction: all or none.
 * Returns the ids it skipped because no such work is stored (removed meanwhile).
 */
export async function putMetadata(db: CatalogDb, records: WorkMetadata[]): Promise<string[]> {
  const tx = db.transaction(['works', 'metadata'], 'readwrite');
  const ids = new Set(await tx.objectStore('works').getAllKeys());
  const skipped = records.filter((r) => !ids.has(r.workId)).map((r) => r.workId);
  await Promise.all([...records.filter((r) => ids.has(r.workId)).map((r) => tx.objectStore('metadata').put(r)), tx.done]);
  return skipped;
}
