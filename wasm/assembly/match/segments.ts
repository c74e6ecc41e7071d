import { Buf32 } from '../mem';
import { significance_to_confidence } from './chance';

// Match segments, as records of SEGMENT_FIELDS f64 values that JavaScript reads in place:
//   0 work slot, 1 query start frame, 2 query end frame (last hit), 3 reference start frame,
//   4 reference end frame, 5 distinct hits, 6 hits expected by chance,
//   7 significance (−log10 corrected p), 8 confidence 0..1,
//   9 time ratio (query / reference), 10 pitch shift in semitones (query − reference),
//   11 evidence (0 the recording, 1 the melody),
//   12 1 when the other kind of evidence found the same work over the same span too

export const SEGMENT_FIELDS: i32 = 13;
const records = new Buf32(); // f64 records, stored as pairs of 32-bit words
let count: i32 = 0;
const kept = new Buf32();

@inline function field(i: i32, f: i32): f64 {
  return load<f64>(records.ptr + (<usize>(i * SEGMENT_FIELDS + f) << 3));
}

export function segments_clear(): void {
  count = 0;
}

export function segments_add(
  slot: i32, queryStart: f64, queryEnd: f64, refStart: f64, refEnd: f64,
  hits: i32, expected: f64, significance: f64, timeRatio: f64, pitchShift: f64, evidence: i32,
): void {
  records.resize((count + 1) * SEGMENT_FIELDS * 2);
  const at = records.ptr + (<usize>(count * SEGMENT_FIELDS) << 3);
  store<f64>(at, <f64>slot);
  store<f64>(at + 8, queryStart);
  store<f64>(at + 16, queryEnd);
  store<f64>(at + 24, refStart);
  store<f64>(at + 32, refEnd);
  store<f64>(at + 40, <f64>hits);
  store<f64>(at + 48, expected);
  store<f64>(at + 56, significance);
  store<f64>(at + 64, significance_to_confidence(significance));
  store<f64>(at + 72, timeRatio);
  store<f64>(at + 80, pitchShift);
  store<f64>(at + 88, <f64>evidence);
  store<f64>(at + 96, 0.0);
  count++;
}

/**
 * One query span can match a work more than once: a chorus that repeats,
 * or the same passage found by pair, triplet and melody hashes. Where two
 * segments of the same work cover mostly the same query time, keep one:
 * recording evidence over melody evidence (it also proves the melody), else
 * the more significant. A kept segment whose twin was the other kind of
 * evidence says so (field 12): one segment with both, not two.
 */
export function segments_suppress_repeats(): void {
  kept.resize(count);
  for (let i = 0; i < count; i++) kept.setU32(i, 1);
  for (let i = 0; i < count; i++) {
    for (let j = i + 1; j < count; j++) {
      if (kept.u32At(i) == 0) break;
      if (kept.u32At(j) == 0 || field(i, 0) != field(j, 0)) continue;
      const overlap = min(field(i, 2), field(j, 2)) - max(field(i, 1), field(j, 1));
      const shorter = min(field(i, 2) - field(i, 1), field(j, 2) - field(j, 1));
      if (overlap <= 0.5 * max(shorter, 1.0)) continue;
      const ei = field(i, 11);
      const ej = field(j, 11);
      const keepJ = ej < ei || (ej == ei && field(j, 7) > field(i, 7));
      kept.setU32(keepJ ? i : j, 0);
      if (ei != ej) store<f64>(records.ptr + (<usize>((keepJ ? j : i) * SEGMENT_FIELDS + 12) << 3), 1.0);
    }
  }
  let out = 0;
  for (let i = 0; i < count; i++) {
    if (kept.u32At(i) == 0) continue;
    if (out != i) {
      memory.copy(
        records.ptr + (<usize>(out * SEGMENT_FIELDS) << 3),
        records.ptr + (<usize>(i * SEGMENT_FIELDS) << 3),
        <usize>SEGMENT_FIELDS << 3,
      );
    }
    out++;
  }
  count = out;
}

export function segment_count(): i32 {
  return count;
}

export function segments_ptr(): usize {
  return records.ptr;
}
