import type { CatalogDb } from './db';
import type { StoredCheck } from './schema';
import type { CheckReport } from '../report/report';
import { StorageFullError } from './works';

// Past checks (store `history`, since version 3): a summary for the list and the
// whole check report, so a saved check re-opens exactly as it was reported. The
// audio of the checked file is never stored here.

/** How many shares a history entry lists. */
export const HISTORY_TOP_SHARES = 3;

/** The history record of a report: its summary, with the report itself. */
export function checkFromReport(report: CheckReport, id: string = crypto.randomUUID()): StoredCheck {
  const topShares = [...report.shares]
    .sort((a, b) => b.proportion - a.proportion)
    .slice(0, HISTORY_TOP_SHARES)
    .map(({ workId, title, proportion }) => ({ workId, title, proportion }));
  return {
    id,
    checkedAt: Date.parse(report.generatedAt),
    fileName: report.file.name,
    durationSec: report.file.durationSec,
    worksFound: report.shares.length,
    topShares,
    clearance: report.clearance.status,
    report,
  };
}

export async function putCheck(db: CatalogDb, check: StoredCheck): Promise<void> {
  const tx = db.transaction('history', 'readwrite');
  const put = tx.store.put(check);
  put.catch(() => undefined);
  try {
    // A full disk aborts the transaction at commit: wait for it, not only for the request.
    await Promise.all([put, tx.done]);
  } catch (e) {
    const quota = (x: unknown) => x instanceof DOMException && x.name === 'QuotaExceededError';
    if (quota(e) || quota(tx.error)) throw new StorageFullError();
    throw e;
  }
}

/** Every saved check, newest first. */
export async function listChecks(db: CatalogDb): Promise<StoredCheck[]> {
  return (await db.getAllFromIndex('history', 'checkedAt')).reverse();
}

export async function getCheck(db: CatalogDb, id: string): Promise<StoredCheck | undefined> {
  return db.get('history', id);
}

export async function deleteCheck(db: CatalogDb, id: string): Promise<void> {
  await db.delete('history', id);
}
