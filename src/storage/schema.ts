import type { DBSchema } from 'idb';
import type { WorkMeta } from '../core/types';

export const DB_NAME = 'tunetrace';
/** Bump with a new case in db.ts's upgrade whenever the stores change. */
export const DB_VERSION = 1;

export interface StoredWork extends WorkMeta {
  /** Core format of the features stored for this work. */
  formatVersion: number;
  hashCount: number;
  /** Bytes of the original audio kept for listening (0 if not kept). */
  audioBytes: number;
  featureBytes: number;
}

export interface StoredFeatures {
  id: string;
  formatVersion: number;
  durationSec: number;
  frameCount: number;
  peakCount: number;
  rms: number;
  hashes: Uint32Array;
  hashFrames: Uint32Array;
}

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
}

export interface TunetraceDB extends DBSchema {
  works: { key: string; value: StoredWork; indexes: { addedAt: number } };
  features: { key: string; value: StoredFeatures };
  audio: { key: string; value: StoredAudio };
  info: { key: 'catalog'; value: CatalogInfo };
}
