import { describe, expect, it } from 'vitest';
import { melodySegmentEndSec } from '../../src/core/melody-span';
import type { NoteLine } from '../../src/core/types';

const line = (notes: [number, number][]): NoteLine => ({
  startSec: Float32Array.from(notes, ([s]) => s),
  endSec: Float32Array.from(notes, ([, e]) => e),
  midi: Float32Array.from(notes, () => 72),
});

describe('melody segment end', () => {
  // The core ends a melody segment 96 ms after its last matched onset: here the onset at 10.0 s.
  const coreEnd = 10.096;

  it('moves to the end of the note that starts at the last matched onset', () => {
    expect(melodySegmentEndSec(coreEnd, line([[9.5, 9.9], [10.01, 11.5], [12, 13]]), 30)).toBeCloseTo(11.5, 5);
  });

  it("takes the note that ends first where several start there (another tune's note can ring on)", () => {
    expect(melodySegmentEndSec(coreEnd, line([[9.98, 14], [10.02, 11.2]]), 30)).toBeCloseTo(11.2, 5);
  });

  it('stays where no note starts at that onset, the note ends sooner, or no notes are known', () => {
    expect(melodySegmentEndSec(coreEnd, line([[9.5, 11], [10.3, 12]]), 30)).toBe(coreEnd);
    expect(melodySegmentEndSec(coreEnd, line([[10, 10.05]]), 30)).toBe(coreEnd);
    expect(melodySegmentEndSec(coreEnd, undefined, 30)).toBe(coreEnd);
  });

  it('follows a held note at most 4 s, and never past the track', () => {
    expect(melodySegmentEndSec(coreEnd, line([[10, 20]]), 30)).toBeCloseTo(coreEnd + 4, 5);
    expect(melodySegmentEndSec(coreEnd, line([[10, 13]]), 12)).toBe(12);
  });
});
