import { Buf32, Buf64 } from '../mem';
import { MELODY_TIME_UNIT_FRAMES, MELODY_NOTE_TOLERANCE_FRAMES, MELODY_MIN_MATCHED_NOTES, MELODY_MIN_RUN_NOTES, MELODY_HIT_RATE, MELODY_MIN_SIGNIFICANCE } from '../config';
import { extra_pitch, extra_dt12, extra_dt13 } from '../fingerprint/triplets';
import { sort_u64 } from './sort';
import { poisson_tail_significance } from './chance';
import { segments_add } from './segments';

// Verification of a melody alignment note by note. The note triplets that found a candidate
// (work, transposition, tempo, offset) are sparse: a triplet needs three notes heard right in a
// row on both sides. Once the alignment is known, every query note can be checked on its own: is
// there a note of the work at the mapped time and the transposed pitch? The matched notes are the
// evidence, weighed against what chance gives: a query note lands on a note of the same pitch with
// probability (the work's notes within the pitch tolerance × the time window) / the work's length.
//
// Notes are not stored separately: each note triplet carries its three notes (onset of the first
// and the two intervals in its extra word, the two pitch steps in its hash), so the notes of a
// work and of a query are decoded from their melody triplets.

const PITCH_CELLS: i32 = 128; // semitones above 55 Hz, rounded
const PITCH_TOLERANCE: f32 = 0.6; // decoded pitches are exact to ±0.5 (steps are whole semitones)
const HIST_PER_SEMITONE: i32 = 10; // the chance histogram's cells per semitone
const HIST_CELLS: i32 = PITCH_CELLS * HIST_PER_SEMITONE;
const ONSET_CLUSTER_FRAMES: i32 = 2 * MELODY_TIME_UNIT_FRAMES; // onsets this close are one event

// Every work's notes, onset order, in one pool: work slot → [start, start + count).
const workStart = new Buf32();
const workCount = new Buf32();
const poolTimes = new Buf32(); // u32 frame
const poolPitches = new Buf32(); // f32 semitones above 55 Hz
let liveNotes: i32 = 0;

// The query's notes.
const queryTimes = new Buf32();
const queryPitches = new Buf32();

const decodeKeys = new Buf64();
const decodeScratch = new Buf64();
const decodedTimes = new Buf32();
const decodedPitches = new Buf32();
const histogram = new Buf32();
const chanceAt = new Buf32();
const noteMatched = new Buf32();
const clusterTimes = new Buf32();
const clusterChance = new Buf32(); // f32
const clusterHit = new Buf32();
const runStarts = new Buf32();
const runEnds = new Buf32();
const runExpected = new Buf32(); // f32 // f32 per query note: chance of a match under the alignment (−1 if outside the work)

/** Decodes note triplets into notes (onset frame, pitch), in onset order, one per onset and pitch. */
function decode(hashes: usize, frames: usize, extras: usize, count: i32): void {
  decodeKeys.clear();
  for (let i = 0; i < count; i++) {
    const h = load<u32>(hashes + (<usize>i << 2));
    const t1 = load<u32>(frames + (<usize>i << 2));
    const ex = load<u32>(extras + (<usize>i << 2));
    const p1 = extra_pitch(ex);
    const dfa = <f64>(<i32>((h >> 5) & 31) - 15);
    const dfb = <f64>(<i32>(h & 31) - 15);
    pushNote(t1, p1);
    pushNote(t1 + <u32>(extra_dt12(ex) * MELODY_TIME_UNIT_FRAMES), p1 + dfa);
    pushNote(t1 + <u32>(extra_dt13(ex) * MELODY_TIME_UNIT_FRAMES), p1 + dfa + dfb);
  }
  const n = decodeKeys.length;
  decodedTimes.clear();
  decodedPitches.clear();
  if (n == 0) return;
  decodeScratch.resize(n);
  const sorted = sort_u64(decodeKeys.ptr, decodeScratch.ptr, n, 51);
  for (let i = 0; i < n; i++) {
    const k = load<u64>(sorted + (<usize>i << 3));
    const t = <u32>(k >> 20);
    const p = <f32>(<f64>(<u32>(k & 0xfffff)) / 1024.0);
    // The same note seen from several triplets: one note (times agree to a time unit).
    let seen = false;
    for (let j = decodedTimes.length - 1; j >= 0 && t - decodedTimes.u32At(j) <= <u32>MELODY_TIME_UNIT_FRAMES; j--) {
      if (Mathf.abs(decodedPitches.f32At(j) - p) < 0.5) { seen = true; break; }
    }
    if (seen) continue;
    decodedTimes.pushU32(t);
    decodedPitches.pushF32(p);
  }
}

