import * as tonejsMidi from '@tonejs/midi';
import { InputError } from './validate';
import type { MelodyNote } from './wasm-core';
import { MELODY_TRACKER_MIN_MIDI, type MidiSummary, type MidiTrackInfo } from './midi-track-info';

export type { MidiSummary, MidiTrackInfo };

// @tonejs/midi ships CommonJS only: bundlers expose its named exports, Node's ESM loader only its
// `default` (module.exports, a webpack bundle whose names Node cannot see).
export type Midi = tonejsMidi.Midi;
export const { Midi } = (tonejsMidi as unknown as { default?: typeof tonejsMidi }).default ?? tonejsMidi;

// A work entered from MIDI: which track holds the melody, and that track reduced to one line.
// Pure (no core, no DOM): the app's analysis worker and the CLI both use it.

/** A note starting less than this before another ends is legato, not a chord. */
const LEGATO_SEC = 0.05;
/** A track whose notes overlap at most this often is taken as one line. */
const MONOPHONIC_MAX_OVERLAP = 0.2;
/** Tracks with at least this share of the busiest one-line track's notes are busy enough to be the melody. */
const BUSY_SHARE = 0.5;
/** Skyline pieces shorter than this are slivers of two notes meeting, not notes. */
const MIN_PIECE_SEC = 0.02;
/** A note heard only after a higher note ended (no onset of its own) counts only if it lasts this long. */
const MIN_REMAINDER_SEC = 0.1;
const GM_DRUM_CHANNEL = 9;

/** Parses a Standard MIDI File; a file that is not one gets a message a person can act on. */
export function parseMidi(name: string, bytes: Uint8Array): Midi {
  try {
    return new Midi(bytes);
  } catch {
    throw new InputError(`“${name}” could not be read as a MIDI file. It may be damaged or not a Standard MIDI File (.mid); export the melody from your notation program or DAW as MIDI and try again.`);
  }
}

function notesOf(midi: Midi, index: number): MelodyNote[] {
  return midi.tracks[index].notes
    .map((n) => ({ midi: n.midi, startSec: n.time, endSec: n.time + n.duration }))
    .sort((a, b) => a.startSec - b.startSec || b.midi - a.midi);
}

/** Share of notes (in time order) that start while an earlier note still sounds past the legato allowance. */
export function overlapFraction(notes: readonly MelodyNote[]): number {
  if (notes.length === 0) return 0;
  const sorted = [...notes].sort((a, b) => a.startSec - b.startSec);
  let sounding = -Infinity;
  let overlapping = 0;
  for (const n of sorted) {
    if (sounding > n.startSec + LEGATO_SEC) overlapping++;
    sounding = Math.max(sounding, n.endSec);
  }
  return overlapping / sorted.length;
}

/**
 * The tracks of a parsed file that have notes, described and numbered 1, 2, … in file order, and the
 * default melody track. @tonejs/midi splits a track at each program change (one instrument per
 * track), which leaves the track's name on a first piece without notes: the piece with the notes
 * takes it back. Throws if no track has pitched notes.
 */
export function summariseMidi(name: string, midi: Midi): MidiSummary {
  const tracks: MidiTrackInfo[] = [];
  let pendingName = '';
  midi.tracks.forEach((t, index) => {
    const notes = notesOf(midi, index);
    if (notes.length === 0) {
      pendingName = t.name.trim() || pendingName;
      return;
    }
    const drums = t.channel === GM_DRUM_CHANNEL || t.instrument.percussion;
    const line = drums ? [] : skyline(notes);
    tracks.push({
      number: tracks.length + 1,
      sourceIndex: index,
      name: t.name.trim() || pendingName,
      instrument: drums ? 'drums' : t.instrument.name,
      channel: t.channel + 1,
      noteCount: notes.length,
      meanPitch: notes.reduce((s, n) => s + n.midi, 0) / notes.length,
      overlapFraction: overlapFraction(notes),
      lowNoteShare: line.length ? line.filter((n) => n.midi < MELODY_TRACKER_MIN_MIDI).length / line.length : 0,
      candidate: !drums,
    });
    pendingName = '';
  });
  if (!tracks.some((t) => t.candidate)) {
    throw new InputError(
      tracks.length
        ? `“${name}” has only drum tracks (channel 10): there is no melody in it to add. Choose a MIDI file with the melody's notes.`
        : `“${name}” has no notes: there is no melody in it to add. Choose a MIDI file with the melody's notes.`,
    );
  }
  return { tracks, defaultTrack: defaultMelodyTrack(tracks), durationSec: midi.duration };
}

