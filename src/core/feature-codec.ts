import type { FeatureArrayName, Fingerprint } from './types';

// The stored form of a fingerprint's feature arrays: about 60 % of their size in memory. Each kind of
// hash (peak pairs, peak triplets, note triplets) is written as
//   values   3 bytes each, little-endian (every hash has fewer than 24 bits: 21, 20 and 19)
//   frames   the difference from the previous frame, zigzag varint (the core emits hashes in anchor
//            order, so nearly every difference is 0..127: one byte instead of four)
//   extras   4 bytes each, little-endian (triplets only)
// Decoding checks every length and bound, so a damaged record is an error, never a wrong fingerprint.

/** The fingerprint with its feature arrays packed into one buffer. */
export interface PackedFingerprint extends Omit<Fingerprint, FeatureArrayName> {
  /** Entries of the pair, peak-triplet and note-triplet arrays. */
  counts: { hashes: number; triplets: number; melody: number };
  packed: Uint8Array;
}

const GROUPS = [
  { count: 'hashes', values: 'hashes', frames: 'hashFrames', extras: null },
  { count: 'triplets', values: 'triplets', frames: 'tripletFrames', extras: 'tripletExtras' },
  { count: 'melody', values: 'melody', frames: 'melodyFrames', extras: 'melodyExtras' },
] as const;

const VALUE_LIMIT = 2 ** 24;

export class DamagedFeaturesError extends Error {
  constructor(what: string) {
    super(`Stored features are damaged (${what}).`);
    this.name = 'DamagedFeaturesError';
  }
}

/** Packs a fingerprint's feature arrays (the rest of it is kept as it is). */
export function packFingerprint(fp: Fingerprint): PackedFingerprint {
  let bound = 0;
  for (const g of GROUPS) bound += fp[g.values].length * (3 + 5 + (g.extras ? 4 : 0));
  const out = new Uint8Array(bound);
  let at = 0;
  for (const g of GROUPS) {
    const values = fp[g.values];
    const frames = fp[g.frames];
    const n = values.length;
    if (frames.length !== n || (g.extras && fp[g.extras].length !== n)) throw new RangeError(`${g.values}: arrays of different lengths`);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v >= VALUE_LIMIT) throw new RangeError(`${g.values}: a hash of more than 24 bits`);
      out[at++] = v & 0xff;
      out[at++] = (v >>> 8) & 0xff;
      out[at++] = v >>> 16;
    }
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const d = frames[i] - previous;
      previous = frames[i];
      // Zigzag: small differences of either sign become small unsigned numbers.
      let z = d >= 0 ? d * 2 : -d * 2 - 1;
      while (z >= 0x80) {
        out[at++] = (z % 0x80) | 0x80;
        z = Math.floor(z / 0x80);
      }
      out[at++] = z;
    }
    if (g.extras) {
      const extras = fp[g.extras];
      for (let i = 0; i < n; i++) {
        const e = extras[i];
        out[at++] = e & 0xff;
        out[at++] = (e >>> 8) & 0xff;
        out[at++] = (e >>> 16) & 0xff;
        out[at++] = e >>> 24;
      }
    }
  }
  const { hashes, hashFrames, triplets, tripletFrames, tripletExtras, melody, melodyFrames, melodyExtras, ...rest } = fp;
  return {
    ...rest,
    counts: { hashes: hashes.length, triplets: triplets.length, melody: melody.length },
    packed: out.slice(0, at),
  };
}

/** The fingerprint a packed one was made from; throws DamagedFeaturesError if the buffer does not hold it. */
export function unpackFingerprint(p: PackedFingerprint): Fingerprint {
  const arrays = unpackFeatureArrays(p.packed, p.counts);
  const { counts: _, packed: __, ...rest } = p;
  return { ...rest, ...arrays };
}

/** The feature arrays packed in `bytes` (`counts` entries of each kind); throws DamagedFeaturesError if they do not fit. */
export function unpackFeatureArrays(bytes: Uint8Array, counts: PackedFingerprint['counts']): Record<FeatureArrayName, Uint32Array> {
  if (!(bytes instanceof Uint8Array) || !counts) throw new DamagedFeaturesError('no packed arrays');
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new DamagedFeaturesError('too short');
  };
  const arrays: Partial<Record<FeatureArrayName, Uint32Array>> = {};
  for (const g of GROUPS) {
    const n = counts[g.count];
    if (!Number.isInteger(n) || n < 0) throw new DamagedFeaturesError(`count of ${g.values}`);
    need(n * (3 + 1 + (g.extras ? 4 : 0)));
    const values = new Uint32Array(n);
    for (let i = 0; i < n; i++, at += 3) values[i] = bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16);
    const frames = new Uint32Array(n);
    let frame = 0;
    for (let i = 0; i < n; i++) {
      need(1);
      let z = bytes[at++];
      if (z >= 0x80) {
        // (Rare: a difference of 64 frames or more.)
        z &= 0x7f;
        let scale = 0x80;
        for (;;) {
          need(1);
          const b = bytes[at++];
          z += (b & 0x7f) * scale;
          if (b < 0x80) break;
          scale *= 0x80;
          if (scale > 2 ** 35) throw new DamagedFeaturesError('a frame number too long');
        }
      }
      frame += z % 2 === 0 ? z / 2 : -(z + 1) / 2;
      if (frame < 0 || frame >= 2 ** 32) throw new DamagedFeaturesError('a frame out of range');
      frames[i] = frame;
    }
    arrays[g.values] = values;
    arrays[g.frames] = frames;
    if (g.extras) {
      need(n * 4);
      const extras = new Uint32Array(n);
      for (let i = 0; i < n; i++, at += 4) extras[i] = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
      arrays[g.extras] = extras;
    }
  }
  if (at !== bytes.length) throw new DamagedFeaturesError('bytes left over');
  return arrays as Record<FeatureArrayName, Uint32Array>;
}

/** Bytes a packed fingerprint keeps: its packed arrays and its notes. */
export function packedBytes(p: PackedFingerprint): number {
  const n = p.notes;
  return p.packed.byteLength + (n ? n.startSec.byteLength + n.endSec.byteLength + n.midi.byteLength : 0);
}
