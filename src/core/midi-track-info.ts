// What the app shows about a MIDI file's tracks: plain data and helpers without the parser, so the
// main thread can use them while the parsing stays in the analysis worker (see midi-melody.ts).

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

/** A track as a person reads it in a list: "2 · Lead · flute · 96 notes". */
export function describeMidiTrack(t: MidiTrackInfo): string {
  return [String(t.number), t.name || null, t.instrument, `${t.noteCount} notes`].filter(Boolean).join(' · ');
}
