import { Buf32, Buf64 } from '../mem';
import {
  MIN_SEGMENT_HITS, TRIPLET_MIN_RATIO, TRIPLET_MAX_RATIO, TRIPLET_MAX_SHIFT, TRIPLET_LINE_TOLERANCE_FRAMES,
  MELODY_MIN_RATIO, MELODY_MAX_RATIO, MELODY_MAX_SHIFT, MELODY_LINE_TOLERANCE_FRAMES, MELODY_TIME_UNIT_FRAMES,
  SEGMENT_MAX_GAP_FRAMES, MELODY_SEGMENT_MAX_GAP_FRAMES, MELODY_MIN_VOTES, LONG_TRIPLET_UNIT_FRAMES,
} from '../config';
import { HashIndex, tripletIndex, melodyIndex, workFrames, FRAME_BITS, MAX_FRAMES, MAX_SLOTS } from './index';
import {
  extra_pitch, extra_dt12, extra_dt13, ratio_bin, pitch_band, span_band_of, triplet_probe, TRIPLET_PROBED_MASK, LONG_TRIPLET_BIT,
} from '../fingerprint/triplets';
import { sort_u32, sort_u64 } from './sort';
import { LN10 } from './chance';
import { emit_segments } from './evidence';
import { verify_melody } from './note-check';

// Voting on triplet hashes. Each hit brings its own time ratio (t13 query /
// t13 reference) and pitch shift (p1 query − p1 reference). Per work:
//  1. a histogram over (pitch shift, time ratio) finds the transform most hits agree on;
//  2. those hits, mapped through the median ratio, give offsets b = tq − r·tr;
//     the densest offset window seeds a least-squares line tq = r·tr + b;
//  3. hits within a few frames of the line are its evidence, split into segments.
// The found hits are removed and the work searched again, for works used twice.

const SHIFT_STEP: f64 = 0.5; // semitones per histogram cell

/** What one kind of triplet evidence searches: its index, the transforms allowed, and how precise its times are. */
export class TransformSearch {
  readonly shiftCells: i32;
  readonly ratioLo: i32;
  readonly ratioCells: i32;
  readonly ratioStep: f64;

  constructor(
    readonly index: HashIndex,
    readonly evidence: i32, // 0 recording, 1 melody
    readonly minRatio: f64,
    readonly maxRatio: f64,
    readonly maxShift: f64,
    readonly lineTolerance: f64, // frames
    ratioStepPercent: f64,
    readonly timeUnitFrames: i32, // frames per unit of the hash's time spans
    readonly maxGapFrames: i32, // a pause in evidence longer than this ends a segment
    readonly minVotes: i32, // hits that must agree on an alignment before it is examined
  ) {
    this.ratioStep = Math.log(1.0 + ratioStepPercent / 100.0);
    this.shiftCells = 2 * <i32>Math.ceil(maxShift / SHIFT_STEP) + 1;
    this.ratioLo = <i32>Math.floor(Math.log(minRatio) / this.ratioStep);
    this.ratioCells = <i32>Math.ceil(Math.log(maxRatio) / this.ratioStep) - this.ratioLo + 1;
  }

  private ratioCellTable: StaticArray<i32> | null = null;

  /**
   * The ratio cell of every pair of t3 − t1 spans (query span × SPAN_VALUES + reference span, in
   * time units), −1 where their time ratio is outside the ratios searched: the lookup meets
   * millions of postings, and spans take only SPAN_VALUES values. Built on first use.
   */
  ratioCellsBySpans(): StaticArray<i32> {
    let table = this.ratioCellTable;
    if (table === null) {
      table = new StaticArray<i32>(SPAN_VALUES * SPAN_VALUES);
      for (let q = 0; q < SPAN_VALUES; q++) {
        for (let r = 0; r < SPAN_VALUES; r++) {
          const ratio = <f64>q / <f64>r;
          table[q * SPAN_VALUES + r] = ratio < this.minRatio || ratio > this.maxRatio ? -1 : ratioCell(this, ratio);
        }
      }
      this.ratioCellTable = table;
    }
    return table;
  }
}

