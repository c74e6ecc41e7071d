import type { MatchSegment, NoteLine } from './types';

// The evidence of a melody match as notes: the track's notes over the matched span, and the work's
// notes moved onto the track by the segment's transform, so a person can see them line up.
// track time = queryStart + (work time − refStart) × timeRatio; track pitch = work pitch + pitchShift.

/** A work note lines up with a track note within this pitch difference (after the transposition)… */
export const LINE_UP_SEMITONES = 0.6;
/** …when they overlap for at least this share of the shorter of the two. */
export const LINE_UP_OVERLAP = 0.5;
/** The view shows at least this many semitones. */
const MIN_RANGE_SEMITONES = 12;

export interface RollNote {
  startSec: number;
  endSec: number;
  /** MIDI note number (fractional for a sung or played note). */
  midi: number;
  /** Whether a note of the other side lines up with it. */
  linedUp: boolean;
}

/**
 * The notes of a melody segment as a saved check kept them: not kept (saved before checks kept notes), or the
 * track's and the work's notes around the segment (either null when it was not available at check time).
 */
export type SavedMelodyNotes = { kept: false } | { kept: true; track: NoteLine | null; work: NoteLine | null };

export interface MelodyEvidence {
  /** The span shown, in the track's seconds (the segment's span). */
  fromSec: number;
  toSec: number;
  /** The track's notes that sound in the span. */
  track: RollNote[];
  /** The work's notes moved onto the track's time and key, those that sound in the span. */
  work: RollNote[];
  /** Work notes starting in the span, and how many of them line up with a track note. */
  workNotes: number;
  linedUp: number;
  /** Pitch range to draw, whole MIDI numbers, low ≤ high. */
  lowMidi: number;
  highMidi: number;
}

type SpanOf = Pick<MatchSegment, 'queryStartSec' | 'queryEndSec' | 'refStartSec' | 'timeRatio' | 'pitchShiftSemitones'>;

/** A work's time as the track's time under the segment's transform. */
const trackTime = (seg: SpanOf) => (sec: number) => seg.queryStartSec + (sec - seg.refStartSec) * seg.timeRatio;

/** Indexes of a line's notes that sound in [fromSec, toSec), once their times are mapped by `time`. */
function indexesIn(line: NoteLine, time: (sec: number) => number, fromSec: number, toSec: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < line.midi.length; i++) {
    if (time(line.endSec[i]) > fromSec && time(line.startSec[i]) < toSec) out.push(i);
  }
  return out;
}

function notesIn(line: NoteLine, map: (startSec: number, endSec: number, midi: number) => Omit<RollNote, 'linedUp'>, indexes: number[]): RollNote[] {
  return indexes.map((i) => ({ ...map(line.startSec[i], line.endSec[i], line.midi[i]), linedUp: false }));
}

function pick(line: NoteLine, indexes: number[]): NoteLine {
  return {
    startSec: Float32Array.from(indexes, (i) => line.startSec[i]),
    endSec: Float32Array.from(indexes, (i) => line.endSec[i]),
    midi: Float32Array.from(indexes, (i) => line.midi[i]),
  };
}

/**
 * The notes a segment's evidence is drawn from, and no others: the track's notes sounding in its span, and the
 * work's (in the work's own time and key) sounding there once moved. `melodyEvidence` of these is the evidence of
 * the whole lines, so a saved check keeps only these.
 */
export function segmentNotes(seg: SpanOf, trackNotes: NoteLine, workNotes: NoteLine): { track: NoteLine; work: NoteLine } {
  const { queryStartSec: fromSec, queryEndSec: toSec } = seg;
  return {
    track: pick(trackNotes, indexesIn(trackNotes, (s) => s, fromSec, toSec)),
    work: pick(workNotes, indexesIn(workNotes, trackTime(seg), fromSec, toSec)),
  };
}

function linesUp(a: RollNote, b: RollNote): boolean {
  if (Math.abs(a.midi - b.midi) > LINE_UP_SEMITONES) return false;
  const overlap = Math.min(a.endSec, b.endSec) - Math.max(a.startSec, b.startSec);
  return overlap >= LINE_UP_OVERLAP * Math.min(a.endSec - a.startSec, b.endSec - b.startSec);
}

export function melodyEvidence(seg: SpanOf, trackNotes: NoteLine, workNotes: NoteLine): MelodyEvidence {
  const fromSec = seg.queryStartSec;
  const toSec = seg.queryEndSec;
  const toTrack = trackTime(seg);
  const track = notesIn(trackNotes, (startSec, endSec, midi) => ({ startSec, endSec, midi }), indexesIn(trackNotes, (s) => s, fromSec, toSec));
  const work = notesIn(workNotes, (s, e, midi) => ({ startSec: toTrack(s), endSec: toTrack(e), midi: midi + seg.pitchShiftSemitones }), indexesIn(workNotes, toTrack, fromSec, toSec));
  for (const w of work) {
    for (const t of track) {
      if (linesUp(w, t)) {
        w.linedUp = true;
        t.linedUp = true;
      }
    }
  }
  const starting = work.filter((w) => w.startSec >= fromSec && w.startSec < toSec);
  const pitches = [...track, ...work].map((n) => n.midi);
  let lowMidi = pitches.length ? Math.floor(Math.min(...pitches)) - 1 : 60;
  let highMidi = pitches.length ? Math.ceil(Math.max(...pitches)) + 1 : 72;
  const missing = MIN_RANGE_SEMITONES - (highMidi - lowMidi);
  if (missing > 0) {
    lowMidi -= Math.floor(missing / 2);
    highMidi += Math.ceil(missing / 2);
  }
  return { fromSec, toSec, track, work, workNotes: starting.length, linedUp: starting.filter((w) => w.linedUp).length, lowMidi, highMidi };
}

const NAMES = ['C', 'C♯', 'D', 'D♯', 'E', 'F', 'F♯', 'G', 'G♯', 'A', 'A♯', 'B'];

/** "C4" for MIDI 60. */
export function noteName(midi: number): string {
  const m = Math.round(midi);
  return `${NAMES[((m % 12) + 12) % 12]}${Math.floor(m / 12) - 1}`;
}
