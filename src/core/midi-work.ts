import type { Core } from './wasm-core';
import type { Fingerprint } from './types';
import { melodyLine, parseMidi, type MidiSummary, type MidiTrackInfo } from './midi-melody';
import { noteLineFromNotes } from './note-line';
import { checkDuration, checkMelodyNotes, InputError } from './validate';

/**
 * A melody-only work from a MIDI file: the chosen track's line (the default track unless
 * `trackNumber` is given), hashed by the core as a played melody is, with its notes kept.
 * The app's analysis worker and the CLI share it, so both refuse the same files in the same words.
 */
export function analyseMidi(core: Core, name: string, bytes: Uint8Array, trackNumber?: number): { fingerprint: Fingerprint; track: MidiTrackInfo; summary: MidiSummary } {
  const { notes, track, summary } = melodyLine(name, parseMidi(name, bytes), trackNumber);
  checkMelodyNotes(name, notes.length);
  // The work lasts to the end of the file (as its audio would), at least to the melody's end.
  const durationSec = Math.max(summary.durationSec, notes[notes.length - 1].endSec);
  checkDuration(name, durationSec);
  const fp = core.melodyFromNotes(notes, durationSec);
  if (fp.melody.length === 0) {
    throw new InputError(`The melody of “${name}” (track ${track.number}) gives nothing to recognise: its notes hardly change pitch. Choose the track that holds the melody.`);
  }
  return { fingerprint: { ...fp, notes: noteLineFromNotes(notes) }, track, summary };
}
