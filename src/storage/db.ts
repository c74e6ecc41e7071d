import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, type TunetraceDB } from './schema';

export type CatalogDb = IDBPDatabase<TunetraceDB>;

/** Opens (and migrates) the catalog database. Every migration step runs from the version found. */
export async function openCatalogDb(name: string = DB_NAME): Promise<CatalogDb> {
  const db = await openDB<TunetraceDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      // A database at version n runs every step after n, in order: step v migrates v → v + 1.
      for (let version = oldVersion; version < DB_VERSION; version++) {
        switch (version) {
          case 0: {
            const works = db.createObjectStore('works', { keyPath: 'id' });
            works.createIndex('addedAt', 'addedAt');
            db.createObjectStore('features', { keyPath: 'id' });
            db.createObjectStore('audio', { keyPath: 'id' });
            db.createObjectStore('info');
            break;
          }
          case 1: {
            // Version 2: rights metadata in its own store, keyed by work id; works records are untouched.
            db.createObjectStore('metadata', { keyPath: 'workId' });
            break;
          }
          case 2: {
            // Version 3: past checks (summary + report, never audio); the catalog's stores are untouched.
            const history = db.createObjectStore('history', { keyPath: 'id' });
            history.createIndex('checkedAt', 'checkedAt');
            break;
          }
          case 3: {
            // Version 4: a snapshot of the built index (a cache, see schema.ts); the catalog's stores are untouched.
            db.createObjectStore('snapshot');
            break;
          }
        }
      }
    },
    blocking() {
      // Another tab (a newer Tunetrace) needs to upgrade the database: close ours so it can.
      // This tab's next write then fails with a message, and a reload picks up the new version.
      db.close();
    },
  });
  return db;
}