/** Values a span takes in a triplet's extra word (7 bits). */
const SPAN_VALUES: i32 = 128;

/** Peak triplets: a recording re-keyed or re-timed (2 % ratio cells). */
export const recordingSearch = new TransformSearch(
  tripletIndex, 0, TRIPLET_MIN_RATIO, TRIPLET_MAX_RATIO, TRIPLET_MAX_SHIFT, TRIPLET_LINE_TOLERANCE_FRAMES, 2.0, 1, SEGMENT_MAX_GAP_FRAMES, MIN_SEGMENT_HITS,
);
/** Note triplets: a melody re-played in another key and tempo (note onsets are coarser: 4 % ratio cells). */
export const melodySearch = new TransformSearch(
  melodyIndex, 1, MELODY_MIN_RATIO, MELODY_MAX_RATIO, MELODY_MAX_SHIFT, MELODY_LINE_TOLERANCE_FRAMES, 4.0, MELODY_TIME_UNIT_FRAMES,
  MELODY_SEGMENT_MAX_GAP_FRAMES, MELODY_MIN_VOTES,
);

const SEED_WINDOW_FRAMES: f64 = 24.0;
const MAX_ALIGNMENTS_PER_WORK: i32 = 4;
/** Rounds of the vote per work (a round finds an alignment or drops hits that line up nowhere). */
const MAX_ROUNDS_PER_WORK: i32 = 4;

const hitSlot = new Buf32(); // work slot
const hitTq = new Buf32();
const hitTr = new Buf32();
const hitRatio = new Buf32(); // f32
const hitShift = new Buf32(); // f32
const hitCell = new Buf32(); // transform cell, computed once per hit (in work order once grouped)
const hitSpan = new Buf32(); // the query triplet's span t3 − t1, frames
const alive = new Buf32(); // per hit, by place in work order: 0 once a round explained or dropped it
const slotStarts = new Buf32(); // per work slot: its first hit once grouped (one more entry: the end)
const slotCursors = new Buf32();
const order = new Buf32(); // hit indices in lookup order, work by work
const reordered = new Buf32(); // scratch for putting a hit array in that order
const cellHits = new Buf32(); // live hits of the work per transform cell
const cellLast = new Buf32(); // per cell: 1 + the group position of its last live hit (only where cellHits > 0)
const nearHits = new Buf32(); // per cell: live hits in its 3×3 neighbourhood
const nearLast = new Buf32(); // per cell: the largest cellLast in its neighbourhood
const touched = new Buf32(); // cells holding live hits at the last tally
const nearBest = new Buf32(); // per cell: 1 if in the chosen neighbourhood
const group = new Buf32(); // places in work order of one work's hits, explained ones dropped at each tally
const chosen = new Buf32(); // places of the live hits in the best cell neighbourhood, in order
const sortable = new Buf32();
const values = new Buf32(); // f32 scratch for medians
const offsetKeys = new Buf64();
const offsetScratch = new Buf64();
const inliers = new Buf32();
const frames = new Buf32();
const probeBands = new Buf32();
const probeRatios = new Buf32();
const probeSpans = new Buf32();

function ratioCell(search: TransformSearch, ratio: f64): i32 {
  const r = <i32>Math.round(Math.log(ratio) / search.ratioStep) - search.ratioLo;
  return min(max(r, 0), search.ratioCells - 1);
}

/** The transform cell of a hit: its pitch shift's cell, and the ratio cell from `ratioCellsBySpans`. */
@inline function transformCell(search: TransformSearch, ratioCell: i32, shift: f64): i32 {
  const s = <i32>Math.round(shift / SHIFT_STEP) + (search.shiftCells >> 1);
  return min(max(s, 0), search.shiftCells - 1) * search.ratioCells + ratioCell;
}

