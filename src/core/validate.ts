import type { Fingerprint } from './types';

// What makes audio usable, with messages that say what happened and what to do.
// Shared by the app and the CLI so both refuse the same files in the same words.

export const MIN_DURATION_SEC = 2;
/** The index keeps frame numbers in 18 bits: 2^18 × 8 ms ≈ 35 min. */
export const MAX_DURATION_SEC = 34 * 60;
/** Files above this are refused before decoding: decoded audio takes ~10× the space of compressed. */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;
/** −80 dBFS: below this the file is taken as silent. */
const SILENCE_RMS = 1e-4;

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function checkFileSize(name: string, bytes: number): void {
  if (bytes === 0) throw new InputError(`“${name}” is empty (0 bytes). Choose the audio file itself, not a placeholder.`);
  if (bytes > MAX_FILE_BYTES) {
    throw new InputError(
      `“${name}” is ${(bytes / 2 ** 20).toFixed(0)} MB, more than the ${MAX_FILE_BYTES / 2 ** 20} MB Tunetrace can decode at once. Split it or export a compressed copy (MP3, Opus) and try again.`,
    );
  }
}

export function checkDuration(name: string, durationSec: number): void {
  if (!(durationSec >= MIN_DURATION_SEC)) {
    throw new InputError(
      `“${name}” is only ${durationSec.toFixed(1)} s long; Tunetrace needs at least ${MIN_DURATION_SEC} s of audio to recognise anything.`,
    );
  }
  if (durationSec > MAX_DURATION_SEC) {
    throw new InputError(
      `“${name}” is ${(durationSec / 60).toFixed(0)} minutes long; the limit is ${MAX_DURATION_SEC / 60} minutes. Split it into parts and add each one.`,
    );
  }
}

/** A melody entered as notes (a MIDI work) needs this many notes in its line to be recognised. */
export const MIN_MELODY_NOTES = 12;

/** Refuses a melody line (a MIDI work's) too short to be told apart from chance. */
export function checkMelodyNotes(name: string, noteCount: number): void {
  if (noteCount < MIN_MELODY_NOTES) {
    throw new InputError(
      `“${name}” has only ${noteCount} ${noteCount === 1 ? 'note' : 'notes'} in its melody line; Tunetrace needs at least ${MIN_MELODY_NOTES} to recognise a melody. Choose the track that holds the melody, or a file with more of it.`,
    );
  }
}

/** Whether a fingerprint was made from notes (a MIDI work): a melody and no recording features. */
export function isMelodyOnly(fp: Fingerprint): boolean {
  return fp.peakCount === 0 && fp.hashes.length === 0 && fp.triplets.length === 0 && fp.melody.length > 0;
}

export function checkFingerprint(name: string, fp: Fingerprint): void {
  // A work entered from MIDI has no audio to be silent; its notes were checked by checkMelodyNotes.
  if (isMelodyOnly(fp)) return;
  if (fp.rms < SILENCE_RMS || fp.peakCount < 10) {
    throw new InputError(`“${name}” is silent (or nearly so): there is nothing to recognise. Check that it is the right file.`);
  }
}

export function undecodableMessage(name: string): string {
  return `“${name}” could not be decoded as audio. It may be damaged, truncated or not an audio file. Tunetrace reads WAV, MP3, Ogg Vorbis, Opus, FLAC and AAC/M4A; convert it to one of those and try again.`;
}