@inline function pushNote(t: u32, p: f64): void {
  // (Pitches come from stored features, which a crafted catalog file could set to anything.)
  if (p < 0.0 || p >= <f64>PITCH_CELLS - 1.0 || t >= (<u32>1 << 31)) return;
  const key = (<u64>t << 20) | <u64>Math.round(p * 1024.0);
  // One anchor's triplets repeat its notes many times over: skip a key met among the last few,
  // so the sort sees each note a few times instead of dozens.
  const n = decodeKeys.length;
  for (let j = n - 1; j >= 0 && j >= n - RECENT_KEYS; j--) if (decodeKeys.at(j) == key) return;
  decodeKeys.pushU64(key);
}
const RECENT_KEYS = 8;

/** Keeps the notes of a work's melody triplets under `slot`. */
export function work_notes_add(slot: i32, hashes: usize, frames: usize, extras: usize, count: i32): void {
  decode(hashes, frames, extras, count);
  if (workStart.length <= slot) {
    const old = workStart.length;
    workStart.resize(slot + 1);
    workCount.resize(slot + 1);
    for (let i = old; i <= slot; i++) { workStart.setU32(i, 0); workCount.setU32(i, 0); }
  }
  liveNotes -= <i32>workCount.u32At(slot); // (a slot still holding notes is replaced)
  const n = decodedTimes.length;
  workStart.setU32(slot, <u32>poolTimes.length);
  workCount.setU32(slot, <u32>n);
  for (let i = 0; i < n; i++) {
    poolTimes.pushU32(decodedTimes.u32At(i));
    poolPitches.pushF32(decodedPitches.f32At(i));
  }
  liveNotes += n;
}

export function work_notes_remove(slot: i32): void {
  if (slot >= workStart.length) return;
  liveNotes -= <i32>workCount.u32At(slot);
  workCount.setU32(slot, 0);
  // Compact once removed notes outnumber the live ones (amortised O(1) per note), into fresh
  // buffers: a re-used slot's notes sit after those of higher slots, so copying in place by slot
  // order could overwrite notes not yet moved.
  if (poolTimes.length - liveNotes <= liveNotes + 4096) return;
  compactTimes.resize(liveNotes);
  compactPitches.resize(liveNotes);
  let out = 0;
  for (let s = 0; s < workStart.length; s++) {
    const from = <i32>workStart.u32At(s);
    const c = <i32>workCount.u32At(s);
    workStart.setU32(s, <u32>out);
    memory.copy(compactTimes.ptr + (<usize>out << 2), poolTimes.ptr + (<usize>from << 2), <usize>c << 2);
    memory.copy(compactPitches.ptr + (<usize>out << 2), poolPitches.ptr + (<usize>from << 2), <usize>c << 2);
    out += c;
  }
  poolTimes.resize(out);
  poolPitches.resize(out);
  memory.copy(poolTimes.ptr, compactTimes.ptr, <usize>out << 2);
  memory.copy(poolPitches.ptr, compactPitches.ptr, <usize>out << 2);
  compactTimes.clear();
  compactPitches.clear();
}
const compactTimes = new Buf32();
const compactPitches = new Buf32();

export function work_notes_clear(): void {
  workStart.clear();
  workCount.clear();
  poolTimes.clear();
  poolPitches.clear();
  liveNotes = 0;
}

/** The buffers that hold every work's notes, for an index snapshot (match/snapshot.ts): 0 starts, 1 counts, 2 times, 3 pitches. */
export function work_notes_buffer(i: i32): Buf32 {
  return i == 0 ? workStart : i == 1 ? workCount : i == 2 ? poolTimes : poolPitches;
}

/**
 * After the buffers were written from a snapshot: checks that each work's notes lie in the pool and
 * that every pitch is one decode keeps (the check indexes its histogram by pitch), and counts the notes.
 */
