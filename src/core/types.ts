// Plain data shared by every context: browser main thread, workers and Node.

/** Decoded audio, one Float32Array per channel, at any sample rate. */
export interface AudioInput {
  sampleRateHz: number;
  channels: Float32Array[];
}

/** The recording fingerprint of one piece of audio, as the core computed it. */
export interface Fingerprint {
  /** Core feature format; a stored fingerprint with another version must be recomputed. */
  formatVersion: number;
  durationSec: number;
  /** Analysis frames (one per hop). */
  frameCount: number;
  peakCount: number;
  /** Peak-pair hashes and the analysis frame of each (same length): exact copies. */
  hashes: Uint32Array;
  hashFrames: Uint32Array;
  /** Peak-triplet hashes, their frames and their pitch/time spans: pitch- and tempo-invariant. */
  triplets: Uint32Array;
  tripletFrames: Uint32Array;
  tripletExtras: Uint32Array;
  /** Note-triplet hashes of the predominant melody (same layout): key- and tempo-invariant. */
  melody: Uint32Array;
  melodyFrames: Uint32Array;
  melodyExtras: Uint32Array;
  /** RMS of the mono signal at the analysis rate, full scale = 1. */
  rms: number;
  /** The melody's notes, to show the evidence (never matched); absent from features stored before they were kept. */
  notes?: NoteLine;
}

/** A melody line as notes, 12 bytes a note: onset and end in seconds, pitch as a (fractional) MIDI note number. */
export interface NoteLine {
  startSec: Float32Array;
  endSec: Float32Array;
  midi: Float32Array;
}

export type Evidence = 'recording' | 'melody';

/** The typed arrays of a Fingerprint, in the order the catalog file and storage keep them. */
export const FEATURE_ARRAYS = ['hashes', 'hashFrames', 'triplets', 'tripletFrames', 'tripletExtras', 'melody', 'melodyFrames', 'melodyExtras'] as const;
export type FeatureArrayName = (typeof FEATURE_ARRAYS)[number];

/** Bytes of a fingerprint's feature arrays. */
export function featureBytes(fp: Fingerprint): number {
  const notes = fp.notes ? fp.notes.startSec.byteLength + fp.notes.endSec.byteLength + fp.notes.midi.byteLength : 0;
  return FEATURE_ARRAYS.reduce((sum, name) => sum + fp[name].byteLength, notes);
}

/** One span of a query that matches one span of a work. */
export interface MatchSegment {
  workId: string;
  title: string;
  evidence: Evidence;
  /** A recording segment whose span the work's melody matched too: one segment with both kinds of evidence. */
  melodyToo?: boolean;
  /** 1 − the chance probability of this many aligned hits, corrected for every work and offset searched. */
  confidence: number;
  queryStartSec: number;
  queryEndSec: number;
  refStartSec: number;
  refEndSec: number;
  /** Query span duration / reference span duration (1 = same tempo). */
  timeRatio: number;
  /** Query pitch − reference pitch. */
  pitchShiftSemitones: number;
  /** The "why": aligned hits found, and the number a random work would get at its best offset. */
  hits: number;
  expectedHits: number;
}

/** How much of a query one work accounts for. */
export interface WorkShare {
  workId: string;
  title: string;
  seconds: number;
  /** seconds / query duration, 0..1. */
  proportion: number;
}

export interface QueryResult {
  durationSec: number;
  matches: MatchSegment[];
  shares: WorkShare[];
  unattributedSec: number;
  /** Number of works the query was compared with. */
  searchedWorks: number;
}

/** What the catalog keeps about a work besides its features. */
export interface WorkMeta {
  id: string;
  title: string;
  durationSec: number;
  /** ms since the epoch. */
  addedAt: number;
  /** Name of the file it was made from. */
  sourceName: string;
  /** What it was made from: a recording (the default; older records lack the field) or a MIDI file's melody. */
  sourceKind?: 'audio' | 'midi';
  /** For a MIDI work: the number of the track the melody was taken from. */
  midiTrack?: number;
}

/** The WorkMeta fields of a record that holds more (a stored work, a catalog file entry). */
export function workMetaOf(w: WorkMeta): WorkMeta {
  const { id, title, durationSec, addedAt, sourceName, sourceKind, midiTrack } = w;
  return { id, title, durationSec, addedAt, sourceName, ...(sourceKind === 'midi' ? { sourceKind, midiTrack } : {}) };
}

/** A work's metadata with its features, as stored and as exchanged in catalog files. */
export interface WorkRecord {
  meta: WorkMeta;
  fingerprint: Fingerprint;
}
