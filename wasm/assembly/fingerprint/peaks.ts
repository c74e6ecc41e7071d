import { Buf32 } from '../mem';
import {
  ANALYSIS_RATE_HZ, FFT_SIZE,
  BIN_COUNT, PEAK_MIN_BIN, PEAK_MAX_BIN, PEAK_HALF_BINS, PEAK_HALF_FRAMES, PEAK_FLOOR_POWER,
  PEAK_QUERY_PAIR_HALF_BINS, PEAK_QUERY_PAIR_HALF_FRAMES, PEAK_QUERY_MASKED_HALF_BINS, PEAK_QUERY_MASKED_HALF_FRAMES, LANDMARK_HALF_BINS, LANDMARK_HALF_FRAMES,
} from '../config';

// Spectral peaks by a 2-D maximum filter, streamed frame by frame: a bin is a
// peak when it is the largest value within ±PEAK_HALF_BINS and ±PEAK_HALF_FRAMES
// and above the floor. Ties go to the earliest frame and the lowest bin, so a
// steady tone yields one peak per filter window, not one per frame.
// The filter along frequency is done per frame (by doubling, four bins at a time);
// the filter along time compares against a ring of the last 2·T+1 frames.

const RING: i32 = 2 * max(max(max(PEAK_HALF_FRAMES, PEAK_QUERY_PAIR_HALF_FRAMES), PEAK_QUERY_MASKED_HALF_FRAMES), LANDMARK_HALF_FRAMES) + 1; // the widest picker's window
const ringPower = new Buf32(); // RING × BIN_COUNT
let framesIn: i32 = 0;

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

/**
 * Running max over ±half of `row` (length n) into `out`. By doubling, four bins at a time (f32x4): level k
 * holds the max of 2^k values from each position of the row padded with −∞ by `half` on both sides, and a
 * window of w = 2·half + 1 is the max of one level per set bit of w, laid end to end. (Maxima are exact, so
 * this equals the scalar running max to the bit; it replaced van Herk / Gil–Werman's three scalar passes.)
 */
export function max_filter_row(row: usize, out: usize, n: i32, half: i32): void {
  max_levels(row, n, half);
  max_from_levels(out, n, half);
}
const levels = new Buf32(); // max_levels' doubling levels
let levelsStride: i32 = 0;
let levelsPad: i32 = 0;

/** The doubling levels of `row` padded by `pad`, enough for windows of up to 2·pad + 1 (see max_filter_row). */
function max_levels(row: usize, n: i32, pad: i32): void {
  const top = topLevel(2 * pad + 1);
  const len = n + 2 * pad; // the padded row
  // Each level is computed a whole vector past `len` (and read up to 2^top further): room and −∞ for that.
  const stride = ((len + 3) & ~3) + (1 << top) + 4;
  levels.reserve(stride * (top + 1));
  levelsStride = stride;
  levelsPad = pad;
  const base = levels.ptr;
  const negInf = f32x4.splat(-Infinity);
  for (let j = 0; j < stride; j += 4) v128.store(base + (<usize>j << 2), negInf);
  memory.copy(base + (<usize>pad << 2), row, <usize>n << 2);
  for (let k = 1; k <= top; k++) {
    const from = base + (<usize>((k - 1) * stride) << 2);
    const to = base + (<usize>(k * stride) << 2);
    const step = <usize>(1 << (k - 1)) << 2;
    for (let j = 0; j < len; j += 4) {
      const at = <usize>j << 2;
      v128.store(to + at, f32x4.max(v128.load(from + at), v128.load(from + at + step)));
    }
  }
}

@inline function topLevel(w: i32): i32 {
  let top = 0;
  while ((2 << top) <= w) top++;
  return top;
}

/** The running max over ±half (half ≤ the levels' padding) of the row max_levels took, into `out`. */
function max_from_levels(out: usize, n: i32, half: i32): void {
  const w = 2 * half + 1;
  const top = topLevel(w);
  const base = levels.ptr;
  const stride = levelsStride;
  // out[i] = max over the set bits of w, highest first, of level k at i + (the bits above k).
  const skip = levelsPad - half;
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), windowMax(base, stride, top, w, i + skip));
  if (i < n) {
    const m = windowMax(base, stride, top, w, i + skip);
    store<f32>(out + (<usize>i << 2), f32x4.extract_lane(m, 0));
    if (i + 1 < n) store<f32>(out + (<usize>(i + 1) << 2), f32x4.extract_lane(m, 1));
    if (i + 2 < n) store<f32>(out + (<usize>(i + 2) << 2), f32x4.extract_lane(m, 2));
  }
}

