import { Buf32 } from '../mem';
import {
  TRIPLET_MIN_BIN, TRIPLET_MIN_DT12, TRIPLET_MAX_DT12, TRIPLET_MIN_DT13, TRIPLET_MAX_DT13,
  TRIPLET_MAX_DPITCH, TRIPLET_FAN_OUT_2, TRIPLET_FAN_OUT_3, TRIPLET_QUERY_FAN_OUT_2, TRIPLET_QUERY_FAN_OUT_3,
  LONG_TRIPLET_UNIT_FRAMES, LONG_MIN_DT12, LONG_MAX_DT12, LONG_MIN_DT13, LONG_MAX_DT13,
  LONG_FAN_OUT_2, LONG_FAN_OUT_3, LONG_QUERY_FAN_OUT_2, LONG_QUERY_FAN_OUT_3,
} from '../config';

// Triplet hashes (after Panako): three peaks p1, p2, p3 in time order. On a
// log-frequency (pitch) axis a pitch shift is a translation, so the pitch
// differences p2 − p1 and p3 − p2 do not change; a tempo change scales time,
// so the ratio (t2 − t1) / (t3 − t1) does not change. The hash packs (19 bits)
//   bits 16..18  octave band of p1              (the query probes the bands a shift can reach)
//   bits 13..15  log band of t3 − t1 (×1.3 each) (the query probes the bands a tempo change can reach)
//   bits 10..12  ⌊8 · (t2 − t1) / (t3 − t1)⌋     (the query probes one frame of jitter)
//   bits  5..9   round(p2 − p1) + 15 semitones
//   bits  0..4   round(p3 − p2) + 15 semitones
// (The peaks' loudness order was tried as more bits: lossy coding flips it too often.)
// and each hash carries what a match needs to measure the transform (and the
// query needs to probe neighbouring hashes):
//   extra = round(32 · pitch of p1) << 14 | (t2 − t1) << 7 | (t3 − t1)
// A hit between a query and a reference triplet then yields its own time
// ratio (t13 query / t13 reference) and pitch shift (p1 query − p1 reference).
// Triplets of one repeated pitch (both differences 0) say little and are skipped.

export const TRIPLET_HASH_BITS: i32 = 20;
/** Set in the hash of a long triplet (landmarks, time spans in units of LONG_TRIPLET_UNIT_FRAMES). */
export const LONG_TRIPLET_BIT: u32 = <u32>1 << 19;
/** Bits of the hash that the query probes with neighbouring values: octave band, t13 band, ratio. */
export const TRIPLET_PROBED_MASK: u32 = (<u32>7 << 16) | (<u32>7 << 13) | (<u32>7 << 10);

export const tripletValues = new Buf32();
export const tripletFrames = new Buf32();
export const tripletExtras = new Buf32();

@inline export function triplet_pack(band: i32, spanBand: i32, ratio8: i32, dfa: i32, dfb: i32): u32 {
  return (<u32>band << 16) | (<u32>spanBand << 13) | (<u32>ratio8 << 10) | (<u32>(dfa + 15) << 5) | <u32>(dfb + 15);
}

/** Probed fields placed in a hash whose probed bits are zero. */
@inline export function triplet_probe(base: u32, band: i32, spanBand: i32, ratio8: i32): u32 {
  return base | (<u32>band << 16) | (<u32>spanBand << 13) | (<u32>ratio8 << 10);
}

/** Log band of t3 − t1: factor 1.3 per band from `base`, 8 bands. */
@inline function log_band(dt13: f64, base: i32): i32 {
  const b = <i32>Math.floor(Math.log(dt13 / <f64>base) / Math.log(1.3));
  return b < 0 ? 0 : b > 7 ? 7 : b;
}

/** Span band of an ordinary triplet (or a note triplet): from TRIPLET_MIN_DT13 (16, 21, 27, 35, 46, 59, 77 frames). */
@inline export function span_band(dt13: f64): i32 {
  return log_band(dt13, TRIPLET_MIN_DT13);
}

/** Span band of a peak triplet of either kind: a long one's (LONG_TRIPLET_BIT) counts from LONG_MIN_DT13 time units. */
@inline export function span_band_of(dt13: f64, long: bool): i32 {
  return log_band(dt13, long ? LONG_MIN_DT13 : TRIPLET_MIN_DT13);
}

@inline export function triplet_extra(p1: f32, dt12: i32, dt13: i32): u32 {
  return (<u32>min(4095, max(0, <i32>Math.round(<f64>p1 * 32.0))) << 14) | (<u32>dt12 << 7) | <u32>dt13;
}

@inline export function extra_pitch(extra: u32): f64 {
  return <f64>((extra >> 14) & 4095) / 32.0;
}

@inline export function extra_dt12(extra: u32): i32 {
  return <i32>((extra >> 7) & 127);
}

@inline export function extra_dt13(extra: u32): i32 {
  return <i32>(extra & 127);
}

