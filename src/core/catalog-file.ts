import { FEATURE_ARRAYS, workMetaOf, type FeatureArrayName, type Fingerprint, type NoteLine, type WorkMeta, type WorkRecord } from './types';
import { packFingerprint, unpackFeatureArrays, type PackedFingerprint } from './feature-codec';

// The catalog file (.ttcat): one format for the app's export/import and the CLI.
//
//   magic    8 bytes  "TTCAT\r\n\x1a" (catches text-mode mangling, like PNG's)
//   u32 LE            header length in bytes
//   header            UTF-8 JSON (CatalogFileHeader), zero-padded to a multiple of 4
//   features          per work, its feature arrays packed as IndexedDB keeps them (feature-codec.ts;
//                     packedBytes long, entry counts in counts), then, if the work's noteCount is set,
//                     its melody notes: start s, end s, MIDI pitch (f32 LE × noteCount each).
//   sha256   32 bytes of everything before it
//
// Files of version 2 are still read: there each of FEATURE_ARRAYS in turn (u32 LE × its length in
// arrayLengths) stands where version 3 has the packed arrays. (Notes came later within version 2:
// a reader that does not know them finds every work's features at its featureOffset all the same.)
//
// Features are only valid for the core format they were made with
// (header.formatVersion); a mismatch means the audio must be analysed again.

export const CATALOG_FILE_VERSION = 3;
const MAGIC = new Uint8Array([0x54, 0x54, 0x43, 0x41, 0x54, 0x0d, 0x0a, 0x1a]);
const DIGEST_BYTES = 32;

export interface CatalogFileWork extends WorkMeta {
  formatVersion: number;
  /** Version 3: entries of the packed arrays, and their bytes. */
  counts?: PackedFingerprint['counts'];
  packedBytes?: number;
  /** Version 2: length of each feature array, in FEATURE_ARRAYS order. */
  arrayLengths?: number[];
  frameCount: number;
  peakCount: number;
  rms: number;
  /** Byte offset of this work's features from the start of the features block. */
  featureOffset: number;
  /** Melody notes stored after the features (absent: none kept, as in files written before notes were). */
  noteCount?: number;
}

const NOTE_ARRAYS = ['startSec', 'endSec', 'midi'] as const;

export interface CatalogFileHeader {
  fileVersion: number;
  formatVersion: number;
  catalogId: string;
  name: string;
  createdAt: number;
  exportedAt: number;
  works: CatalogFileWork[];
}

export interface CatalogContents {
  catalogId: string;
  name: string;
  createdAt: number;
  works: WorkRecord[];
}

export class CatalogFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogFileError';
  }
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
}

