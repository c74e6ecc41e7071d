import { describe, expect, it } from 'vitest';
import { DamagedFeaturesError, packFingerprint, packedBytes, unpackFingerprint } from '../../src/core/feature-codec';
import { FEATURE_ARRAYS, type Fingerprint } from '../../src/core/types';

/** A fingerprint whose frames step like the core's (mostly 0–3 frames, some long pauses, one step back). */
function fingerprint(n: number, seed = 1): Fingerprint {
  let s = seed;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const frames = () => {
    let f = 0;
    return Uint32Array.from({ length: n }, (_, i) => (f += i === n >> 1 ? 70_000 : i === 5 ? 0 : Math.floor(rand() * 4)));
  };
  const words = (bits: number) => Uint32Array.from({ length: n }, () => Math.floor(rand() * 2 ** bits));
  const fp: Fingerprint = {
    formatVersion: 5, durationSec: 12.5, frameCount: 1562, peakCount: 400, rms: 0.125,
    hashes: words(21), hashFrames: frames(),
    triplets: words(19), tripletFrames: frames(), tripletExtras: words(32),
    melody: words(19), melodyFrames: frames(), melodyExtras: words(32),
    notes: { startSec: Float32Array.from([0.5]), endSec: Float32Array.from([1]), midi: Float32Array.from([64]) },
  };
  // A step back: the codec must not assume frames only grow.
  fp.melodyFrames[3] = fp.melodyFrames[2] - 1;
  return fp;
}

describe('packed features', () => {
  it('round-trips every array exactly, and keeps the rest of the fingerprint', () => {
    const fp = fingerprint(3000);
    const back = unpackFingerprint(packFingerprint(fp));
    for (const name of FEATURE_ARRAYS) expect(back[name], name).toEqual(fp[name]);
    expect({ ...back, ...Object.fromEntries(FEATURE_ARRAYS.map((n) => [n, null])) })
      .toEqual({ ...fp, ...Object.fromEntries(FEATURE_ARRAYS.map((n) => [n, null])) });
  });

  it('takes about 4 bytes a pair and 8 a triplet instead of 8 and 12', () => {
    const fp = fingerprint(3000);
    const packed = packFingerprint(fp);
    const notes = 3 * 4;
    // Frame steps under 64 take one byte; the one long pause takes three.
    expect(packedBytes(packed) - notes).toBe(3000 * 4 + 2 * 3000 * 8 + 3 * 2);
  });

  it('round-trips an empty fingerprint (a melody-only MIDI work has no pairs)', () => {
    const fp = fingerprint(0);
    const back = unpackFingerprint(packFingerprint(fp));
    for (const name of FEATURE_ARRAYS) expect(back[name].length, name).toBe(0);
  });

  it('refuses a hash of 24 bits or more rather than storing it wrong', () => {
    const fp = fingerprint(10);
    fp.hashes[4] = 2 ** 24;
    expect(() => packFingerprint(fp)).toThrow(RangeError);
  });

  it('says a damaged record is damaged: cut short, bytes added, counts changed', () => {
    const packed = packFingerprint(fingerprint(200));
    expect(() => unpackFingerprint({ ...packed, packed: packed.packed.slice(0, -1) })).toThrow(DamagedFeaturesError);
    expect(() => unpackFingerprint({ ...packed, packed: Uint8Array.from([...packed.packed, 0]) })).toThrow(DamagedFeaturesError);
    expect(() => unpackFingerprint({ ...packed, counts: { ...packed.counts, melody: 201 } })).toThrow(DamagedFeaturesError);
    expect(() => unpackFingerprint({ ...packed, counts: { ...packed.counts, hashes: -1 } })).toThrow(DamagedFeaturesError);
    // Every frame step made endless: the varint reader stops instead of running on.
    const endless = packed.packed.slice();
    endless.fill(0xff, 200 * 3);
    expect(() => unpackFingerprint({ ...packed, packed: endless })).toThrow(DamagedFeaturesError);
  });
});