export function work_notes_restored(): bool {
  const pool = poolTimes.length;
  if (workCount.length != workStart.length || poolPitches.length != pool) return false;
  liveNotes = 0;
  for (let s = 0; s < workStart.length; s++) {
    const c = workCount.u32At(s);
    if (<u64>workStart.u32At(s) + <u64>c > <u64>pool) return false;
    liveNotes += <i32>c;
  }
  for (let i = 0; i < pool; i++) {
    const p = poolPitches.f32At(i);
    if (!(p >= 0.0 && p < <f32>(PITCH_CELLS - 1)) || poolTimes.u32At(i) >= (<u32>1 << 31)) return false;
  }
  return liveNotes <= pool;
}

/** Decodes the query's notes from its melody triplets (before the melody vote). */
export function query_notes_set(hashes: usize, frames: usize, extras: usize, count: i32): void {
  decode(hashes, frames, extras, count);
  const n = decodedTimes.length;
  queryTimes.resize(n);
  queryPitches.resize(n);
  memory.copy(queryTimes.ptr, decodedTimes.ptr, <usize>n << 2);
  memory.copy(queryPitches.ptr, decodedPitches.ptr, <usize>n << 2);
}

/**
 * Checks the alignment tq = ratio·tr + b, query pitch = reference pitch + shift, of work `slot`
 * note by note, and adds a segment for each run of matched notes (split where they pause longer
 * than `maxGapFrames`) that stands above chance. Returns the number of segments added.
 */