@inline export function ratio_bin(dt12: i32, dt13: i32): i32 {
  return max(0, min(7, (dt12 * 8) / dt13));
}

@inline export function pitch_band(pitch: f32): i32 {
  const b = <i32>Math.floor(<f64>pitch / 12.0);
  return b < 0 ? 0 : b > 7 ? 7 : b;
}

/**
 * What one kind of peak triplet spans: its time unit (frames), the bounds of t2 − t1 and t3 − t1 (in units),
 * how many second and third peaks an anchor takes (a reference, a query), and the bit its hash is marked with.
 */
class TripletKind {
  constructor(
    readonly unit: i32,
    readonly minDt12: i32, readonly maxDt12: i32, readonly minDt13: i32, readonly maxDt13: i32,
    readonly fanOut2: i32, readonly fanOut3: i32, readonly queryFanOut2: i32, readonly queryFanOut3: i32,
    readonly bit: u32,
  ) {}
}

const ORDINARY = new TripletKind(
  1, TRIPLET_MIN_DT12, TRIPLET_MAX_DT12, TRIPLET_MIN_DT13, TRIPLET_MAX_DT13,
  TRIPLET_FAN_OUT_2, TRIPLET_FAN_OUT_3, TRIPLET_QUERY_FAN_OUT_2, TRIPLET_QUERY_FAN_OUT_3, 0,
);
const LONG = new TripletKind(
  LONG_TRIPLET_UNIT_FRAMES, LONG_MIN_DT12, LONG_MAX_DT12, LONG_MIN_DT13, LONG_MAX_DT13,
  LONG_FAN_OUT_2, LONG_FAN_OUT_3, LONG_QUERY_FAN_OUT_2, LONG_QUERY_FAN_OUT_3, LONG_TRIPLET_BIT,
);

/** Triplets from peaks sorted by frame (fewer per anchor for a query). Returns the number of triplets. */
export function triplets_from_peaks(frames: Buf32, bins: Buf32, pitches: Buf32, forQuery: bool): i32 {
  tripletValues.clear();
  tripletFrames.clear();
  tripletExtras.clear();
  append_triplets(ORDINARY, frames, bins, pitches, forQuery);
  return tripletValues.length;
}

/**
 * Appends long triplets from landmarks (sorted by frame): three landmarks up to LONG_MAX_DT13 time
 * units apart, for music whose landmarks are further apart than a triplet spans (slow held chords).
 */
export function long_triplets_from_peaks(frames: Buf32, bins: Buf32, pitches: Buf32, forQuery: bool): i32 {
  append_triplets(LONG, frames, bins, pitches, forQuery);
  return tripletValues.length;
}

function append_triplets(kind: TripletKind, frames: Buf32, bins: Buf32, pitches: Buf32, forQuery: bool): void {
  const fanOut2 = forQuery ? kind.queryFanOut2 : kind.fanOut2;
  const fanOut3 = forQuery ? kind.queryFanOut3 : kind.fanOut3;
  const unit = kind.unit;
  const long = kind.bit != 0;
  const n = frames.length;
  for (let i = 0; i < n; i++) {
    if (<i32>bins.u32At(i) < TRIPLET_MIN_BIN) continue;
    const t1 = <i32>frames.u32At(i);
    const p1 = pitches.f32At(i);
    let seconds = 0;
    for (let j = i + 1; j < n && seconds < fanOut2; j++) {
      const dt12 = (<i32>frames.u32At(j) - t1) / unit;
      if (dt12 > kind.maxDt12) break;
      if (dt12 < kind.minDt12 || <i32>bins.u32At(j) < TRIPLET_MIN_BIN) continue;
      const p2 = pitches.f32At(j);
      if (abs<f32>(p2 - p1) > TRIPLET_MAX_DPITCH) continue;
      seconds++;
      let thirds = 0;
      for (let k = j + 1; k < n && thirds < fanOut3; k++) {
        const dt13 = (<i32>frames.u32At(k) - t1) / unit;
        if (dt13 > kind.maxDt13) break;
        if (dt13 < kind.minDt13 || dt13 <= dt12 + 1 || <i32>bins.u32At(k) < TRIPLET_MIN_BIN) continue;
        const p3 = pitches.f32At(k);
        if (abs<f32>(p3 - p2) > TRIPLET_MAX_DPITCH) continue;
        const dfa = <i32>Math.round(<f64>(p2 - p1));
        const dfb = <i32>Math.round(<f64>(p3 - p2));
        if (dfa == 0 && dfb == 0) continue;
        thirds++;
        tripletValues.pushU32(kind.bit | triplet_pack(pitch_band(p1), span_band_of(<f64>dt13, long), ratio_bin(dt12, dt13), dfa, dfb));
        tripletFrames.pushU32(<u32>t1);
        tripletExtras.pushU32(triplet_extra(p1, dt12, dt13));
      }
    }
  }
}
