import { Buf32, Buf64 } from '../mem';
import { OFFSET_TOLERANCE_FRAMES, MIN_SEGMENT_HITS, SEGMENT_MAX_GAP_FRAMES, MASKED_MIN_SPAN_FRAMES, PEAK_QUERY_MASKED_HALF_BINS } from '../config';
import { MASKED_PAIR_BIT } from '../fingerprint/hashes';
import { pairIndex, workFrames, index_build, index_work_count, FRAME_BITS, MAX_FRAMES } from './index';
import { radix_sort_u64, sort_u32 } from './sort';
import { LN10 } from './chance';
import { segments_clear, segments_suppress_repeats, segment_count } from './segments';
import { emit_segments } from './evidence';
import { query_notes_set } from './note-check';
import { match_triplets, recordingSearch, melodySearch } from './triplet-vote';

// Voting on pair hashes: every (query hash, posting) pair is a hit with a time offset
// (reference frame − query frame). Hits are sorted by (work, offset, query frame);
// offsets where a work gathers many hits within ±tolerance are candidates; each
// candidate's hits, split where the evidence pauses, become segments if they
// stand far enough above the chance rate.
//
// Keys are collected as work slot << 37 | (offset + 2^18) << 18 | query frame (51 bits), then packed
// as tight as one vote's slots and offsets allow: slot << workShift | (offset − offsetMin) << 18 | query
// frame. The sort orders (work, offset) only, the bits above the query frame (each window's frames are
// sorted when gathered), so at 1,000 works it takes two radix passes where the wide key took four.

const OFFSET_SHIFT: u64 = 18;
const WIDE_WORK_SHIFT: u64 = 37;
const OFFSET_BIAS: i32 = MAX_FRAMES;
const OFFSET_MASK: u64 = (1 << 19) - 1;
/** The packed layout of the vote under way (see packKeys). */
let workShift: u64 = WIDE_WORK_SHIFT;
let offsetMin: i32 = -OFFSET_BIAS;
const MAX_CANDIDATES_PER_WORK: i32 = 24;

const input = new Buf32(); // pairs (hashes, frames), triplets and melody triplets (hashes, frames, extras)
let pairCount: i32 = 0;
let tripletCount: i32 = 0;
let melodyCount: i32 = 0;
// The pair lookups of one vote, sorted by hash (hash << 32 | query frame), and where the sort left them.
const probes = new Buf64();
const probesScratch = new Buf64();
let probesSorted: usize = 0;
let probeCount = 0;
const keys = new Buf64();
const keysScratch = new Buf64();
const runOffsets = new Buf32(); // per run of equal (work, offset): offset
const runStarts = new Buf32(); // first key index of the run
const runCounts = new Buf32();
const runWindow = new Buf32(); // hits within ±tolerance
const gathered = new Buf32();
const candidates = new Buf32(); // run indices, best first
const takenOffsets = new Buf32(); // offsets already turned into segments for this work

export function match_input(pairs: i32, triplets: i32, melody: i32): usize {
  pairCount = pairs;
  tripletCount = triplets;
  melodyCount = melody;
  input.resize(pairs * 2 + triplets * 3 + melody * 3);
  return input.ptr;
}

/** Matches the query features written at `match_input`. Returns the number of segments. */
export function match_run(queryFrames: i32): i32 {
  index_build();
  segments_clear();
  const worksSearched = <f64>max(index_work_count(), 1);
  matchPairs(pairCount, queryFrames, worksSearched, false);
  matchPairs(pairCount, queryFrames, worksSearched, true);
  const t = input.ptr + (<usize>(pairCount * 2) << 2);
  match_triplets(recordingSearch, t, t + (<usize>tripletCount << 2), t + (<usize>(tripletCount * 2) << 2), tripletCount, queryFrames, worksSearched);
  const m = t + (<usize>(tripletCount * 3) << 2);
  query_notes_set(m, m + (<usize>melodyCount << 2), m + (<usize>(melodyCount * 2) << 2), melodyCount);
  match_triplets(melodySearch, m, m + (<usize>melodyCount << 2), m + (<usize>(melodyCount * 2) << 2), melodyCount, queryFrames, worksSearched);
  segments_suppress_repeats();
  return segment_count();
}

/** Hits one vote sorts at most (64 MB of keys, and as much scratch): past it, works are voted in slot ranges. */
const MAX_VOTE_KEYS: i32 = 1 << 23;
let voteKeyBudget = MAX_VOTE_KEYS;

/** Test hook: another budget than MAX_VOTE_KEYS (0 restores it), so the ranged vote can be compared with the whole one. */
export function match_vote_key_budget(keys: i32): void {
  voteKeyBudget = keys > 0 ? keys : MAX_VOTE_KEYS;
}

