import type { DBSchema } from 'idb';
import type { Fingerprint, WorkMeta } from '../core/types';
import type { PackedFingerprint } from '../core/feature-codec';
import type { WorkMetadata } from '../core/metadata';
import type { CheckReport } from '../report/report';

export const DB_NAME = 'tunetrace';
/** Bump with a new case in db.ts's upgrade whenever the stores change. */
export const DB_VERSION = 4;

export interface StoredWork extends WorkMeta {
  /** Core format of the features stored for this work. */
  formatVersion: number;
  hashCount: number;
  /** Bytes of the original audio kept for listening (0 if not kept). */
  audioBytes: number;
  featureBytes: number;
}

/**
 * A work's fingerprint as stored, keyed by the work's id: packed (core/feature-codec.ts), or with
 * plain typed arrays as records written before packing were (they stay readable).
 */
export type StoredFeatures = (PackedFingerprint | Fingerprint) & { id: string };

export interface StoredAudio {
  id: string;
  blob: Blob;
}

export interface CatalogInfo {
  catalogId: string;
  name: string;
  createdAt: number;
  /** The bundled demo works were added once; removing them later does not bring them back. */
  demoSeeded: boolean;
  /** Keep each work's original audio for listening (default true; older records lack the field). */
  keepAudio?: boolean;
  /** Backups (.ttcat exports) and the works added since, for the backup prompt (older records lack it: none yet). */
  backup?: CatalogBackup;
}

export interface CatalogBackup {
  /** ms since the epoch of the last export of the catalog file, if any. */
  lastBackupAt?: number;
  /** Works the user added since that export (the demo, re-analysed works and imported catalog files do not count). */
  worksAddedSince: number;
  /** `worksAddedSince` when the prompt was dismissed: it comes back only after as many again. */
  dismissedAtWorks?: number;
}

/** One past check (since version 3): a summary for the list, and the whole report. Never the audio. */
export interface StoredCheck {
  id: string;
  /** ms since the epoch. */
  checkedAt: number;
  fileName: string;
  durationSec: number;
  /** Distinct works found in the track. */
  worksFound: number;
  /** The largest shares, largest first (at most HISTORY_TOP_SHARES). */
  topShares: { workId: string; title: string; proportion: number }[];
  clearance: CheckReport['clearance']['status'];
  report: CheckReport;
  /**
   * The notes behind each melody segment of the report, as they were at check time, to draw its piano roll again
   * (an optional field of version 3 records: records saved before notes were kept lack it). One entry per melody
   * segment; an empty list when the check found none.
   */
  melodyNotes?: KeptSegmentNotes[];
}

/** A few notes as plain numbers (a melody segment has tens): onset and end in seconds, pitch as a MIDI note number. */
export interface KeptNotes {
  startSec: number[];
  endSec: number[];
  midi: number[];
}

/** The notes of one melody segment of a saved check. */
export interface KeptSegmentNotes {
  /** Index of the segment in the report's `segments`. */
  segment: number;
  /** The track's notes sounding in the segment's span in the track; null if the track's notes were not available. */
  track: KeptNotes | null;
  /** The work's notes (its own time and key) sounding in its span in the work; null if the work had no notes stored. */
  work: KeptNotes | null;
}

/**
 * The built in-memory index of the whole catalog (since version 4), so that a load copies it back instead of
 * adding every work's features again. Only a cache: every change to the works or their features deletes it
 * in the change's own transaction, and one is written only if no change came after the read it was built from.
 */
export interface StoredIndexSnapshot {
  /** SHA-256 (hex) of the core's .wasm that built it: any other build of the core ignores it. */
  coreId: string;
  formatVersion: number;
  /** The catalog stamp (see CatalogStamp) of the read the index was built from. */
  stamp: string;
  createdAt: number;
  /** By slot: the id of the work it holds, or '' if free; then the free slots in reuse order. */
  workIds: string[];
  freeSlots: number[];
  /** Works left out because their features are of another format (re-analysed by the app). */
  stale: string[];
  /** 32-bit words of each of the core's sections, stored one after the other in `data`. */
  sectionWords: number[];
  data: Blob;
}

/** Changes with every write of works or features (a random token): a snapshot built from an older read is not stored. */
export type CatalogStamp = string;

export interface TunetraceDB extends DBSchema {
  works: { key: string; value: StoredWork; indexes: { addedAt: number } };
  features: { key: string; value: StoredFeatures };
  audio: { key: string; value: StoredAudio };
  info: { key: 'catalog'; value: CatalogInfo };
  /** Rights metadata per work (since version 2); a work without a record has none yet. */
  metadata: { key: string; value: WorkMetadata };
  /** Past checks (since version 3), oldest first by `checkedAt`. */
  history: { key: string; value: StoredCheck; indexes: { checkedAt: number } };
  /** The index snapshot under 'index' and the catalog stamp under 'stamp' (since version 4). */
  snapshot: { key: 'index' | 'stamp'; value: StoredIndexSnapshot | CatalogStamp };
}
