import type { MatchSegment } from '../core/types';

// A/B listening: a segment maps track time to work time on a straight line,
// track = queryStart + (work − refStart) × timeRatio (timeRatio = track span / work span).

/** The work's time (B) that lines up with track time `trackSec` (A). */
export function workTimeFor(seg: MatchSegment, trackSec: number): number {
  return seg.refStartSec + (trackSec - seg.queryStartSec) / seg.timeRatio;
}

/** The track's time (A) that lines up with work time `workSec` (B). */
export function trackTimeFor(seg: MatchSegment, workSec: number): number {
  return seg.queryStartSec + (workSec - seg.refStartSec) * seg.timeRatio;
}

/**
 * B's playback rate so that its span lasts as long as A's and the two stay aligned:
 * work span / track span = 1 / timeRatio (a track 5 % faster, ratio 0.952, plays B at 1.05×).
 */
export function playbackRateForB(seg: MatchSegment): number {
  return seg.timeRatio > 0 ? 1 / seg.timeRatio : 1;
}

export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}