// A work's hits are named by their place in work order (see groupHitsByWork): the cells, read by every
// round for every hit, are stored in that order; the rest, read for a few hits a round, are reached
// through `order`.
@inline function cellOf(j: i32): i32 { return <i32>hitCell.u32At(j); }
@inline function tqOf(j: i32): u32 { return hitTq.u32At(<i32>order.u32At(j)); }
@inline function trOf(j: i32): u32 { return hitTr.u32At(<i32>order.u32At(j)); }
@inline function ratioOf(j: i32): f32 { return hitRatio.f32At(<i32>order.u32At(j)); }
@inline function shiftOf(j: i32): f32 { return hitShift.f32At(<i32>order.u32At(j)); }
@inline function spanOf(j: i32): u32 { return hitSpan.u32At(<i32>order.u32At(j)); }

/** The hit arrays, sized for `count` hits (their values up to the current length kept). */
function reserveHits(count: i32): void {
  hitSlot.reserve(count);
  hitTq.reserve(count);
  hitTr.reserve(count);
  hitRatio.reserve(count);
  hitShift.reserve(count);
  hitCell.reserve(count);
  hitSpan.reserve(count);
}

function setHitCount(count: i32): void {
  hitSlot.length = count;
  hitTq.length = count;
  hitTr.length = count;
  hitRatio.length = count;
  hitShift.length = count;
  hitCell.length = count;
  hitSpan.length = count;
}

/**
 * Appends as hits the postings of index rows [from, to) whose transform from the query triplet
 * (frame tq, first pitch pq, span dt13) lies in the search's range. Room for the whole row is made
 * first, so the hits are written straight to the arrays (millions of postings per query).
 */
function collectHits(search: TransformSearch, ratioCells: StaticArray<i32>, from: i32, to: i32, tq: u32, pq: f64, dt13: i32, unit: i32): void {
  let n = hitSlot.length;
  reserveHits(n + to - from);
  const postings = search.index.postings.ptr;
  const extras = search.index.extras.ptr;
  const slots = hitSlot.ptr;
  const tqs = hitTq.ptr;
  const trs = hitTr.ptr;
  const ratios = hitRatio.ptr;
  const shifts = hitShift.ptr;
  const cells = hitCell.ptr;
  const spans = hitSpan.ptr;
  const maxShift = search.maxShift;
  const spanRow = dt13 * SPAN_VALUES;
  const span = <u32>(dt13 * unit);
  for (let p = from; p < to; p++) {
    const exR = load<u32>(extras + (<usize>p << 2));
    const dt13R = extra_dt13(exR);
    const rc = unchecked(ratioCells[spanRow + dt13R]);
    if (rc < 0) continue;
    const shift = pq - extra_pitch(exR);
    if (shift < -maxShift || shift > maxShift) continue;
    const posting = load<u32>(postings + (<usize>p << 2));
    const at = <usize>n << 2;
    store<u32>(slots + at, posting >> FRAME_BITS);
    store<u32>(tqs + at, tq);
    store<u32>(trs + at, posting & <u32>(MAX_FRAMES - 1));
    store<f32>(ratios + at, <f32>(<f64>dt13 / <f64>dt13R));
    store<f32>(shifts + at, <f32>shift);
    store<u32>(cells + at, <u32>transformCell(search, rc, shift));
    store<u32>(spans + at, span);
    n++;
  }
  setHitCount(n);
}

function pushDistinct(buf: Buf32, v: u32): void {
  for (let i = 0; i < buf.length; i++) if (buf.u32At(i) == v) return;
  buf.pushU32(v);
}