@inline function windowMax(base: usize, stride: i32, top: i32, w: i32, i: i32): v128 {
  let m = f32x4.splat(-Infinity);
  let offset = i;
  for (let k = top; k >= 0; k--) {
    if (((w >> k) & 1) == 0) continue;
    m = f32x4.max(m, v128.load(base + (<usize>(k * stride + offset) << 2)));
    offset += 1 << k;
  }
  return m;
}

@inline function rowPtr(buf: Buf32, frame: i32): usize {
  return buf.ptr + (<usize>((frame % RING) * BIN_COUNT) << 2);
}

/** One 2-D maximum filter over the shared ring of power spectra, and the peaks it found. */
class PeakPicker {
  /** RING × BIN_COUNT, the power max-filtered along frequency: its own rows, or those of an earlier picker of the same halfBins. */
  readonly ownMax: Buf32 = new Buf32();
  ringMax: Buf32 = this.ownMax;
  /** Whether this picker filters its rows (false: an earlier picker of the same halfBins does, into the shared ringMax). */
  filters: bool = true;
  readonly frames: Buf32 = new Buf32(); // u32 frame index
  readonly bins: Buf32 = new Buf32(); // u32 bin
  readonly pitches: Buf32 = new Buf32(); // f32 pitch in semitones above 55 Hz, from the interpolated peak frequency
  on: bool = true;

  constructor(readonly halfBins: i32, readonly halfFrames: i32) {}

  begin(on: bool): void {
    this.on = on;
    this.ownMax.resize(RING * BIN_COUNT);
    this.frames.clear();
    this.bins.clear();
    this.pitches.clear();
  }

  /** After frame `frame`'s power is in the ring and max_levels made of it. */
  push(frame: i32): void {
    if (!this.on) return;
    if (this.filters) max_from_levels(rowPtr(this.ringMax, frame), BIN_COUNT, this.halfBins);
    const c = frame - this.halfFrames;
    if (c >= 0) this.evaluate(c, frame);
  }

  /** Evaluates the frames still waiting for their later neighbours. */
  flush(): void {
    if (!this.on) return;
    const lastFrame = framesIn - 1;
    let c = framesIn - this.halfFrames;
    if (c < 0) c = 0;
    for (; c <= lastFrame; c++) this.evaluate(c, lastFrame);
  }

  /** Checks frame `c` against frames up to `lastFrame` (inclusive) and records its peaks. */
  private evaluate(c: i32, lastFrame: i32): void {
    const power = rowPtr(ringPower, c);
    const ringMax = this.ringMax;
    const rowMax = rowPtr(ringMax, c);
    const half = this.halfFrames;
    const first = c - half < 0 ? 0 : c - half;
    const last = c + half > lastFrame ? lastFrame : c + half;
    // Four bins at a time: the few at or above both the floor and their row's maximum go on to the tie
    // checks (a peak is rare: at most one per filter window).
    const floor = f32x4.splat(PEAK_FLOOR_POWER);
    for (let f4 = PEAK_MIN_BIN; f4 <= PEAK_MAX_BIN; f4 += 4) {
      const o4 = <usize>f4 << 2;
      const v4 = v128.load(power + o4);
      const lanes = i32x4.bitmask(v128.and(f32x4.ge(v4, floor), f32x4.ge(v4, v128.load(rowMax + o4))));
      if (lanes == 0) continue;
      for (let lane = 0; lane < 4; lane++) {
        const f = f4 + lane;
        if ((lanes & (1 << lane)) == 0 || f > PEAK_MAX_BIN || !this.winsTies(power, c, f, first, last)) continue;
        this.frames.pushU32(<u32>c);
        this.bins.pushU32(<u32>f);
        this.pitches.pushF32(peakPitch(power, f));
      }
    }
  }

