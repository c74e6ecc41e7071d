import type { Core, MelodyNote } from './wasm-core';
import type { Fingerprint, NoteLine } from './types';

// A melody's notes as kept with a fingerprint, to show the evidence of a melody match (the
// matcher never reads them): the core's notes of an analysed recording, or a MIDI work's line.

/** The core's pitches are semitones above 55 Hz, which is MIDI note 33 (A1). */
export const CORE_PITCH_MIDI = 33;

export function noteLineFromNotes(notes: readonly MelodyNote[]): NoteLine {
  return {
    startSec: Float32Array.from(notes, (n) => n.startSec),
    endSec: Float32Array.from(notes, (n) => n.endSec),
    midi: Float32Array.from(notes, (n) => n.midi),
  };
}

/** The notes of the core's last analysis (onset and end frames, core pitch) in seconds and MIDI numbers. */
export function noteLineFromCore(core: Core): NoteLine {
  const { onsets, ends, pitches } = core.lastNotes();
  return {
    startSec: Float32Array.from(onsets, (f) => f * core.frameSec),
    endSec: Float32Array.from(ends, (f) => f * core.frameSec),
    midi: Float32Array.from(pitches, (p) => p + CORE_PITCH_MIDI),
  };
}

export function notesOfLine(line: NoteLine): MelodyNote[] {
  return Array.from(line.midi, (midi, i) => ({ midi, startSec: line.startSec[i], endSec: line.endSec[i] }));
}

/** Fingerprints a recording and keeps its melody's notes with it (one analysis). */
export function analyseWithNotes(core: Core, ...args: Parameters<Core['analyse']>): Fingerprint {
  const fp = core.analyse(...args);
  return { ...fp, notes: noteLineFromCore(core) };
}