export function match_triplets(
  search: TransformSearch, hashes: usize, framesPtr: usize, extras: usize, count: i32, queryFrames: i32, worksSearched: f64,
): void {
  const index = search.index;
  const minRatio = search.minRatio;
  const maxRatio = search.maxRatio;
  const maxShift = search.maxShift;
  const ratioCells = search.ratioCellsBySpans();
  setHitCount(0);
  for (let i = 0; i < count; i++) {
    const tq = load<u32>(framesPtr + (<usize>i << 2));
    if (tq >= <u32>MAX_FRAMES) continue;
    const h = load<u32>(hashes + (<usize>i << 2));
    const ex = load<u32>(extras + (<usize>i << 2));
    const pq = extra_pitch(ex);
    const dt12 = extra_dt12(ex);
    const dt13 = extra_dt13(ex);
    // Probe the octave bands and t13 bands the reference triplet may sit in under the
    // transforms searched, and the ratio cells one frame of jitter reaches.
    probeBands.clear();
    for (let b = pitch_band(<f32>(pq - maxShift)); b <= pitch_band(<f32>(pq + maxShift)); b++) probeBands.pushU32(<u32>b);
    probeSpans.clear();
    // A long triplet (landmarks, coarser time units) probes only long triplets: the bit is in the hash.
    const long = (h & LONG_TRIPLET_BIT) != 0;
    const unit = long ? LONG_TRIPLET_UNIT_FRAMES : search.timeUnitFrames;
    const spanLo = span_band_of(<f64>dt13 / maxRatio, long);
    const spanHi = span_band_of(<f64>dt13 / minRatio, long);
    for (let b = spanLo; b <= spanHi; b++) probeSpans.pushU32(<u32>b);
    probeRatios.clear();
    pushDistinct(probeRatios, <u32>ratio_bin(dt12, dt13));
    pushDistinct(probeRatios, <u32>ratio_bin(dt12 + 1, dt13));
    pushDistinct(probeRatios, <u32>ratio_bin(dt12 - 1, dt13));
    pushDistinct(probeRatios, <u32>ratio_bin(dt12, dt13 + 1));
    pushDistinct(probeRatios, <u32>ratio_bin(dt12, dt13 - 1));
    const base = h & ~TRIPLET_PROBED_MASK;
    for (let a = 0; a < probeBands.length; a++) {
      for (let c = 0; c < probeSpans.length; c++) {
      for (let b = 0; b < probeRatios.length; b++) {
        const hh = <i32>triplet_probe(base, <i32>probeBands.u32At(a), <i32>probeSpans.u32At(c), <i32>probeRatios.u32At(b));
        collectHits(search, ratioCells, index.rowStart(hh), index.rowEnd(hh), tq, pq, dt13, unit);
      }
      }
    }
  }
  const n = hitSlot.length;
  if (n == 0) return;
  groupHitsByWork(n);
  alive.resize(n);
  for (let i = 0; i < n; i++) alive.setU32(i, 1);
  for (let slot = 0; slot < MAX_SLOTS; slot++) {
    const start = <i32>slotStarts.u32At(slot);
    const end = <i32>slotStarts.u32At(slot + 1);
    if (end - start < search.minVotes) continue;
    group.resize(end - start);
    for (let i = start; i < end; i++) group.setU32(i - start, <u32>i);
    voteWork(search, slot, queryFrames, worksSearched);
  }
}

/**
 * Orders the hits work by work, each work's hits in lookup order (the vote's tie-breaks depend on
 * it), and notes where each work's hits start. A counting sort on the slot: one pass over the hits.
 * The cells move with it, so that each round of a work's vote reads them from one contiguous range
 * instead of scattered over the whole query's hits.
 */
function groupHitsByWork(n: i32): void {
  slotStarts.resize(MAX_SLOTS + 1);
  memory.fill(slotStarts.ptr, 0, <usize>(MAX_SLOTS + 1) << 2);
  for (let i = 0; i < n; i++) {
    const next = <i32>hitSlot.u32At(i) + 1;
    slotStarts.setU32(next, slotStarts.u32At(next) + 1);
  }
  for (let slot = 1; slot <= MAX_SLOTS; slot++) slotStarts.setU32(slot, slotStarts.u32At(slot) + slotStarts.u32At(slot - 1));
  slotCursors.resize(MAX_SLOTS);
  memory.copy(slotCursors.ptr, slotStarts.ptr, <usize>MAX_SLOTS << 2);
  order.resize(n);
  for (let i = 0; i < n; i++) {
    const slot = <i32>hitSlot.u32At(i);
    const at = slotCursors.u32At(slot);
    order.setU32(<i32>at, <u32>i);
    slotCursors.setU32(slot, at + 1);
  }
  reorder(hitCell, n);
}

