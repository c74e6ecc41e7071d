import { Buf32 } from '../mem';
import { PAIR_FAN_OUT, PAIR_QUERY_FAN_OUT, PAIR_MASKED_FAN_OUT, PAIR_MIN_DT, PAIR_MAX_DT, PAIR_MAX_DF } from '../config';

// Peak-pair landmark hashes (Wang 2003): each anchor peak is paired with the
// next PAIR_FAN_OUT peaks in its target zone (a query's with PAIR_QUERY_FAN_OUT). A hash packs
//   bits 13..20  anchor bin f1      (8 bits, bins < 256)
//   bits  6..12  f2 − f1 + 64       (7 bits, |df| ≤ 63)
//   bits  0..5   t2 − t1 in frames  (6 bits, 2 … 63)
// into 21 bits; its time is the anchor's frame.

export const HASH_BITS: i32 = 21;
/** Marks a query's masked pairs (see PEAK_QUERY_MASKED_HALF_BINS in config.ts); never stored. */
export const MASKED_PAIR_BIT: u32 = 1 << 21;

export const hashValues = new Buf32(); // u32
export const hashFrames = new Buf32(); // u32

@inline export function hash_pack(f1: i32, df: i32, dt: i32): u32 {
  return (<u32>f1 << 13) | (<u32>(df + 64) << 6) | <u32>dt;
}

/** Hashes the peaks (sorted by frame, then bin). Returns the number of hashes. */
export function hashes_from_peaks(frames: Buf32, bins: Buf32, forQuery: bool): i32 {
  hashValues.clear();
  hashFrames.clear();
  return pairs_from_peaks(frames, bins, forQuery ? PAIR_QUERY_FAN_OUT : PAIR_FAN_OUT, 0);
}

/** Adds a query's masked pairs (tagged MASKED_PAIR_BIT) after its other pairs. Returns the number of hashes. */
export function masked_hashes_from_peaks(frames: Buf32, bins: Buf32): i32 {
  return pairs_from_peaks(frames, bins, PAIR_MASKED_FAN_OUT, MASKED_PAIR_BIT);
}

function pairs_from_peaks(frames: Buf32, bins: Buf32, fanOut: i32, tag: u32): i32 {
  const n = frames.length;
  for (let i = 0; i < n; i++) {
    const t1 = <i32>frames.u32At(i);
    const f1 = <i32>bins.u32At(i);
    let paired = 0;
    for (let j = i + 1; j < n && paired < fanOut; j++) {
      const dt = <i32>frames.u32At(j) - t1;
      if (dt > PAIR_MAX_DT) break;
      if (dt < PAIR_MIN_DT) continue;
      const df = <i32>bins.u32At(j) - f1;
      if (df > PAIR_MAX_DF || df < -PAIR_MAX_DF) continue;
      hashValues.pushU32(hash_pack(f1, df, dt) | tag);
      hashFrames.pushU32(<u32>t1);
      paired++;
    }
  }
  return hashValues.length;
}