  /** Whether bin `f` of frame `c` (at or above the floor and its row's maximum) wins its ties: lowest bin, earliest frame. */
  private winsTies(power: usize, c: i32, f: i32, first: i32, last: i32): bool {
    const o = <usize>f << 2;
    const v = load<f32>(power + o);
    // Lowest bin wins a tie along frequency.
    const fLo = f - this.halfBins < 0 ? 0 : f - this.halfBins;
    for (let g = fLo; g < f; g++) {
      if (load<f32>(power + (<usize>g << 2)) == v) return false;
    }
    // Earliest frame wins a tie along time.
    const ringMax = this.ringMax;
    for (let j = first; j <= last; j++) {
      if (j == c) continue;
      const m = load<f32>(rowPtr(ringMax, j) + o);
      if (m > v || (j < c && m == v)) return false;
    }
    return true;
  }
}

/** The peaks every hash is made from (a reference's and, but for a query's pairs, a query's). */
const picker = new PeakPicker(PEAK_HALF_BINS, PEAK_HALF_FRAMES);
/** A query's denser peaks for its pair hashes (see PEAK_QUERY_PAIR_HALF_BINS in config.ts). */
const densePicker = new PeakPicker(PEAK_QUERY_PAIR_HALF_BINS, PEAK_QUERY_PAIR_HALF_FRAMES);
/** A query's densest peaks, for its masked pairs (see PEAK_QUERY_MASKED_HALF_BINS in config.ts). */
const maskedPicker = new PeakPicker(PEAK_QUERY_MASKED_HALF_BINS, PEAK_QUERY_MASKED_HALF_FRAMES);
export const maskedPeakFrames = maskedPicker.frames;
export const maskedPeakBins = maskedPicker.bins;
/** Landmarks: the sparse, strong peaks long triplets are made from (see LANDMARK_HALF_FRAMES in config.ts). */
const landmarkPicker = new PeakPicker(LANDMARK_HALF_BINS, LANDMARK_HALF_FRAMES);
export const landmarkFrames = landmarkPicker.frames;
export const landmarkBins = landmarkPicker.bins;
export const landmarkPitches = landmarkPicker.pitches;
export const peakFrames = picker.frames;
export const peakBins = picker.bins;
export const peakPitches = picker.pitches;
export const densePeakFrames = densePicker.frames;
export const densePeakBins = densePicker.bins;

const pickers: StaticArray<PeakPicker> = [picker, densePicker, maskedPicker, landmarkPicker];
/** The widest half-width along frequency of the pickers on: every row's max levels are made once, for it. */
let widestHalfBins: i32 = 0;

export function peaks_begin(query: bool): void {
  ringPower.resize(RING * BIN_COUNT);
  framesIn = 0;
  picker.begin(true);
  densePicker.begin(query && PEAK_QUERY_PAIR_HALF_BINS > 0);
  maskedPicker.begin(query && PEAK_QUERY_MASKED_HALF_BINS > 0);
  landmarkPicker.begin(LANDMARK_HALF_FRAMES > 0);
  // A picker whose half-width along frequency an earlier one on has reads that one's filtered rows.
  widestHalfBins = 0;
  for (let i = 0; i < pickers.length; i++) {
    const p = pickers[i];
    p.filters = p.on;
    p.ringMax = p.ownMax;
    if (!p.on) continue;
    widestHalfBins = max(widestHalfBins, p.halfBins);
    for (let j = 0; j < i; j++) {
      const q = pickers[j];
      if (q.on && q.filters && q.halfBins == p.halfBins) {
        p.ringMax = q.ringMax;
        p.filters = false;
        break;
      }
    }
  }
}

/** Takes one frame's power spectrum (BIN_COUNT values). */
export function peaks_push(power: usize): void {
  const frame = framesIn;
  memory.copy(rowPtr(ringPower, frame), power, <usize>BIN_COUNT << 2);
  framesIn++;
  max_levels(rowPtr(ringPower, frame), BIN_COUNT, widestHalfBins);
  picker.push(frame);
  densePicker.push(frame);
  maskedPicker.push(frame);
  landmarkPicker.push(frame);
}

export function peaks_flush(): void {
  picker.flush();
  densePicker.flush();
  maskedPicker.flush();
  landmarkPicker.flush();
}

/** Whether the stream under way has dense peaks for its pairs (a query, when configured). */
export function peaks_dense(): bool {
  return densePicker.on;
}

/** Whether the stream under way has masked pairs (a query, when configured). */
export function peaks_masked(): bool {
  return maskedPicker.on;
}

export function peaks_frame_count(): i32 {
  return framesIn;
}