export async function encodeCatalogFile(contents: CatalogContents, formatVersion: number): Promise<Uint8Array> {
  let featureOffset = 0;
  const packed = contents.works.map(({ meta, fingerprint: fp }) => {
    if (fp.formatVersion !== formatVersion) {
      throw new CatalogFileError(`Work “${meta.title}” has features of format ${fp.formatVersion}, not ${formatVersion}.`);
    }
    return packFingerprint(fp);
  });
  const works: CatalogFileWork[] = contents.works.map(({ meta, fingerprint: fp }, i) => {
    const entry: CatalogFileWork = {
      ...meta,
      formatVersion: fp.formatVersion,
      counts: packed[i].counts,
      packedBytes: packed[i].packed.length,
      frameCount: fp.frameCount,
      peakCount: fp.peakCount,
      rms: fp.rms,
      featureOffset,
      ...(fp.notes ? { noteCount: fp.notes.midi.length } : {}),
    };
    featureOffset += packed[i].packed.length + 3 * (entry.noteCount ?? 0) * 4;
    return entry;
  });
  const header: CatalogFileHeader = {
    fileVersion: CATALOG_FILE_VERSION,
    formatVersion,
    catalogId: contents.catalogId,
    name: contents.name,
    createdAt: contents.createdAt,
    exportedAt: Date.now(),
    works,
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerPadded = (json.length + 3) & ~3;
  const bodyBytes = MAGIC.length + 4 + headerPadded + featureOffset;
  const out = new Uint8Array(bodyBytes + DIGEST_BYTES);
  out.set(MAGIC, 0);
  new DataView(out.buffer).setUint32(MAGIC.length, json.length, true);
  out.set(json, MAGIC.length + 4);
  const featuresStart = MAGIC.length + 4 + headerPadded;
  const view = new DataView(out.buffer);
  contents.works.forEach(({ fingerprint: fp }, i) => {
    let at = featuresStart + works[i].featureOffset;
    out.set(packed[i].packed, at);
    at += packed[i].packed.length;
    if (fp.notes) {
      for (const name of NOTE_ARRAYS) {
        for (const v of fp.notes[name]) {
          view.setFloat32(at, v, true);
          at += 4;
        }
      }
    }
  });
  out.set(await sha256(out.subarray(0, bodyBytes)), bodyBytes);
  return out;
}

/** Reads a catalog file. Throws CatalogFileError with a message a person can act on. */
export async function decodeCatalogFile(bytes: Uint8Array, formatVersion: number): Promise<CatalogContents> {
  const notCatalog = new CatalogFileError('This is not a Tunetrace catalog file (.ttcat). Choose a file made with “Export catalog” or `tunetrace index`.');
  if (bytes.length < MAGIC.length + 4 + DIGEST_BYTES) throw notCatalog;
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) throw notCatalog;
  const bodyBytes = bytes.length - DIGEST_BYTES;
  const expected = await sha256(bytes.subarray(0, bodyBytes));
  const stored = bytes.subarray(bodyBytes);
  if (expected.some((b, i) => b !== stored[i])) {
    throw new CatalogFileError('This catalog file is damaged (its checksum does not match): it was changed or cut short after it was saved. Export it again from where it came from; nothing was imported.');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(MAGIC.length, true);
  const headerStart = MAGIC.length + 4;
  if (headerStart + headerLength > bodyBytes) throw notCatalog;
  let header: CatalogFileHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength)));
  } catch {
    throw notCatalog;
  }
  if (header.fileVersion > CATALOG_FILE_VERSION) {
    throw new CatalogFileError(`This catalog file was made by a newer Tunetrace (file version ${header.fileVersion}). Update Tunetrace to read it.`);
  }
  if (header.formatVersion !== formatVersion) {
    throw new CatalogFileError(`This catalog holds features of analysis format ${header.formatVersion}, and this Tunetrace uses format ${formatVersion}. Index the original audio again to rebuild it.`);
  }
  if (!Array.isArray(header.works)) throw notCatalog;
  const featuresStart = headerStart + ((headerLength + 3) & ~3);
  const packedFile = header.fileVersion >= 3;
  const works: WorkRecord[] = header.works.map((w) => {
    const lengths = w.arrayLengths;
    if (packedFile) {
      if (!Number.isInteger(w.packedBytes) || w.packedBytes! < 0 || typeof w.counts !== 'object' || w.counts === null) throw notCatalog;
    } else if (!Array.isArray(lengths) || lengths.length !== FEATURE_ARRAYS.length || !lengths.every((n) => Number.isInteger(n) && n >= 0)) {
      throw notCatalog;
    }
    const noteCount = w.noteCount ?? 0;
    if (!Number.isInteger(noteCount) || noteCount < 0) throw notCatalog;
    const start = featuresStart + w.featureOffset;
    const featureBytes = packedFile ? w.packedBytes! : lengths!.reduce((a, b) => a + b, 0) * 4;
    const end = start + featureBytes + 3 * noteCount * 4;
    if (!Number.isInteger(start) || start < featuresStart || end > bodyBytes || typeof w.id !== 'string') throw notCatalog;
    let at = start;
    let features: Record<FeatureArrayName, Uint32Array>;
    if (packedFile) {
      try {
        features = unpackFeatureArrays(bytes.subarray(at, at + featureBytes), w.counts!);
      } catch {
        throw notCatalog;
      }
      at += featureBytes;
    } else {
      features = Object.fromEntries(FEATURE_ARRAYS.map((name, k) => {
        const a = new Uint32Array(lengths![k]);
        for (let i = 0; i < a.length; i++, at += 4) a[i] = view.getUint32(at, true);
        return [name, a];
      })) as Record<FeatureArrayName, Uint32Array>;
    }
    let notes: NoteLine | undefined;
    if (w.noteCount !== undefined) {
      const [startSec, endSec, midi] = NOTE_ARRAYS.map(() => {
        const a = new Float32Array(noteCount);
        for (let i = 0; i < a.length; i++, at += 4) a[i] = view.getFloat32(at, true);
        return a;
      });
      notes = { startSec, endSec, midi };
    }
    const fingerprint: Fingerprint = {
      formatVersion: w.formatVersion,
      durationSec: w.durationSec,
      frameCount: w.frameCount,
      peakCount: w.peakCount,
      ...features,
      rms: w.rms,
      ...(notes ? { notes } : {}),
    };
    return { meta: workMetaOf(w), fingerprint };
  });
  return { catalogId: header.catalogId, name: header.name, createdAt: header.createdAt, works };
}

/** A new random catalog id. */
export function newCatalogId(): string {
  return crypto.randomUUID();
}