/** Puts the first n values of `buf` in `order` (through `reordered`, which takes the old values). */
function reorder(buf: Buf32, n: i32): void {
  reordered.resize(n);
  for (let k = 0; k < n; k++) reordered.setU32(k, buf.u32At(<i32>order.u32At(k)));
  const ptr = buf.ptr;
  const capacity = buf.capacity;
  buf.ptr = reordered.ptr;
  buf.capacity = reordered.capacity;
  buf.length = n;
  reordered.ptr = ptr;
  reordered.capacity = capacity;
  reordered.length = 0;
}

function median(values: Buf32, offset: f32): f32 {
  // Positive floats sort like their bit patterns.
  sortable.resize(values.length);
  for (let i = 0; i < values.length; i++) sortable.setF32(i, values.f32At(i) + offset);
  sort_u32(sortable.ptr, sortable.length);
  return sortable.f32At(sortable.length >> 1) - offset;
}

/** Live hits in the neighbourhood `bestNeighbourhood` chose. */
let bestNeighbourhoodHits: u32 = 0;

/**
 * Drops the hits explained by earlier rounds from the group (keeping its order) and counts the
 * rest per transform cell: how many, and where in the group the last one is.
 */
function tallyLiveHits(totalCells: i32): void {
  cellHits.resize(totalCells);
  cellLast.resize(totalCells);
  memory.fill(cellHits.ptr, 0, <usize>totalCells << 2);
  touched.clear();
  let live = 0;
  for (let g = 0; g < group.length; g++) {
    const i = group.u32At(g);
    if (alive.u32At(<i32>i) == 0) continue;
    group.setU32(live, i);
    const c = cellOf(<i32>i);
    const h = cellHits.u32At(c);
    if (h == 0) touched.pushU32(<u32>c);
    cellHits.setU32(c, h + 1);
    live++;
    cellLast.setU32(c, <u32>live);
  }
  group.length = live;
}

/**
 * Counts the live hits in every cell's 3×3 neighbourhood (`nearHits`) and the last of them
 * (`nearLast`): hits are counted per cell, then spread to the neighbourhoods, which costs a pass
 * over the hits and one over the touched cells instead of nine counts per hit.
 */
function countNeighbourhoods(shiftCells: i32, ratioCells: i32): void {
  const totalCells = shiftCells * ratioCells;
  tallyLiveHits(totalCells);
  nearHits.resize(totalCells);
  nearLast.resize(totalCells);
  memory.fill(nearHits.ptr, 0, <usize>totalCells << 2);
  memory.fill(nearLast.ptr, 0, <usize>totalCells << 2);
  for (let t = 0; t < touched.length; t++) {
    const c = <i32>touched.u32At(t);
    const h = cellHits.u32At(c);
    const last = cellLast.u32At(c);
    const s0 = c / ratioCells;
    const r0 = c % ratioCells;
    for (let ss = max(0, s0 - 1); ss <= min(shiftCells - 1, s0 + 1); ss++) {
      for (let rr = max(0, r0 - 1); rr <= min(ratioCells - 1, r0 + 1); rr++) {
        const k = ss * ratioCells + rr;
        nearHits.setU32(k, nearHits.u32At(k) + h);
        if (last > nearLast.u32At(k)) nearLast.setU32(k, last);
      }
    }
  }
}

