import { openDB, type IDBPDatabase } from 'idb';
import { DB_NAME, DB_VERSION, type TunetraceDB } from './schema';

export type CatalogDb = IDBPDatabase<TunetraceDB>;

/** Opens (and migrates) the catalog database. Every migration step runs from the version found. */
export function openCatalogDb(name: string = DB_NAME): Promise<CatalogDb> {
  return openDB<TunetraceDB>(name, DB_VERSION, {
    upgrade(db, oldVersion) {
      // Fall through on purpose: a database at version n runs every step after n.
      switch (oldVersion) {
        case 0: {
          const works = db.createObjectStore('works', { keyPath: 'id' });
          works.createIndex('addedAt', 'addedAt');
          db.createObjectStore('features', { keyPath: 'id' });
          db.createObjectStore('audio', { keyPath: 'id' });
          db.createObjectStore('info');
        }
      }
    },
    blocking() {
      // Another tab wants a newer version: let it.
    },
  });
}
