import { describe, expect, it } from 'vitest';
import { melodyEvidence, noteName, segmentNotes } from '../../src/core/melody-evidence';
import { noteLineFromNotes } from '../../src/core/note-line';

const work = noteLineFromNotes([
  { midi: 60, startSec: 10, endSec: 10.5 },
  { midi: 62, startSec: 10.5, endSec: 11 },
  { midi: 64, startSec: 11, endSec: 12 },
  { midi: 65, startSec: 12, endSec: 12.5 },
  { midi: 67, startSec: 30, endSec: 31 }, // outside the matched span
]);
// The track plays it 3 semitones up and 20 % slower (timeRatio 1.2), from 40 s; its third note is wrong.
const seg = { queryStartSec: 40, queryEndSec: 43, refStartSec: 10, timeRatio: 1.2, pitchShiftSemitones: 3 };
const track = noteLineFromNotes([
  { midi: 63.1, startSec: 40.02, endSec: 40.6 },
  { midi: 65, startSec: 40.6, endSec: 41.2 },
  { midi: 69, startSec: 41.2, endSec: 42.4 },
  { midi: 68, startSec: 42.4, endSec: 43 },
  { midi: 50, startSec: 20, endSec: 21 }, // elsewhere in the track
]);

describe('melody evidence (piano roll)', () => {
  it("moves the work's notes by the segment's transform and counts those that line up", () => {
    const e = melodyEvidence(seg, track, work);
    expect(e.work.map((n) => [n.startSec, n.endSec, n.midi])).toEqual([
      [40, 40.6, 63], [40.6, 41.2, 65], [expect.closeTo(41.2, 6), expect.closeTo(42.4, 6), 67], [expect.closeTo(42.4, 6), 43, 68],
    ]);
    expect(e.track).toHaveLength(4);
    expect(e.workNotes).toBe(4);
    expect(e.linedUp).toBe(3);
    expect(e.work.map((n) => n.linedUp)).toEqual([true, true, false, true]);
    expect(e.track.map((n) => n.linedUp)).toEqual([true, true, false, true]);
    expect([e.fromSec, e.toSec]).toEqual([40, 43]);
    expect(e.lowMidi).toBeLessThanOrEqual(62);
    expect(e.highMidi).toBeGreaterThanOrEqual(70);
    expect(e.highMidi - e.lowMidi).toBeGreaterThanOrEqual(12);
  });

  it('a wrong transform lines nothing up', () => {
    expect(melodyEvidence({ ...seg, pitchShiftSemitones: 8 }, track, work).linedUp).toBe(0);
    expect(melodyEvidence({ ...seg, timeRatio: 1, refStartSec: 8 }, track, work).linedUp).toBe(0);
  });

  it('names notes', () => {
    expect([noteName(60), noteName(69), noteName(61.2), noteName(23)]).toEqual(['C4', 'A4', 'C♯4', 'B0']);
  });
});

describe('the notes a segment is drawn from (kept with a saved check)', () => {
  it("keeps only the notes in the segment's span, and they give the same evidence as the whole lines", () => {
    const picked = segmentNotes(seg, track, work);
    expect(Array.from(picked.track.midi)).toEqual([Math.fround(63.1), 65, 69, 68]);
    // The work's notes stay in the work's own time and key.
    expect(Array.from(picked.work.startSec)).toEqual([10, 10.5, 11, 12]);
    expect(Array.from(picked.work.midi)).toEqual([60, 62, 64, 65]);
    expect(picked.work.startSec).toBeInstanceOf(Float32Array);
    expect(melodyEvidence(seg, picked.track, picked.work)).toEqual(melodyEvidence(seg, track, work));
  });

  it('keeps a note that only overlaps the span, as the evidence draws it', () => {
    const picked = segmentNotes({ ...seg, queryStartSec: 40.3, queryEndSec: 41 }, track, work);
    expect(Array.from(picked.track.startSec)).toEqual([Math.fround(40.02), Math.fround(40.6)]);
    expect(Array.from(picked.work.startSec)).toEqual([10, 10.5]);
  });
});