/** Votes the query's pairs, or its masked pairs (see PEAK_QUERY_MASKED_HALF_BINS in config.ts) apart. */
function matchPairs(count: i32, queryFrames: i32, worksSearched: f64, masked: bool): void {
  // The lookups in hash order (hash << 32 | query frame): a million masked pairs read the index's rows
  // one after another instead of all over it.
  probes.clear();
  for (let i = 0; i < count; i++) {
    const tagged = input.u32At(i);
    if (((tagged & MASKED_PAIR_BIT) != 0) != masked) continue;
    const tq = input.u32At(count + i);
    if (tq >= <u32>MAX_FRAMES) continue;
    probes.pushU64((<u64>(tagged & ~MASKED_PAIR_BIT) << 32) | <u64>tq);
  }
  const n = probes.length;
  probesScratch.resize(n);
  probesSorted = radix_sort_u64(probes.ptr, probesScratch.ptr, n, 53, 32);
  probeCount = n;
  votePairs(queryFrames, worksSearched, masked, 0, workFrames.length);
}

/**
 * The vote of the works in slots [lo, hi). Each work's vote is its own, so when their hits pass
 * the budget (masked pairs of a long query against a large catalog) the range is halved and each
 * half voted in turn: the same segments, in the same order, in bounded memory.
 */
function votePairs(queryFrames: i32, worksSearched: f64, masked: bool, lo: i32, hi: i32): void {
  if (!collectPairHits(lo, hi, hi - lo > 1 ? voteKeyBudget : 0x7fffffff)) {
    const mid = lo + ((hi - lo) >> 1);
    votePairs(queryFrames, worksSearched, masked, lo, mid);
    votePairs(queryFrames, worksSearched, masked, mid, hi);
    return;
  }
  const n = keys.length;
  if (n == 0) return;
  keysScratch.resize(n);
  const keyBits = packKeys();
  const sorted = radix_sort_u64(keys.ptr, keysScratch.ptr, n, keyBits, <i32>OFFSET_SHIFT);

  let start = 0;
  while (start < n) {
    const slot = <i32>(load<u64>(sorted + (<usize>start << 3)) >> workShift);
    let end = start;
    while (end < n && <i32>(load<u64>(sorted + (<usize>end << 3)) >> workShift) == slot) end++;
    if (end - start >= MIN_SEGMENT_HITS) voteWork(sorted, start, end, slot, queryFrames, worksSearched, masked);
    start = end;
  }
}

/** Collects into `keys` the hits of the probes on works in slots [lo, hi); false past `budget`. */
function collectPairHits(lo: i32, hi: i32, budget: i32): bool {
  const offsets = pairIndex.offsets;
  const postings = pairIndex.postings;
  const all = lo == 0 && hi >= workFrames.length;
  keys.clear();
  for (let i = 0; i < probeCount; i++) {
    const probe = load<u64>(probesSorted + (<usize>i << 3));
    const h = <i32>(probe >> 32);
    const tq = <u32>probe;
    if (h + 1 >= offsets.length) continue;
    const from = <i32>offsets.u32At(h);
    const to = <i32>offsets.u32At(h + 1);
    if (keys.length + (to - from) > budget) return false;
    for (let p = from; p < to; p++) {
      const posting = postings.u32At(p);
      const slot = <i32>(posting >> FRAME_BITS);
      if (!all && (slot < lo || slot >= hi)) continue;
      const tr = <i32>(posting & <u32>(MAX_FRAMES - 1));
      const offset = <u64>(tr - <i32>tq + OFFSET_BIAS);
      keys.pushU64((<u64>slot << WIDE_WORK_SHIFT) | (offset << OFFSET_SHIFT) | <u64>tq);
    }
  }
  return true;
}

/** Repacks the collected keys into the tightest layout for their slots and offsets; returns the bits used. */
function packKeys(): i32 {
  const n = keys.length;
  const at = keys.ptr;
  let lowest: u64 = OFFSET_MASK;
  let highest: u64 = 0;
  let topSlot: u64 = 0;
  for (let i = 0; i < n; i++) {
    const key = load<u64>(at + (<usize>i << 3));
    const off = (key >> OFFSET_SHIFT) & OFFSET_MASK;
    if (off < lowest) lowest = off;
    if (off > highest) highest = off;
    const slot = key >> WIDE_WORK_SHIFT;
    if (slot > topSlot) topSlot = slot;
  }
  const offsetBits = 32 - clz(<u32>(highest - lowest));
  workShift = OFFSET_SHIFT + <u64>offsetBits;
  offsetMin = <i32>lowest - OFFSET_BIAS;
  for (let i = 0; i < n; i++) {
    const p = at + (<usize>i << 3);
    const key = load<u64>(p);
    const off = ((key >> OFFSET_SHIFT) & OFFSET_MASK) - lowest;
    store<u64>(p, ((key >> WIDE_WORK_SHIFT) << workShift) | (off << OFFSET_SHIFT) | (key & <u64>(MAX_FRAMES - 1)));
  }
  return <i32>workShift + (32 - clz(<u32>topSlot));
}

@inline function offsetOf(key: u64): i32 {
  return <i32>((key >> OFFSET_SHIFT) & ((<u64>1 << (workShift - OFFSET_SHIFT)) - 1)) + offsetMin;
}

