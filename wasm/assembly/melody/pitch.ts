import { Buf32 } from '../mem';
import {
  ANALYSIS_RATE_HZ, FFT_SIZE, BIN_COUNT, PEAK_FLOOR_POWER,
  MELODY_MIN_MIDI, MELODY_MAX_MIDI, MELODY_STEPS_PER_SEMITONE, MELODY_HARMONICS, MELODY_HARMONIC_DECAY,
  MELODY_VOICING_RATIO, MELODY_HIGH_PRIOR, MELODY_LINE_CANDIDATES, MELODY_LINE_LAG_FRAMES, MELODY_JUMP_COST,
  MELODY_SECOND_MIN_SHARE, MELODY_QUERY_LINE_PATH,
} from '../config';

// Predominant pitch by harmonic summation: for each candidate f0 on a grid of
// fifths of a semitone, the salience is the weighted sum of the spectrum's
// magnitude at f0, 2·f0, … 6·f0 (linear interpolation between bins). The lead
// line is usually the voice whose harmonics line up best, so the frame's
// pitch is the most salient candidate; a frame is voiced when that salience
// stands well above what a flat spectrum of the same level would give.
// Output: one f32 per frame, the pitch in semitones above 55 Hz, or −1 when unvoiced,
// for the main line (framePitches) and the runner-up (framePitches2). A reference's are each
// frame's best candidate and the best other local maximum; a query's main line is a continuous
// path through the frames' most salient candidates, and its runner-up must be strong (see below).

const BIN_HZ: f64 = <f64>ANALYSIS_RATE_HZ / <f64>FFT_SIZE;
const CANDIDATES: i32 = <i32>((MELODY_MAX_MIDI - MELODY_MIN_MIDI) * <f64>MELODY_STEPS_PER_SEMITONE) + 1;
// The salience is computed four candidates at a time (f32x4 lanes; the lanes' arithmetic is the scalar
// sum's, term by term, so the result is the same to the bit). For block k (candidates 4k … 4k+3) and
// harmonic h, at (k·H + h)·4 + lane: the bin below the harmonic and the position's fraction above it.
// A harmonic past the spectrum (where the scalar sum stopped) points at ZERO_BIN with fraction 0: it adds 0.
const BLOCKS: i32 = (CANDIDATES + 3) >> 2;
const ZERO_BIN: i32 = BIN_COUNT; // magnitude holds two zeros past the spectrum
const harmonicBins = new Buf32(); // i32
const harmonicFracs = new Buf32(); // f32
const weights = new Buf32(); // f32 weight of harmonic h
const magnitude = new Buf32();
let flatSalience: f64 = 0.0; // salience of a spectrum of all ones
export const framePitches = new Buf32();
/** The runner-up line: the most salient other local maximum more than a semitone from the main line (−1 if none voiced). */
export const framePitches2 = new Buf32();
const salience = new Buf32();
const prior = new Buf32(); // f32 per candidate: the lead is usually the highest voice
// A query's main line: the Viterbi path through each voiced frame's most salient local maxima (see
// MELODY_QUERY_LINE_PATH in config.ts), decided MELODY_LINE_LAG_FRAMES late from ring buffers.
const TOP: i32 = MELODY_LINE_CANDIDATES;
const LAG: i32 = MELODY_LINE_LAG_FRAMES;
const RING: i32 = LAG + 1;
const ringC = new Buf32(); // TOP per ring slot: candidate index (as f32), −1 = none
const ringS = new Buf32(); // TOP per ring slot: salience relative to the frame's best
const ringBack = new Buf32(); // TOP per ring slot: the best predecessor's slot in the frame before (as f32)
const ringVoiced = new Buf32(); // per ring slot: voicing threshold relative to the frame's best
const score = new Buf32(); // TOP: path scores at the latest frame
const score2 = new Buf32();
let runStart = -1; // first frame of the voiced run under way, −1 if none
let undecided = 0; // first frame of that run whose pitch is not set yet

