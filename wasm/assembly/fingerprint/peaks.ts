import { Buf32 } from '../mem';
import {
  ANALYSIS_RATE_HZ, FFT_SIZE,
  BIN_COUNT, PEAK_MIN_BIN, PEAK_MAX_BIN, PEAK_HALF_BINS, PEAK_HALF_FRAMES, PEAK_FLOOR_POWER,
} from '../config';

// Spectral peaks by a 2-D maximum filter, streamed frame by frame: a bin is a
// peak when it is the largest value within ±PEAK_HALF_BINS and ±PEAK_HALF_FRAMES
// and above the floor. Ties go to the earliest frame and the lowest bin, so a
// steady tone yields one peak per filter window, not one per frame.
// The filter along frequency is done per frame (van Herk / Gil–Werman, O(bins));
// the filter along time compares against a ring of the last 2·T+1 frames.

const RING: i32 = 2 * PEAK_HALF_FRAMES + 1;
const ringPower = new Buf32(); // RING × BIN_COUNT
const ringMax = new Buf32(); // same, max-filtered along frequency
const prefix = new Buf32();
const suffix = new Buf32();
let framesIn: i32 = 0;

export const peakFrames = new Buf32(); // u32 frame index
export const peakBins = new Buf32(); // u32 bin
export const peakPitches = new Buf32(); // f32 pitch in semitones above 55 Hz, from the interpolated peak frequency

const BIN_HZ: f64 = <f64>ANALYSIS_RATE_HZ / <f64>FFT_SIZE;
const INV_LN2: f64 = 1.4426950408889634;

/**
 * Pitch of a spectral peak: the maximum of a parabola through the log power
 * of the bin and its two neighbours (a Hann window's main lobe is close to a
 * parabola in dB, so this is accurate to a few hundredths of a bin).
 */
function peakPitch(power: usize, f: i32): f32 {
  const a = Math.log(<f64>load<f32>(power + (<usize>(f - 1) << 2)) + 1e-20);
  const b = Math.log(<f64>load<f32>(power + (<usize>f << 2)) + 1e-20);
  const c = Math.log(<f64>load<f32>(power + (<usize>(f + 1) << 2)) + 1e-20);
  const denom = a - 2.0 * b + c;
  let delta = denom < 0.0 ? 0.5 * (a - c) / denom : 0.0;
  if (delta > 0.5) delta = 0.5;
  if (delta < -0.5) delta = -0.5;
  const hz = (<f64>f + delta) * BIN_HZ;
  return <f32>(12.0 * Math.log(hz / 55.0) * INV_LN2);
}

/** Running max over ±half of `row` (length n) into `out`, in O(n). */
export function max_filter_row(row: usize, out: usize, n: i32, half: i32): void {
  const w = 2 * half + 1;
  prefix.reserve(n + w);
  suffix.reserve(n + w);
  const p = prefix.ptr;
  const s = suffix.ptr;
  // Block-wise prefix and suffix maxima over blocks of w.
  // Block positions are counted rather than taken modulo w (no integer division per bin).
  let at = 0; // i % w
  for (let i = 0; i < n; i++) {
    const v = load<f32>(row + (<usize>i << 2));
    store<f32>(p + (<usize>i << 2), at == 0 ? v : max(v, load<f32>(p + (<usize>(i - 1) << 2))));
    if (++at == w) at = 0;
  }
  at = (n - 1) % w;
  for (let i = n - 1; i >= 0; i--) {
    const v = load<f32>(row + (<usize>i << 2));
    store<f32>(s + (<usize>i << 2), (at == w - 1 || i == n - 1) ? v : max(v, load<f32>(s + (<usize>(i + 1) << 2))));
    at = at == 0 ? w - 1 : at - 1;
  }
  let loAt = 0; // (i − half) % w for the full windows
  for (let i = 0; i < n; i++) {
    let m: f32;
    if (i >= half && i + half < n) {
      // A full window of w values: one block's maximum when it starts a block, else a suffix and a prefix.
      const lo = i - half;
      const hi = i + half;
      m = loAt == 0 ? load<f32>(p + (<usize>hi << 2)) : max(load<f32>(s + (<usize>lo << 2)), load<f32>(p + (<usize>hi << 2)));
      if (++loAt == w) loAt = 0;
    } else {
      const lo = i - half < 0 ? 0 : i - half;
      const hi = i + half >= n ? n - 1 : i + half;
      if (lo / w == hi / w) {
        m = load<f32>(row + (<usize>lo << 2));
        for (let k = lo + 1; k <= hi; k++) m = max(m, load<f32>(row + (<usize>k << 2)));
      } else {
        m = max(load<f32>(s + (<usize>lo << 2)), load<f32>(p + (<usize>hi << 2)));
      }
    }
    store<f32>(out + (<usize>i << 2), m);
  }
}

export function peaks_begin(): void {
  ringPower.resize(RING * BIN_COUNT);
  ringMax.resize(RING * BIN_COUNT);
  framesIn = 0;
  peakFrames.clear();
  peakBins.clear();
  peakPitches.clear();
}

@inline function rowPtr(buf: Buf32, frame: i32): usize {
  return buf.ptr + (<usize>((frame % RING) * BIN_COUNT) << 2);
}

/** Checks frame `c` against frames up to `lastFrame` (inclusive) and records its peaks. */
function evaluate(c: i32, lastFrame: i32): void {
  const power = rowPtr(ringPower, c);
  const rowMax = rowPtr(ringMax, c);
  const first = c - PEAK_HALF_FRAMES < 0 ? 0 : c - PEAK_HALF_FRAMES;
  const last = c + PEAK_HALF_FRAMES > lastFrame ? lastFrame : c + PEAK_HALF_FRAMES;
  for (let f = PEAK_MIN_BIN; f <= PEAK_MAX_BIN; f++) {
    const o = <usize>f << 2;
    const v = load<f32>(power + o);
    if (v < PEAK_FLOOR_POWER || v < load<f32>(rowMax + o)) continue;
    // Lowest bin wins a tie along frequency.
    let isPeak = true;
    const fLo = f - PEAK_HALF_BINS < 0 ? 0 : f - PEAK_HALF_BINS;
    for (let g = fLo; g < f; g++) {
      if (load<f32>(power + (<usize>g << 2)) == v) { isPeak = false; break; }
    }
    if (!isPeak) continue;
    // Earliest frame wins a tie along time.
    for (let j = first; j <= last; j++) {
      if (j == c) continue;
      const m = load<f32>(rowPtr(ringMax, j) + o);
      if (m > v || (j < c && m == v)) { isPeak = false; break; }
    }
    if (!isPeak) continue;
    peakFrames.pushU32(<u32>c);
    peakBins.pushU32(<u32>f);
    peakPitches.pushF32(peakPitch(power, f));
  }
}

/** Takes one frame's power spectrum (BIN_COUNT values). */
export function peaks_push(power: usize): void {
  const frame = framesIn;
  memory.copy(rowPtr(ringPower, frame), power, <usize>BIN_COUNT << 2);
  max_filter_row(power, rowPtr(ringMax, frame), BIN_COUNT, PEAK_HALF_BINS);
  framesIn++;
  const c = frame - PEAK_HALF_FRAMES;
  if (c >= 0) evaluate(c, frame);
}

/** Evaluates the frames still waiting for their later neighbours. */
export function peaks_flush(): void {
  const lastFrame = framesIn - 1;
  let c = framesIn - PEAK_HALF_FRAMES;
  if (c < 0) c = 0;
  for (; c <= lastFrame; c++) evaluate(c, lastFrame);
}

export function peaks_frame_count(): i32 {
  return framesIn;
}