/**
 * The track most likely to hold the melody: among the pitched tracks that are mostly one line
 * (all pitched tracks if none is), those with at least half the notes of the busiest, and of
 * those the one with the highest mean pitch (a busy bass line is lower; a sparse high pad has
 * too few notes; a piano part with chords is not one line).
 */
export function defaultMelodyTrack(tracks: readonly MidiTrackInfo[]): number {
  const pitched = tracks.filter((t) => t.candidate);
  if (pitched.length === 0) throw new InputError('There is no track with pitched notes to take a melody from.');
  const oneLine = pitched.filter((t) => t.overlapFraction <= MONOPHONIC_MAX_OVERLAP);
  const pool = oneLine.length ? oneLine : pitched;
  const busiest = Math.max(...pool.map((t) => t.noteCount));
  const busy = pool.filter((t) => t.noteCount >= BUSY_SHARE * busiest);
  return busy.reduce((best, t) => (t.meanPitch > best.meanPitch ? t : best)).number;
}

/**
 * Reduces notes to one line: at each moment the highest note sounding. A note is cut where a
 * higher one starts; a lower note under a held higher one is not heard; a note left sounding after
 * a higher one ends goes on only if what is left of it lasts long enough. The result is in time
 * order with no overlaps.
 */
export function skyline(notes: readonly MelodyNote[]): MelodyNote[] {
  const sorted = notes.filter((n) => n.endSec > n.startSec).sort((a, b) => a.startSec - b.startSec || b.midi - a.midi);
  const times = [...new Set(sorted.flatMap((n) => [n.startSec, n.endSec]))].sort((a, b) => a - b);
  // Visible pieces: which note is on top between two consecutive start/end times.
  const pieces: { note: number; startSec: number; endSec: number }[] = [];
  const active: number[] = [];
  let next = 0;
  for (let k = 0; k < times.length - 1; k++) {
    const t = times[k];
    for (let i = active.length - 1; i >= 0; i--) if (sorted[active[i]].endSec <= t) active.splice(i, 1);
    while (next < sorted.length && sorted[next].startSec <= t) active.push(next++);
    if (active.length === 0) continue;
    // Highest pitch; of two equal pitches the later start (a re-struck note).
    let top = active[0];
    for (const i of active) {
      const a = sorted[i];
      const b = sorted[top];
      if (a.midi > b.midi || (a.midi === b.midi && a.startSec > b.startSec)) top = i;
    }
    const last = pieces[pieces.length - 1];
    if (last && last.note === top && last.endSec === t) last.endSec = times[k + 1];
    else pieces.push({ note: top, startSec: t, endSec: times[k + 1] });
  }
  // Drop slivers, then join what a sliver split of one note.
  const kept: typeof pieces = [];
  for (const p of pieces) {
    if (p.endSec - p.startSec < MIN_PIECE_SEC) continue;
    const last = kept[kept.length - 1];
    if (last && last.note === p.note) last.endSec = p.endSec;
    else kept.push({ ...p });
  }
  const line: MelodyNote[] = [];
  for (const p of kept) {
    const note = sorted[p.note];
    const remainder = p.startSec > note.startSec + MIN_PIECE_SEC;
    if (remainder && p.endSec - p.startSec < MIN_REMAINDER_SEC) continue;
    line.push({ midi: note.midi, startSec: p.startSec, endSec: p.endSec });
  }
  return line;
}

/** The melody line of one track (the default track unless `trackNumber` is given). */
export function melodyLine(name: string, midi: Midi, trackNumber?: number): { notes: MelodyNote[]; track: MidiTrackInfo; summary: MidiSummary } {
  const summary = summariseMidi(name, midi);
  const number = trackNumber ?? summary.defaultTrack;
  const track = summary.tracks.find((t) => t.number === number);
  if (!track) {
    throw new InputError(`“${name}” has no track ${number}: its tracks with notes are numbered 1 to ${summary.tracks.length}.`);
  }
  if (!track.candidate) throw new InputError(`Track ${number} of “${name}” is a drum track; choose the track that holds the melody.`);
  return { notes: skyline(notesOf(midi, track.sourceIndex)), track, summary };
}
