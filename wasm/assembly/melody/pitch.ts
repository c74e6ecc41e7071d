import { Buf32 } from '../mem';
import {
  ANALYSIS_RATE_HZ, FFT_SIZE, BIN_COUNT, PEAK_FLOOR_POWER,
  MELODY_MIN_MIDI, MELODY_MAX_MIDI, MELODY_STEPS_PER_SEMITONE, MELODY_HARMONICS, MELODY_HARMONIC_DECAY,
  MELODY_VOICING_RATIO, MELODY_HIGH_PRIOR,
} from '../config';

// Predominant pitch by harmonic summation: for each candidate f0 on a grid of
// fifths of a semitone, the salience is the weighted sum of the spectrum's
// magnitude at f0, 2·f0, … 6·f0 (linear interpolation between bins). The lead
// line is usually the voice whose harmonics line up best, so the frame's
// pitch is the most salient candidate; a frame is voiced when that salience
// stands well above what a flat spectrum of the same level would give.
// Output: one f32 per frame, the pitch in semitones above 55 Hz, or −1 when unvoiced,
// for the best candidate (framePitches) and the runner-up (framePitches2).

const BIN_HZ: f64 = <f64>ANALYSIS_RATE_HZ / <f64>FFT_SIZE;
const CANDIDATES: i32 = <i32>((MELODY_MAX_MIDI - MELODY_MIN_MIDI) * <f64>MELODY_STEPS_PER_SEMITONE) + 1;
const positions = new Buf32(); // f32 bin position of harmonic h of candidate c, at c·H + h
const weights = new Buf32(); // f32 weight of harmonic h
const magnitude = new Buf32();
let flatSalience: f64 = 0.0; // salience of a spectrum of all ones
export const framePitches = new Buf32();
/** The runner-up line: the most salient candidate more than a semitone from the best (−1 if none voiced). */
export const framePitches2 = new Buf32();
const salience = new Buf32();
const prior = new Buf32(); // f32 per candidate: the lead is usually the highest voice

function setup(): void {
  positions.resize(CANDIDATES * MELODY_HARMONICS);
  weights.resize(MELODY_HARMONICS);
  flatSalience = 0.0;
  let w = 1.0;
  for (let h = 0; h < MELODY_HARMONICS; h++) {
    weights.setF32(h, <f32>w);
    flatSalience += w;
    w *= MELODY_HARMONIC_DECAY;
  }
  for (let c = 0; c < CANDIDATES; c++) {
    const midi = MELODY_MIN_MIDI + <f64>c / <f64>MELODY_STEPS_PER_SEMITONE;
    const f0 = 440.0 * Math.pow(2.0, (midi - 69.0) / 12.0);
    for (let h = 0; h < MELODY_HARMONICS; h++) positions.setF32(c * MELODY_HARMONICS + h, <f32>(f0 * <f64>(h + 1) / BIN_HZ));
  }
  magnitude.resize(BIN_COUNT);
  salience.resize(CANDIDATES);
  prior.resize(CANDIDATES);
  for (let c = 0; c < CANDIDATES; c++) prior.setF32(c, <f32>(1.0 + MELODY_HIGH_PRIOR * <f64>c / <f64>(CANDIDATES - 1)));
}

export function melody_begin(): void {
  if (positions.length == 0) setup();
  framePitches.clear();
  framePitches2.clear();
}

/** Takes one frame's power spectrum and appends its pitch (or −1). */
export function melody_push(power: usize): void {
  const mag = magnitude.ptr;
  let sum: f64 = 0.0;
  let energy: f32 = 0.0;
  // Magnitude, compressed, over 62 Hz … 3.9 kHz.
  for (let b = 0; b < BIN_COUNT; b++) {
    const p = load<f32>(power + (<usize>b << 2));
    const m = Mathf.sqrt(p); // magnitude: a fourth root (tried) flattened the louder lead into the chords
    store<f32>(mag + (<usize>b << 2), m);
    if (b >= 4) {
      sum += <f64>m;
      if (p > energy) energy = p;
    }
  }
  if (energy < PEAK_FLOOR_POWER) {
    framePitches.pushF32(-1.0);
    framePitches2.pushF32(-1.0);
    return;
  }
  const mean = sum / <f64>(BIN_COUNT - 4);
  let best: f32 = 0.0;
  let bestC = -1;
  const maxPos = <f32>(BIN_COUNT - 2);
  for (let c = 0; c < CANDIDATES; c++) {
    let s: f32 = 0.0;
    const base = positions.ptr + (<usize>(c * MELODY_HARMONICS) << 2);
    for (let h = 0; h < MELODY_HARMONICS; h++) {
      const pos = load<f32>(base + (<usize>h << 2));
      if (pos >= maxPos) break;
      const i = <i32>pos;
      const frac = pos - <f32>i;
      const a = load<f32>(mag + (<usize>i << 2));
      const bv = load<f32>(mag + (<usize>(i + 1) << 2));
      s += weights.f32At(h) * (a + (bv - a) * frac);
    }
    s *= prior.f32At(c);
    salience.setF32(c, s);
    if (s > best) { best = s; bestC = c; }
  }
  const voiced = <f32>(MELODY_VOICING_RATIO * flatSalience * mean);
  if (bestC < 0 || best < voiced) {
    framePitches.pushF32(-1.0);
    framePitches2.pushF32(-1.0);
    return;
  }
  framePitches.pushF32(candidatePitch(bestC));
  // Runner-up: a local maximum of salience outside ±1 semitone of the best. In a full mix the
  // lead line is often second to a chord or counter-line; a reference indexes both lines.
  let second: f32 = voiced;
  let secondC = -1;
  for (let c = 1; c < CANDIDATES - 1; c++) {
    if (abs(c - bestC) <= MELODY_STEPS_PER_SEMITONE) continue;
    const v = salience.f32At(c);
    if (v > second && v >= salience.f32At(c - 1) && v >= salience.f32At(c + 1)) { second = v; secondC = c; }
  }
  framePitches2.pushF32(secondC < 0 ? -1.0 : candidatePitch(secondC));
}

/** Semitones above 55 Hz (MIDI 33), like the peaks' pitches. */
@inline function candidatePitch(c: i32): f32 {
  return <f32>(MELODY_MIN_MIDI - 33.0 + <f64>c / <f64>MELODY_STEPS_PER_SEMITONE);
}