/** The bin position (fractional) of harmonic h (0: the fundamental) of candidate c. */
function harmonicPosition(c: i32, h: i32): f32 {
  const midi = MELODY_MIN_MIDI + <f64>c / <f64>MELODY_STEPS_PER_SEMITONE;
  const f0 = 440.0 * Math.pow(2.0, (midi - 69.0) / 12.0);
  return <f32>(f0 * <f64>(h + 1) / BIN_HZ);
}

function setup(): void {
  weights.resize(MELODY_HARMONICS);
  flatSalience = 0.0;
  let w = 1.0;
  for (let h = 0; h < MELODY_HARMONICS; h++) {
    weights.setF32(h, <f32>w);
    flatSalience += w;
    w *= MELODY_HARMONIC_DECAY;
  }
  magnitude.resize(BIN_COUNT + 2);
  magnitude.setF32(ZERO_BIN, 0.0);
  magnitude.setF32(ZERO_BIN + 1, 0.0);
  harmonicBins.resize(BLOCKS * MELODY_HARMONICS * 4);
  harmonicFracs.resize(BLOCKS * MELODY_HARMONICS * 4);
  const maxPos = <f32>(BIN_COUNT - 2);
  for (let k = 0; k < BLOCKS; k++) {
    for (let h = 0; h < MELODY_HARMONICS; h++) {
      for (let lane = 0; lane < 4; lane++) {
        const c = k * 4 + lane;
        const at = (k * MELODY_HARMONICS + h) * 4 + lane;
        const pos = c < CANDIDATES ? harmonicPosition(c, h) : maxPos;
        // (Positions rise with h: the first past the spectrum and every later one are left out.)
        const i = pos >= maxPos ? ZERO_BIN : <i32>pos;
        harmonicBins.setU32(at, <u32>i);
        harmonicFracs.setF32(at, pos >= maxPos ? 0.0 : pos - <f32>i);
      }
    }
  }
  ringC.resize(RING * TOP);
  ringS.resize(RING * TOP);
  ringBack.resize(RING * TOP);
  ringVoiced.resize(RING);
  score.resize(TOP);
  score2.resize(TOP);
  salience.resize(BLOCKS * 4);
  prior.resize(BLOCKS * 4);
  for (let c = 0; c < BLOCKS * 4; c++) prior.setF32(c, c < CANDIDATES ? <f32>(1.0 + MELODY_HIGH_PRIOR * <f64>c / <f64>(CANDIDATES - 1)) : 0.0);
}

let linePath = false; // a query's lines (see MELODY_QUERY_LINE_PATH); a reference's are each frame's best and runner-up
export function melody_begin(query: bool): void {
  linePath = query && MELODY_QUERY_LINE_PATH;
  if (harmonicBins.length == 0) setup();
  framePitches.clear();
  framePitches2.clear();
  runStart = -1;
}

/** Ends a stream: the pitches of the voiced run under way are decided. */
export function melody_finish(): void {
  if (runStart >= 0) decideRun(framePitches.length - 1);
  runStart = -1;
}

/** Sets frame `u`'s main line to the candidate in slot `k` and its runner-up to the most salient other local maximum. */
function decide(u: i32, k: i32): void {
  const r = (u % RING) * TOP;
  const c = <i32>ringC.f32At(r + k);
  framePitches.setF32(u, candidatePitch(c));
  // Runner-up: a local maximum of salience outside ±1 semitone of the line, if voiced. In a full mix
  // the lead line is often second to a chord or counter-line; a reference indexes both lines.
  let second = max(ringVoiced.f32At(u % RING), MELODY_SECOND_MIN_SHARE);
  let secondC = -1;
  for (let j = 0; j < TOP; j++) {
    const cj = <i32>ringC.f32At(r + j);
    if (cj < 0 || abs(cj - c) <= MELODY_STEPS_PER_SEMITONE) continue;
    const v = ringS.f32At(r + j);
    if (v > second) { second = v; secondC = cj; }
  }
  framePitches2.setF32(u, secondC < 0 ? -1.0 : candidatePitch(secondC));
}