function voteWork(sorted: usize, start: i32, end: i32, slot: i32, queryFrames: i32, worksSearched: f64, masked: bool): void {
  // Runs of equal offset.
  runOffsets.clear();
  runStarts.clear();
  runCounts.clear();
  let i = start;
  while (i < end) {
    const off = offsetOf(load<u64>(sorted + (<usize>i << 3)));
    let j = i + 1;
    while (j < end && offsetOf(load<u64>(sorted + (<usize>j << 3))) == off) j++;
    runOffsets.pushU32(<u32>off);
    runStarts.pushU32(<u32>i);
    runCounts.pushU32(<u32>(j - i));
    i = j;
  }
  const runs = runOffsets.length;
  // Hits within ±tolerance of each run's offset (neighbouring runs are adjacent).
  runWindow.resize(runs);
  candidates.clear();
  for (let r = 0; r < runs; r++) {
    const off = <i32>runOffsets.u32At(r);
    let sum = runCounts.u32At(r);
    for (let q = r - 1; q >= 0 && off - <i32>runOffsets.u32At(q) <= OFFSET_TOLERANCE_FRAMES; q--) sum += runCounts.u32At(q);
    for (let q = r + 1; q < runs && <i32>runOffsets.u32At(q) - off <= OFFSET_TOLERANCE_FRAMES; q++) sum += runCounts.u32At(q);
    runWindow.setU32(r, sum);
    if (sum >= <u32>MIN_SEGMENT_HITS) candidates.pushU32(<u32>r);
  }
  if (candidates.length == 0) return;
  // Best windows first (a short selection: few candidates pass the minimum).
  const m = candidates.length;
  const limit = min(m, MAX_CANDIDATES_PER_WORK);
  for (let a = 0; a < limit; a++) {
    let best = a;
    for (let b = a + 1; b < m; b++) {
      if (runWindow.u32At(candidates.u32At(b)) > runWindow.u32At(candidates.u32At(best))) best = b;
    }
    const t = candidates.u32At(a);
    candidates.setU32(a, candidates.u32At(best));
    candidates.setU32(best, t);
  }
  // Chance rate: this work's hits spread over (query + work) offsets.
  const totalHits = <f64>(end - start);
  const offsetsPossible = <f64>(queryFrames + <i32>workFrames.u32At(slot));
  const windowWidth = <f64>(2 * OFFSET_TOLERANCE_FRAMES + 1);
  const lambda = totalHits * windowWidth / offsetsPossible;
  // Corrected for every window of every work searched (and for both votes when masked pairs are voted too).
  const log10Tests = Math.log(worksSearched * offsetsPossible / windowWidth * (PEAK_QUERY_MASKED_HALF_BINS > 0 ? 2.0 : 1.0)) / LN10;

  takenOffsets.clear();
  for (let c = 0; c < limit; c++) {
    // Centre the window on its most common offset: neighbouring runs can share the best window sum.
    let r = <i32>candidates.u32At(c);
    const windowOff = <i32>runOffsets.u32At(r);
    for (let q = r - 1; q >= 0 && windowOff - <i32>runOffsets.u32At(q) <= OFFSET_TOLERANCE_FRAMES; q--) {
      if (runCounts.u32At(q) > runCounts.u32At(r)) r = q;
    }
    for (let q = r + 1; q < runs && <i32>runOffsets.u32At(q) - windowOff <= OFFSET_TOLERANCE_FRAMES; q++) {
      if (runCounts.u32At(q) > runCounts.u32At(r)) r = q;
    }
    const off = <i32>runOffsets.u32At(r);
    let clash = false;
    for (let t = 0; t < takenOffsets.length; t++) {
      if (abs(off - <i32>takenOffsets.u32At(t)) <= 2 * OFFSET_TOLERANCE_FRAMES) { clash = true; break; }
    }
    if (clash) continue;
    takenOffsets.pushU32(<u32>off);
    // Gather the query frames of the window's hits.
    gathered.clear();
    let q = r;
    while (q > 0 && off - <i32>runOffsets.u32At(q - 1) <= OFFSET_TOLERANCE_FRAMES) q--;
    for (; q < runs && <i32>runOffsets.u32At(q) - off <= OFFSET_TOLERANCE_FRAMES; q++) {
      const s = <i32>runStarts.u32At(q);
      const e = s + <i32>runCounts.u32At(q);
      for (let k = s; k < e; k++) gathered.pushU32(<u32>(load<u64>(sorted + (<usize>k << 3)) & <u64>(MAX_FRAMES - 1)));
    }
    sort_u32(gathered.ptr, gathered.length);
    // Reference frame = query frame + offset: ratio 1, b = −offset.
    emit_segments(slot, gathered, lambda, queryFrames, log10Tests, 1.0, -<f64>off, 0.0, 0, 0.0, SEGMENT_MAX_GAP_FRAMES, masked ? MASKED_MIN_SPAN_FRAMES : 0);
  }
}