/**
 * The transform cell whose 3×3 neighbourhood holds the most live hits (-1 if none); the count
 * goes to `bestNeighbourhoodHits`. Ties go where counting each hit into its neighbourhood, in
 * group order and cells in index order, would first reach the top count (the vote's order since
 * it began, which later rounds and results depend on). A neighbourhood reaches its count at its
 * last hit, so the tie goes to the neighbourhood whose last hit comes first, then (one hit
 * completing both) to the lower cell index.
 */
function bestNeighbourhood(totalCells: i32): i32 {
  let best = -1;
  let bestHits: u32 = 0;
  let bestLast: u32 = 0;
  for (let k = 0; k < totalCells; k++) {
    const h = nearHits.u32At(k);
    if (h < bestHits || h == 0) continue;
    const last = nearLast.u32At(k);
    if (h == bestHits && last >= bestLast) continue;
    best = k;
    bestHits = h;
    bestLast = last;
  }
  bestNeighbourhoodHits = bestHits;
  return best;
}

/**
 * Test hook: the rounds of choosing a neighbourhood, on a grid of shiftCells × ratioCells transform
 * cells, for hits whose cells are at `cellsPtr` in group order (−1: a hit an earlier round
 * explained), when every round drops all the hits it chose (as when they have no seed). Writes
 * each round's cell and hit count after the input, and returns the number of rounds run (they stop
 * when no hit is left).
 */
export function vote_best_cells(cellsPtr: usize, count: i32, shiftCells: i32, ratioCells: i32, rounds: i32): i32 {
  hitCell.resize(count);
  alive.resize(count);
  group.clear();
  for (let i = 0; i < count; i++) {
    const c = load<i32>(cellsPtr + (<usize>i << 2));
    hitCell.setU32(i, <u32>max(c, 0));
    alive.setU32(i, c < 0 ? 0 : 1);
    group.pushU32(<u32>i);
  }
  let out = cellsPtr + (<usize>count << 2);
  countNeighbourhoods(shiftCells, ratioCells);
  for (let round = 0; round < rounds; round++) {
    const best = bestNeighbourhood(shiftCells * ratioCells);
    if (best < 0) return round;
    store<i32>(out, best);
    store<u32>(out, bestNeighbourhoodHits, 4);
    out += 8;
    markNeighbourhood(shiftCells, ratioCells, best);
    gatherNeighbourhood();
    for (let k = 0; k < chosen.length; k++) alive.setU32(<i32>chosen.u32At(k), 0);
    forgetNeighbourhood(shiftCells, ratioCells, best);
  }
  return rounds;
}

/** Marks the cells of the 3×3 neighbourhood of cell `best` in `nearBest` (1 in it, 0 not). */
function markNeighbourhood(shiftCells: i32, ratioCells: i32, best: i32): void {
  const totalCells = shiftCells * ratioCells;
  nearBest.resize(totalCells);
  memory.fill(nearBest.ptr, 0, <usize>totalCells << 2);
  const s0 = best / ratioCells;
  const r0 = best % ratioCells;
  for (let ss = max(0, s0 - 1); ss <= min(shiftCells - 1, s0 + 1); ss++) {
    for (let rr = max(0, r0 - 1); rr <= min(ratioCells - 1, r0 + 1); rr++) nearBest.setU32(ss * ratioCells + rr, 1);
  }
}

/** Collects the live hits in the neighbourhood `markNeighbourhood` marked into `chosen`, in group order. */
function gatherNeighbourhood(): void {
  chosen.clear();
  for (let g = 0; g < group.length; g++) {
    const i = <i32>group.u32At(g);
    if (nearBest.u32At(cellOf(i)) != 0 && alive.u32At(i) != 0) chosen.pushU32(<u32>i);
  }
}

/**
 * Empties the cells of the 3×3 neighbourhood of cell `best` once all their live hits are dropped
 * (a round whose hits have no seed), and recounts the neighbourhoods that overlap them (5×5
 * cells): the counts then hold for the next round without a pass over the hits.
 */