@inline function bestSlot(): i32 {
  let k = 0;
  for (let j = 1; j < TOP; j++) if (score.f32At(j) > score.f32At(k)) k = j;
  return k;
}

/** Decides the frames from `undecided` to `last` (the run's last frame) along the best path. */
function decideRun(last: i32): void {
  let k = bestSlot();
  for (let u = last; u >= undecided; u--) {
    decide(u, k);
    if (u > undecided) k = <i32>ringBack.f32At((u % RING) * TOP + k);
  }
  undecided = last + 1;
}

/** Appends a voiced frame's candidates (in `ringC`/`ringS` at its slot) to the path search. */
function extendPath(u: i32): void {
  const r = (u % RING) * TOP;
  if (runStart < 0) {
    runStart = u;
    undecided = u;
    for (let k = 0; k < TOP; k++) score.setF32(k, ringC.f32At(r + k) < 0.0 ? <f32>-1e9 : <f32>Math.log(<f64>ringS.f32At(r + k)));
    return;
  }
  const p = ((u - 1) % RING) * TOP;
  for (let k = 0; k < TOP; k++) {
    const ck = ringC.f32At(r + k);
    ringBack.setF32(r + k, 0.0);
    if (ck < 0.0) { score2.setF32(k, <f32>-1e9); continue; }
    let bestV: f64 = -1e18;
    let bestJ = 0;
    for (let j = 0; j < TOP; j++) {
      const cj = ringC.f32At(p + j);
      if (cj < 0.0) continue;
      const v = <f64>score.f32At(j) - (abs(ck - cj) > <f32>MELODY_STEPS_PER_SEMITONE ? MELODY_JUMP_COST : 0.0);
      if (v > bestV) { bestV = v; bestJ = j; }
    }
    score2.setF32(k, <f32>(bestV + Math.log(<f64>ringS.f32At(r + k))));
    ringBack.setF32(r + k, <f32>bestJ);
  }
  // Scores relative to the best path's, so they stay small however long the run.
  let top: f32 = -1e9;
  for (let k = 0; k < TOP; k++) if (score2.f32At(k) > top) top = score2.f32At(k);
  for (let k = 0; k < TOP; k++) score.setF32(k, score2.f32At(k) - top);
  // Fixed lag: the frame LAG behind is decided by the best path so far.
  if (u - undecided >= LAG) {
    let k = bestSlot();
    for (let w = u; w > undecided; w--) k = <i32>ringBack.f32At((w % RING) * TOP + k);
    decide(undecided, k);
    undecided++;
  }
}

function pushUnvoiced(): void {
  const u = framePitches.length;
  if (runStart >= 0) { decideRun(u - 1); runStart = -1; }
  framePitches.pushF32(-1.0);
  framePitches2.pushF32(-1.0);
}

/** Every candidate's salience into `salience`: its harmonics' interpolated magnitudes, weighted, times its prior. */
function saliences(mag: usize): void {
  const bins = harmonicBins.ptr;
  const fracs = harmonicFracs.ptr;
  const out = salience.ptr;
  const priors = prior.ptr;
  for (let k = 0; k < BLOCKS; k++) {
    let s = f32x4.splat(0.0);
    for (let h = 0; h < MELODY_HARMONICS; h++) {
      const at = <usize>((k * MELODY_HARMONICS + h) << 4);
      const i0 = <usize>load<u32>(bins + at) << 2;
      const i1 = <usize>load<u32>(bins + at, 4) << 2;
      const i2 = <usize>load<u32>(bins + at, 8) << 2;
      const i3 = <usize>load<u32>(bins + at, 12) << 2;
      let a = f32x4.splat(load<f32>(mag + i0));
      a = f32x4.replace_lane(a, 1, load<f32>(mag + i1));
      a = f32x4.replace_lane(a, 2, load<f32>(mag + i2));
      a = f32x4.replace_lane(a, 3, load<f32>(mag + i3));
      let b = f32x4.splat(load<f32>(mag + i0, 4));
      b = f32x4.replace_lane(b, 1, load<f32>(mag + i1, 4));
      b = f32x4.replace_lane(b, 2, load<f32>(mag + i2, 4));
      b = f32x4.replace_lane(b, 3, load<f32>(mag + i3, 4));
      const value = f32x4.add(a, f32x4.mul(f32x4.sub(b, a), v128.load(fracs + at)));
      s = f32x4.add(s, f32x4.mul(f32x4.splat(weights.f32At(h)), value));
    }
    v128.store(out + (<usize>k << 4), f32x4.mul(s, v128.load(priors + (<usize>k << 4))));
  }
}

