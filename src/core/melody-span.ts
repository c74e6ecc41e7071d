import type { NoteLine } from './types';

// A melody segment as the core reports it ends just after the onset of its last matched note: the
// matcher compares note onsets only (a note triplet keeps no lengths), so a phrase whose last note is
// held reads as ending early, by up to that note's length. The query's own notes are known where
// it was analysed (they travel with its fingerprint to show the evidence), so the segment can end
// where that note ends.

/** How far around the segment's last matched onset a query note may start (the core's onsets are kept to 32 ms units). */
const ONSET_WINDOW_SEC = 0.07;
/** The core closes a melody segment this long after its last matched onset (a 32 ms unit and a 64 ms window). */
const CORE_END_PAST_ONSET_SEC = 0.096;
/** A note held longer than this is not followed to its end (a drone, or two notes the tracker merged). */
const MAX_EXTENSION_SEC = 4;

/**
 * The end of a melody segment moved to the end of its last matched note: of the query's notes that
 * start at that onset, the one that ends first (in a quote, another tune's note can start with
 * it and ring on longer). Unchanged where no such note is known.
 */
export function melodySegmentEndSec(queryEndSec: number, notes: NoteLine | undefined, durationSec: number): number {
  if (!notes) return queryEndSec;
  const onset = queryEndSec - CORE_END_PAST_ONSET_SEC;
  let end = Infinity;
  for (let i = 0; i < notes.startSec.length; i++) {
    if (Math.abs(notes.startSec[i] - onset) <= ONSET_WINDOW_SEC) end = Math.min(end, notes.endSec[i]);
  }
  if (!Number.isFinite(end) || end <= queryEndSec) return queryEndSec;
  return Math.min(end, queryEndSec + MAX_EXTENSION_SEC, durationSec);
}