function forgetNeighbourhood(shiftCells: i32, ratioCells: i32, best: i32): void {
  const s0 = best / ratioCells;
  const r0 = best % ratioCells;
  for (let ss = max(0, s0 - 1); ss <= min(shiftCells - 1, s0 + 1); ss++) {
    for (let rr = max(0, r0 - 1); rr <= min(ratioCells - 1, r0 + 1); rr++) cellHits.setU32(ss * ratioCells + rr, 0);
  }
  for (let ss = max(0, s0 - 2); ss <= min(shiftCells - 1, s0 + 2); ss++) {
    for (let rr = max(0, r0 - 2); rr <= min(ratioCells - 1, r0 + 2); rr++) recountNeighbourhood(shiftCells, ratioCells, ss, rr);
  }
}

/** `nearHits` and `nearLast` of cell (s0, r0) from the per-cell counts. */
function recountNeighbourhood(shiftCells: i32, ratioCells: i32, s0: i32, r0: i32): void {
  let hits: u32 = 0;
  let last: u32 = 0;
  for (let ss = max(0, s0 - 1); ss <= min(shiftCells - 1, s0 + 1); ss++) {
    for (let rr = max(0, r0 - 1); rr <= min(ratioCells - 1, r0 + 1); rr++) {
      const c = ss * ratioCells + rr;
      const h = cellHits.u32At(c);
      if (h == 0) continue; // (an empty cell's cellLast is stale)
      hits += h;
      last = max(last, cellLast.u32At(c));
    }
  }
  const k = s0 * ratioCells + r0;
  nearHits.setU32(k, hits);
  nearLast.setU32(k, last);
}

