// What the app shows about a MIDI file's tracks: plain data and helpers without the parser, so the
// main thread can use them while the parsing stays in the analysis worker (see midi-melody.ts).

/**
 * The lowest note the core's melody tracker follows in audio: MELODY_MIN_MIDI in
 * wasm/assembly/config.ts (MIDI 52, E3, 165 Hz). A copy, so this file needs no core; keep the two equal.
 */
export const MELODY_TRACKER_MIN_MIDI = 52;
/** A melody line with more than this share of its notes below MELODY_TRACKER_MIN_MIDI is mostly out of the tracker's range. */
export const LOW_MELODY_MAX_SHARE = 0.5;

/** What a person needs to choose the melody track, and what the default rule looks at. */
export interface MidiTrackInfo {
  /** 1-based, in file order, counting only tracks with notes. */
  number: number;
  /** Index in the parser's list of tracks. */
  sourceIndex: number;
  name: string;
  /** General MIDI instrument name ("flute"), or "drums". */
  instrument: string;
  /** MIDI channel, 1–16 (10 = General MIDI drums). */
  channel: number;
  noteCount: number;
  /** Mean MIDI note number of the track's notes. */
  meanPitch: number;
  /** Share of the notes that start while another note of the track still sounds (chords, not legato). */
  overlapFraction: number;
  /** Share of the notes of the track's melody line (its skyline) below MELODY_TRACKER_MIN_MIDI. */
  lowNoteShare: number;
  /** Pitched: it can hold a melody (a drum track cannot). */
  candidate: boolean;
}

export interface MidiSummary {
  tracks: MidiTrackInfo[];
  /** `number` of the track the default rule picks. */
  defaultTrack: number;
  /** End of the last event, seconds. */
  durationSec: number;
}

export function isMidiFileName(name: string): boolean {
  return /\.midi?$/i.test(name);
}

/**
 * Whether most of a track's melody line lies below the pitches the core tracks in audio: such a
 * work is indexed from its notes, but a sung or played recording of it in that register is
 * hardly found (the tracker follows something else there, or nothing).
 */
export function isBelowMelodyRange(t: Pick<MidiTrackInfo, 'lowNoteShare'>): boolean {
  return t.lowNoteShare > LOW_MELODY_MAX_SHARE;
}

/**
 * What to tell a person about a track below the tracker's range (see isBelowMelodyRange), or null.
 * `otherTracks`: the file has other pitched tracks to choose from; `chooseWith` says how (the CLI's option).
 */
export function lowMelodyWarning(
  t: Pick<MidiTrackInfo, 'number' | 'lowNoteShare'>,
  { otherTracks = true, chooseWith = '' }: { otherTracks?: boolean; chooseWith?: string } = {},
): string | null {
  if (!isBelowMelodyRange(t)) return null;
  const transpose = 'transpose the melody up an octave in your DAW or notation program, export the MIDI again and add that file';
  return `Most notes of track ${t.number}'s melody (${Math.round(t.lowNoteShare * 100)} %) are below E3 (MIDI ${MELODY_TRACKER_MIN_MIDI}), ` +
    'lower than Tunetrace follows a melody in audio: the work can be added, but a recording of it sung or played that low ' +
    'will hardly be found. ' +
    (otherTracks ? `If another track holds the tune, choose that one${chooseWith}; if not, ${transpose}.` : `To find it, ${transpose}.`);
}

/** A track as a person reads it in a list: "2 · Lead · flute · 96 notes". */
export function describeMidiTrack(t: MidiTrackInfo): string {
  return [String(t.number), t.name || null, t.instrument, `${t.noteCount} notes`].filter(Boolean).join(' · ');
}