export function verify_melody(
  slot: i32, refFrames: f64, ratio: f64, b: f64, shift: f64, log10Tests: f64, maxGapFrames: i32,
): i32 {
  if (slot >= workStart.length) return 0;
  const start = <i32>workStart.u32At(slot);
  const count = <i32>workCount.u32At(slot);
  if (count == 0) return 0;
  // How many of the work's notes sit at each pitch (tenths of a semitone, summed over the match's
  // ±PITCH_TOLERANCE window below): the chance of a match by accident.
  histogram.resize(HIST_CELLS);
  memory.fill(histogram.ptr, 0, <usize>HIST_CELLS << 2);
  for (let i = 0; i < count; i++) {
    const c = <i32>Mathf.round(poolPitches.f32At(start + i) * <f32>HIST_PER_SEMITONE);
    histogram.setU32(c, histogram.u32At(c) + 1);
  }
  const tol = <f64>MELODY_NOTE_TOLERANCE_FRAMES / ratio; // reference frames
  const n = queryTimes.length;
  chanceAt.resize(n);
  noteMatched.resize(n);
  memory.fill(noteMatched.ptr, 0, <usize>n << 2);
  for (let i = 0; i < n; i++) {
    const tq = <f64>queryTimes.u32At(i);
    const target = queryPitches.f32At(i) - <f32>shift;
    const tr = (tq - b) / ratio;
    const lo0 = <i32>Mathf.ceil((target - PITCH_TOLERANCE) * <f32>HIST_PER_SEMITONE);
    const hi0 = <i32>Mathf.floor((target + PITCH_TOLERANCE) * <f32>HIST_PER_SEMITONE);
    if (tr < -tol || tr > refFrames + tol || hi0 < 0 || lo0 >= HIST_CELLS) {
      chanceAt.setF32(i, -1.0);
      continue;
    }
    let near: u32 = 0;
    for (let c = max(lo0, 0); c <= min(hi0, HIST_CELLS - 1); c++) near += histogram.u32At(c);
    chanceAt.setF32(i, <f32>Math.min(1.0, <f64>near * (2.0 * tol + 1.0) / Math.max(refFrames, 1.0)));
    // First reference note at or after tr − tol (binary search), then scan the window.
    let lo = start;
    let hi = start + count;
    const from = tr - tol;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (<f64>poolTimes.u32At(mid) < from) lo = mid + 1; else hi = mid;
    }
    for (let j = lo; j < start + count && <f64>poolTimes.u32At(j) <= tr + tol; j++) {
      if (Mathf.abs(poolPitches.f32At(j) - target) <= PITCH_TOLERANCE) {
        noteMatched.setU32(i, 1);
        break;
      }
    }
  }
  // Notes that start together count once: a query's pooled lines hold a note and often its octave
  // or fifth (a solo voice's harmonics), and a work's lines do too, so their matches are not
  // independent. An onset cluster matches if any of its notes does; its chance is their sum.
  clusterTimes.clear();
  clusterChance.clear();
  clusterHit.clear();
  let m = 0; // matched clusters
  let firstMatch: u32 = 0;
  let lastMatch: u32 = 0;
  for (let i = 0; i < n;) {
    const t0 = queryTimes.u32At(i);
    let chance = 0.0;
    let eligible = false;
    let hit = false;
    for (; i < n && queryTimes.u32At(i) - t0 <= <u32>ONSET_CLUSTER_FRAMES; i++) {
      const c = chanceAt.f32At(i);
      if (c >= 0.0) { eligible = true; chance += <f64>c; }
      if (noteMatched.u32At(i) != 0) hit = true;
    }
    if (!eligible) continue;
    clusterTimes.pushU32(t0);
    clusterChance.pushF32(<f32>Math.min(1.0, chance));
    clusterHit.pushU32(hit ? 1 : 0);
    if (hit) {
      if (m == 0) firstMatch = t0;
      lastMatch = t0;
      m++;
    }
  }
  const nc = clusterTimes.length;
  // The matched stretches: a local alignment along the fitted line (Smith–Waterman without gaps,
  // the alignment having fixed the mapping), scored by log-likelihood: an onset of the melody
  // matches with probability MELODY_HIT_RATE, one of other music with its chance p, so a match
  // scores ln(rate / p) and a miss ln((1 − rate) / (1 − p)); a pause longer than maxGapFrames ends
  // a stretch. Each stretch is judged on its own and, since every stretch of one alignment is
  // evidence for the same use, with all matched onsets of the alignment together (a melody quoted
  // twice with a break between).
  if (m < MELODY_MIN_MATCHED_NOTES) return 0;
  runStarts.clear();
  runEnds.clear();
  let score = 0.0;
  let best = 0.0;
  let from = -1; // first cluster of the open stretch, −1 if none
  let bestEnd = -1;
  for (let c = 0; c <= nc; c++) {
    const pause = c == nc || (c > 0 && <i32>(clusterTimes.u32At(c) - clusterTimes.u32At(c - 1)) > maxGapFrames);
    if (from >= 0 && (pause || score <= 0.0)) {
      runStarts.pushU32(<u32>from);
      runEnds.pushU32(<u32>bestEnd);
      from = -1;
      score = 0.0;
    }
    if (c == nc) break;
    const hit = clusterHit.u32At(c) != 0;
    const p = Math.min(Math.max(<f64>clusterChance.f32At(c), 0.01), 0.9);
    const gain = hit ? Math.log(MELODY_HIT_RATE / p) : Math.log((1.0 - MELODY_HIT_RATE) / (1.0 - p));
    if (from < 0) {
      if (!hit) continue;
      from = c;
      best = gain;
      bestEnd = c;
    }
    score += gain;
    if (score > best) { best = score; bestEnd = c; }
  }
  // Every matched onset from the first to the last, against the chance of every onset between.
  let allExpected = 0.0;
  for (let c = 0; c < nc; c++) {
    const t = clusterTimes.u32At(c);
    if (t >= firstMatch && t <= lastMatch) allExpected += <f64>clusterChance.f32At(c);
  }
  const joint = poisson_tail_significance(<f64>m, allExpected) - log10Tests;
  let added = 0;
  for (let r = 0; r < runStarts.length; r++) {
    const rs = <i32>runStarts.u32At(r);
    const re = <i32>runEnds.u32At(r);
    let k = 0;
    let expected = 0.0;
    for (let c = rs; c <= re; c++) {
      if (clusterHit.u32At(c) != 0) k++;
      expected += <f64>clusterChance.f32At(c);
    }
    if (k < MELODY_MIN_RUN_NOTES) continue;
    const own = k >= MELODY_MIN_MATCHED_NOTES ? poisson_tail_significance(<f64>k, expected) - log10Tests : -1.0;
    const significance = Math.max(own, joint);
    if (significance < MELODY_MIN_SIGNIFICANCE) continue;
    const qsf = <f64>clusterTimes.u32At(rs);
    // The last matched note lasts on: close the span a time unit later.
    const qef = <f64>clusterTimes.u32At(re) + <f64>MELODY_TIME_UNIT_FRAMES;
    segments_add(slot, qsf, qef, (qsf - b) / ratio, (qef - b) / ratio, k, expected, significance, ratio, shift, 1);
    added++;
  }
  return added;
}