function voteWork(search: TransformSearch, slot: i32, queryFrames: i32, worksSearched: f64): void {
  const totalCells = search.shiftCells * search.ratioCells;
  const tolerance = search.lineTolerance;
  const refFrames = <f64>workFrames.u32At(slot);
  const window = 2.0 * tolerance + 1.0;
  const offsetsPossible = <f64>queryFrames + refFrames * search.maxRatio;
  // Corrected for every line window, every transform cell (3×3 neighbourhoods) and every work searched.
  const log10Tests = Math.log(worksSearched * (offsetsPossible / window) * (<f64>totalCells / 9.0)) / LN10;
  let alignments = 0;
  let recount = true; // false while the neighbourhood counts still describe the live hits
  for (let round = 0; round < MAX_ROUNDS_PER_WORK && alignments < MAX_ALIGNMENTS_PER_WORK; round++) {
    // 1. The transform most of the hits still unexplained agree on, and those hits.
    if (recount) countNeighbourhoods(search.shiftCells, search.ratioCells);
    const best = bestNeighbourhood(totalCells);
    if (best < 0 || bestNeighbourhoodHits < <u32>search.minVotes) return;
    markNeighbourhood(search.shiftCells, search.ratioCells, best);
    gatherNeighbourhood();
    recount = true;
    // 2. Median transform, then the densest offset window under it.
    values.resize(chosen.length);
    for (let k = 0; k < chosen.length; k++) values.setF32(k, ratioOf(<i32>chosen.u32At(k)));
    const r0 = <f64>median(values, 0.0);
    const m = chosen.length;
    offsetKeys.resize(m);
    // b in quarter frames, biased positive: b ∈ (−1.28·2^18, 2^18).
    for (let k = 0; k < m; k++) {
      const i = <i32>chosen.u32At(k);
      const b = <f64>tqOf(i) - r0 * <f64>trOf(i);
      const q = <u64>Math.max(0.0, Math.round((b + 2097152.0) * 4.0));
      offsetKeys.set(k, (q << 24) | <u64>k);
    }
    offsetScratch.resize(m);
    const ob = sort_u64(offsetKeys.ptr, offsetScratch.ptr, m, 48);
    const span = <u64>(SEED_WINDOW_FRAMES * 2.0 * 4.0);
    let bestLo = 0;
    let bestCount = 0;
    let lo = 0;
    for (let hi = 0; hi < m; hi++) {
      const vhi = load<u64>(ob + (<usize>hi << 3)) >> 24;
      while ((load<u64>(ob + (<usize>lo << 3)) >> 24) + span < vhi) lo++;
      if (hi - lo + 1 > bestCount) { bestCount = hi - lo + 1; bestLo = lo; }
    }
    if (bestCount < search.minVotes) {
      for (let k = 0; k < m; k++) alive.setU32(<i32>chosen.u32At(k), 0);
      forgetNeighbourhood(search.shiftCells, search.ratioCells, best);
      recount = false;
      continue;
    }
    // 3. Least-squares line through the seed window, then its inliers among the chosen hits (twice).
    inliers.clear();
    for (let k = bestLo; k < bestLo + bestCount; k++) inliers.pushU32(chosen.u32At(<i32>(load<u64>(ob + (<usize>k << 3)) & 0xffffff)));
    let slope = r0;
    let intercept = 0.0;
    for (let pass = 0; pass < 3; pass++) {
      let sx = 0.0, sy = 0.0, sxx = 0.0, sxy = 0.0;
      const c = <f64>inliers.length;
      for (let k = 0; k < inliers.length; k++) {
        const i = <i32>inliers.u32At(k);
        const x = <f64>trOf(i);
        const y = <f64>tqOf(i);
        sx += x; sy += y; sxx += x * x; sxy += x * y;
      }
      const varX = sxx - sx * sx / c;
      // A short span of reference time cannot pin the slope down: keep the median ratio then.
      slope = varX > c * 400.0 ? (sxy - sx * sy / c) / varX : r0;
      if (slope < search.minRatio || slope > search.maxRatio) slope = r0;
      intercept = (sy - slope * sx) / c;
      inliers.clear();
      for (let k = 0; k < m; k++) {
        const i = <i32>chosen.u32At(k);
        const res = <f64>tqOf(i) - (slope * <f64>trOf(i) + intercept);
        if (Math.abs(res) <= tolerance) inliers.pushU32(<u32>i);
      }
      if (inliers.length < search.minVotes) break;
    }
    if (inliers.length < search.minVotes) {
      // No line through this seed: drop the seed's hits (not the cell's: a true line may still be
      // there at another offset), so the next round does not pick the same seed again.
      for (let k = bestLo; k < bestLo + bestCount; k++) alive.setU32(<i32>chosen.u32At(<i32>(load<u64>(ob + (<usize>k << 3)) & 0xffffff)), 0);
      continue;
    }
    for (let k = 0; k < inliers.length; k++) alive.setU32(<i32>inliers.u32At(k), 0);
    alignments++;
    values.resize(inliers.length);
    for (let k = 0; k < inliers.length; k++) values.setF32(k, shiftOf(<i32>inliers.u32At(k)));
    const shift = <f64>median(values, 16.0);
    // Chance: this work's hits in the chosen transform cells, spread over every possible line offset.
    const lambda = <f64>m * window / offsetsPossible;
    frames.resize(inliers.length);
    for (let k = 0; k < inliers.length; k++) frames.setU32(k, tqOf(<i32>inliers.u32At(k)));
    sort_u32(frames.ptr, frames.length);
    // The last anchor's triplet runs on for its span: the segment covers it.
    let tail: u32 = 0;
    for (let k = 0; k < inliers.length; k++) {
      const i = <i32>inliers.u32At(k);
      if (tqOf(i) == frames.u32At(frames.length - 1)) tail = max(tail, spanOf(i));
    }
    if (search.evidence == 1) verify_melody(slot, refFrames, slope, intercept, shift, log10Tests, search.maxGapFrames);
    else emit_segments(slot, frames, lambda, queryFrames, log10Tests, slope, intercept, shift, search.evidence, <f64>tail, search.maxGapFrames, 0);
  }
}
