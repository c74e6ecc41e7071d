import { describe, expect, it } from 'vitest';
import { attributeShares } from '../../src/core/attribution';
import type { MatchSegment } from '../../src/core/types';

const seg = (workId: string, from: number, to: number, confidence = 1, evidence: MatchSegment['evidence'] = 'recording'): MatchSegment => ({
  workId, title: workId.toUpperCase(), evidence, confidence,
  queryStartSec: from, queryEndSec: to, refStartSec: 0, refEndSec: to - from,
  timeRatio: 1, pitchShiftSemitones: 0, hits: 10, expectedHits: 0.1,
});

describe('attribution of shares', () => {
  it('gives each work the seconds it covers and leaves the rest unattributed', () => {
    const { shares, unattributedSec } = attributeShares([seg('a', 0, 10), seg('b', 20, 25)], 40);
    expect(shares).toEqual([
      { workId: 'a', title: 'A', seconds: 10, proportion: 0.25 },
      { workId: 'b', title: 'B', seconds: 5, proportion: 0.125 },
    ]);
    expect(unattributedSec).toBe(25);
  });

  it('counts a work once where its own segments overlap', () => {
    const { shares } = attributeShares([seg('a', 0, 10), seg('a', 5, 15)], 20);
    expect(shares[0].seconds).toBe(15);
  });

  it('splits overlapping works by confidence', () => {
    const { shares, unattributedSec } = attributeShares([seg('a', 0, 10, 0.75), seg('b', 0, 10, 0.25)], 10);
    expect(shares.find((s) => s.workId === 'a')!.seconds).toBeCloseTo(7.5);
    expect(shares.find((s) => s.workId === 'b')!.seconds).toBeCloseTo(2.5);
    expect(unattributedSec).toBe(0);
  });

  it('lets recording evidence outrank melody evidence on the same span', () => {
    const { shares } = attributeShares([seg('a', 0, 10, 0.5, 'recording'), seg('b', 0, 10, 1, 'melody')], 10);
    expect(shares).toHaveLength(1);
    expect(shares[0].workId).toBe('a');
  });

  it('clips segments to the track and ignores empty tracks', () => {
    expect(attributeShares([seg('a', -2, 50)], 30).shares[0].seconds).toBe(30);
    expect(attributeShares([seg('a', 0, 5)], 0)).toEqual({ shares: [], unattributedSec: 0 });
  });
});