/** Takes one frame's power spectrum and appends its pitch (or −1). */
export function melody_push(power: usize): void {
  const mag = magnitude.ptr;
  let sum: f64 = 0.0;
  let energy: f32 = 0.0;
  // Magnitude (a fourth root, tried, flattened the louder lead into the chords), four bins at a time; then its
  // sum and the largest power over 62 Hz … 3.9 kHz, in order (the sum's rounding is the scalar one).
  for (let b = 0; b < BIN_COUNT; b += 4) v128.store(mag + (<usize>b << 2), f32x4.sqrt(v128.load(power + (<usize>b << 2))));
  for (let b = 4; b < BIN_COUNT; b++) {
    sum += <f64>load<f32>(mag + (<usize>b << 2));
    const p = load<f32>(power + (<usize>b << 2));
    if (p > energy) energy = p;
  }
  if (energy < PEAK_FLOOR_POWER) {
    pushUnvoiced();
    return;
  }
  const mean = sum / <f64>(BIN_COUNT - 4);
  saliences(mag);
  let best: f32 = 0.0;
  let bestC = -1;
  for (let c = 0; c < CANDIDATES; c++) {
    const s = salience.f32At(c);
    if (s > best) { best = s; bestC = c; }
  }
  const voiced = <f32>(MELODY_VOICING_RATIO * flatSalience * mean);
  if (bestC < 0 || best < voiced) {
    pushUnvoiced();
    return;
  }
  if (!linePath) {
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
    return;
  }
  // The frame's most salient local maxima (the best first), for the line's path.
  const u = framePitches.length;
  const at = (u % RING) * TOP;
  for (let k = 0; k < TOP; k++) { ringC.setF32(at + k, -1.0); ringS.setF32(at + k, 0.0); }
  ringVoiced.setF32(u % RING, voiced / best);
  for (let c = 0; c < CANDIDATES; c++) {
    const v = salience.f32At(c);
    if (c != bestC) {
      if (c == 0 || c == CANDIDATES - 1) continue;
      if (!(v >= salience.f32At(c - 1) && v >= salience.f32At(c + 1))) continue;
    }
    const r = v / best;
    if (r <= ringS.f32At(at + TOP - 1)) continue;
    let k = TOP - 1;
    while (k > 0 && ringS.f32At(at + k - 1) < r) {
      ringS.setF32(at + k, ringS.f32At(at + k - 1));
      ringC.setF32(at + k, ringC.f32At(at + k - 1));
      k--;
    }
    ringS.setF32(at + k, r);
    ringC.setF32(at + k, <f32>c);
  }
  framePitches.pushF32(-1.0); // set when the path is decided
  framePitches2.pushF32(-1.0);
  extendPath(u);
}

/** Semitones above 55 Hz (MIDI 33), like the peaks' pitches. */
@inline function candidatePitch(c: i32): f32 {
  return <f32>(MELODY_MIN_MIDI - 33.0 + <f64>c / <f64>MELODY_STEPS_PER_SEMITONE);
}
