import type { CatalogDb } from './db';
import type { KeptNotes, KeptSegmentNotes, StoredCheck } from './schema';
import type { CheckReport } from '../report/report';
import type { MatchSegment, NoteLine } from '../core/types';
import { segmentNotes, type SavedMelodyNotes } from '../core/melody-evidence';
import { StorageFullError } from './works';

// Past checks (store `history`, since version 3): a summary for the list and the
// whole check report, so a saved check re-opens exactly as it was reported. The
// audio of the checked file is never stored here. Melody segments keep the few notes their piano roll is
// drawn from (the track's and the work's, as at check time), so it re-opens as it was shown.

/** How many shares a history entry lists. */
export const HISTORY_TOP_SHARES = 3;

/** The history record of a report: its summary, with the report itself. */
export function checkFromReport(report: CheckReport, id: string = crypto.randomUUID(), melodyNotes?: KeptSegmentNotes[]): StoredCheck {
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
    ...(melodyNotes ? { melodyNotes } : {}),
  };
}

const EMPTY_LINE: NoteLine = { startSec: new Float32Array(0), endSec: new Float32Array(0), midi: new Float32Array(0) };

function keep(line: NoteLine): KeptNotes {
  return { startSec: Array.from(line.startSec), endSec: Array.from(line.endSec), midi: Array.from(line.midi) };
}

function lineOf(kept: KeptNotes): NoteLine {
  return { startSec: Float32Array.from(kept.startSec), endSec: Float32Array.from(kept.endSec), midi: Float32Array.from(kept.midi) };
}

/**
 * The notes to keep with a check for each of its melody segments: the track's notes in the segment's span and the
 * work's notes in its span in the work (read now, through `workNotes`, once per work).
 */
export async function keepMelodyNotes(
  segments: readonly MatchSegment[],
  trackNotes: NoteLine | null,
  workNotes: (workId: string) => Promise<NoteLine | undefined>,
): Promise<KeptSegmentNotes[]> {
  const works = new Map<string, Promise<NoteLine | undefined>>();
  const out: KeptSegmentNotes[] = [];
  for (const [index, seg] of segments.entries()) {
    if (seg.evidence !== 'melody') continue;
    if (!works.has(seg.workId)) works.set(seg.workId, workNotes(seg.workId));
    const work = await works.get(seg.workId)!;
    const picked = segmentNotes(seg, trackNotes ?? EMPTY_LINE, work ?? EMPTY_LINE);
    out.push({ segment: index, track: trackNotes ? keep(picked.track) : null, work: work ? keep(picked.work) : null });
  }
  return out;
}

/** The kept notes of a saved check's segment, for its piano roll; not kept when the check was saved before notes were. */
export function savedMelodyNotes(check: StoredCheck, segment: number): SavedMelodyNotes {
  const kept = check.melodyNotes?.find((n) => n.segment === segment);
  if (!kept) return { kept: false };
  return { kept: true, track: kept.track && lineOf(kept.track), work: kept.work && lineOf(kept.work) };
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
