import { describe, expect, it } from 'vitest';
import { clamp, playbackRateForB, trackTimeFor, workTimeFor } from '../../src/state/ab-align';
import type { MatchSegment } from '../../src/core/types';

/** A segment as the matcher reports it: the track span is the work span × timeRatio. */
function segment(queryStartSec: number, refStartSec: number, refSpanSec: number, timeRatio: number): MatchSegment {
  return {
    workId: 'w', title: 'W', evidence: 'recording', confidence: 1, hits: 50, expectedHits: 0.5, pitchShiftSemitones: 0,
    queryStartSec, queryEndSec: queryStartSec + refSpanSec * timeRatio, refStartSec, refEndSec: refStartSec + refSpanSec, timeRatio,
  };
}

describe('A/B alignment', () => {
  it('maps the ends of the track span onto the ends of the work span, for any time ratio', () => {
    for (const ratio of [1, 0.952381, 1.1, 0.87]) {
      const s = segment(28, 6, 11, ratio);
      expect(workTimeFor(s, s.queryStartSec)).toBeCloseTo(s.refStartSec, 9);
      expect(workTimeFor(s, s.queryEndSec)).toBeCloseTo(s.refEndSec, 9);
      expect(trackTimeFor(s, s.refEndSec)).toBeCloseTo(s.queryEndSec, 9);
      // Round trip from any point.
      for (const t of [28, 30.5, 33.3]) expect(trackTimeFor(s, workTimeFor(s, t))).toBeCloseTo(t, 9);
    }
  });

  it('plays B at the rate that makes its span last as long as A’s', () => {
    for (const ratio of [1, 0.952381, 1.08]) {
      const s = segment(8, 4, 12, ratio);
      const aSec = s.queryEndSec - s.queryStartSec;
      const bSec = (s.refEndSec - s.refStartSec) / playbackRateForB(s);
      expect(bSec).toBeCloseTo(aSec, 9);
    }
    // The demo's "5 % faster" segment: B at 105 %.
    expect(playbackRateForB(segment(28, 6, 11, 0.952381))).toBeCloseTo(1.05, 5);
    expect(playbackRateForB(segment(0, 0, 5, 1))).toBe(1);
  });

  it('clamps', () => {
    expect(clamp(-1, 0, 2)).toBe(0);
    expect(clamp(3, 0, 2)).toBe(2);
    expect(clamp(1.5, 0, 2)).toBe(1.5);
  });
});
