import { Buf32 } from '../mem';
import { RESAMPLE_ZERO_CROSSINGS, RESAMPLE_CUTOFF } from '../config';

// Streaming polyphase resampler with a Blackman-windowed sinc. Output sample n
// sits at input position n · in/out; with integer rates the fractional part of
// that position repeats every out/gcd(in, out) samples, so the tap weights of
// each phase are computed once (44.1 kHz → 8 kHz: 80 phases of ~100 taps).
// The cut-off sits below the lower Nyquist frequency, so downsampling does not alias.

const MAX_PHASES: i32 = 4096;

let inRate: i64 = 1;
let outRate: i64 = 1;
let phases: i32 = 1;
let taps: i32 = 1; // weights per phase
let firstTap: i32 = 0; // offset of tap 0 from floor(position)
let passThrough = false; // same rate in and out: samples go through untouched
const weights = new Buf32(); // phases × taps

const pending = new Buf32(); // input samples not yet consumed
let pendingStart: i64 = 0; // absolute input index of pending[0]
let nextOut: i64 = 0; // absolute index of the next output sample
let inputTotal: i64 = 0; // input samples received so far

function gcd(a: i64, b: i64): i64 {
  while (b != 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

function windowedSinc(x: f64): f64 {
  // x in zero crossings; the window spans ±RESAMPLE_ZERO_CROSSINGS.
  const u = Math.abs(x) / <f64>RESAMPLE_ZERO_CROSSINGS;
  if (u >= 1.0) return 0.0;
  const sinc = x == 0.0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
  return sinc * (0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2.0 * Math.PI * u));
}

/** Starts a new stream. Returns false when the rates are not positive integers or need too many phases. */
export function resample_begin(inputRateHz: i32, outputRateHz: i32): bool {
  if (inputRateHz <= 0 || outputRateHz <= 0) return false;
  const g = gcd(inputRateHz, outputRateHz);
  inRate = inputRateHz;
  outRate = outputRateHz;
  passThrough = inputRateHz == outputRateHz;
  phases = <i32>(outRate / g);
  if (phases > MAX_PHASES) return false;
  const step = <f64>inRate / <f64>outRate;
  // Cut-off in cycles per input sample: a fraction of the lower Nyquist frequency.
  const fc = 0.5 * RESAMPLE_CUTOFF * (step > 1.0 ? 1.0 / step : 1.0);
  const twoFc = 2.0 * fc;
  const halfWidth = <f64>RESAMPLE_ZERO_CROSSINGS / twoFc; // input samples
  firstTap = -<i32>Math.floor(halfWidth);
  taps = 2 * <i32>Math.floor(halfWidth) + 2;
  weights.resize(phases * taps);
  for (let p = 0; p < phases; p++) {
    const frac = <f64>((<i64>p * inRate) % outRate) / <f64>outRate;
    for (let t = 0; t < taps; t++) {
      const distance = <f64>(firstTap + t) - frac; // input samples from the output position
      weights.setF32(p * taps + t, <f32>(twoFc * windowedSinc(distance * twoFc)));
    }
  }
  pending.clear();
  pendingStart = 0;
  nextOut = 0;
  inputTotal = 0;
  return true;
}

/** Appends `count` mono input samples. */
export function resample_push(samples: usize, count: i32): void {
  const at = pending.length;
  pending.resize(at + count);
  memory.copy(pending.ptr + (<usize>at << 2), samples, <usize>count << 2);
  inputTotal += count;
}

/**
 * Appends to `out` the output samples that can be computed now and returns
 * how many. With `flush` the input ends here (zeros after it) and every
 * remaining output sample is produced.
 */
export function resample_pull(out: Buf32, flush: bool): i32 {
  if (passThrough) {
    const n = pending.length;
    const at = out.length;
    out.resize(at + n);
    memory.copy(out.ptr + (<usize>at << 2), pending.ptr, <usize>n << 2);
    pendingStart += n;
    pending.clear();
    return n;
  }
  if (flush) {
    // Pad with zeros so the last output samples have all their taps.
    const pad = taps + 1;
    const at = pending.length;
    pending.resize(at + pad);
    memory.fill(pending.ptr + (<usize>at << 2), 0, <usize>pad << 2);
  }
  const available = pendingStart + <i64>pending.length; // exclusive, including padding
  let written = 0;
  while (true) {
    const base = (nextOut * inRate) / outRate; // floor of the position
    if (flush) {
      if (base >= inputTotal) break;
    } else if (base + <i64>(firstTap + taps) > available) {
      break;
    }
    const start = base + <i64>firstTap - pendingStart;
    const phase = <i32>(nextOut % <i64>phases);
    let acc: f32 = 0.0;
    const w = weights.ptr + (<usize>(phase * taps) << 2);
    if (start >= 0) {
      const x = pending.ptr + (<usize>start << 2);
      // Four taps at a time (WASM SIMD), then the rest.
      let sum = f32x4.splat(0.0);
      const vectorTaps = taps & ~3;
      for (let t = 0; t < vectorTaps; t += 4) {
        sum = f32x4.add(sum, f32x4.mul(v128.load(x + (<usize>t << 2)), v128.load(w + (<usize>t << 2))));
      }
      acc = f32x4.extract_lane(sum, 0) + f32x4.extract_lane(sum, 1) + f32x4.extract_lane(sum, 2) + f32x4.extract_lane(sum, 3);
      for (let t = vectorTaps; t < taps; t++) {
        acc += load<f32>(x + (<usize>t << 2)) * load<f32>(w + (<usize>t << 2));
      }
    } else {
      // Before the first input sample: those taps see zeros.
      for (let t = 0; t < taps; t++) {
        const k = start + <i64>t;
        if (k >= 0) acc += pending.f32At(<i32>k) * load<f32>(w + (<usize>t << 2));
      }
    }
    out.pushF32(acc);
    nextOut++;
    written++;
  }
  // Drop input that no future output sample can reach.
  const keepFrom = (nextOut * inRate) / outRate + <i64>firstTap - 1;
  const drop = keepFrom - pendingStart;
  if (drop > 0 && !flush) {
    const dropCount = <i32>min<i64>(drop, <i64>pending.length);
    const remaining = pending.length - dropCount;
    memory.copy(pending.ptr, pending.ptr + (<usize>dropCount << 2), <usize>remaining << 2);
    pending.length = remaining;
    pendingStart += dropCount;
  }
  return written;
}
