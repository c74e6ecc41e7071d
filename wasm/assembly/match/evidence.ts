import { Buf32 } from '../mem';
import {
  MIN_SEGMENT_HITS, MIN_SIGNIFICANCE, EVIDENCE_BLOCK_FRAMES, MIN_SEGMENT_BLOCKS, MIN_JOINT_PIECE_BLOCKS, MAX_JOINT_GAP_FRAMES,
} from '../config';
import { binomial_tail_significance } from './chance';
import { segments_add } from './segments';

// The pieces of one alignment (split where its hits pause): first and last hit, distinct hits, blocks.
const pieceFrom = new Buf32();
const pieceTo = new Buf32();
const pieceHits = new Buf32();
const pieceBlocks = new Buf32();

/**
 * Turns the sorted query frames of one alignment's hits into segments: split
 * where hits pause, and keep the parts that stand above chance. Chance is
 * judged on blocks of query time with at least one hit (hits inside one note
 * are not independent): a random work puts λ hits on this alignment over the
 * whole query, so a block is hit with probability q = 1 − e^(−λ·block/query),
 * and k hit blocks anywhere in the query are judged against that.
 * A work mixed under louder music shows through only now and then, so its
 * evidence comes in pieces that are each too thin: since every piece of one
 * alignment is evidence for the same use, the pieces are also judged together
 * (the blocks of all of them, under the same test), and when together they
 * stand above chance, each piece with at least MIN_JOINT_PIECE_BLOCKS is kept,
 * and pieces less than MAX_JOINT_GAP_FRAMES apart are reported as one segment.
 * The alignment maps query frame t to reference frame (t − b) / ratio. The
 * segment's end is extended by `tailFrames` (what the last hit's hash spans).
 * A segment whose hits span less than `minSpanFrames` of the query is not reported.
 */
export function emit_segments(
  slot: i32, frames: Buf32, lambda: f64, queryFrames: i32, log10Tests: f64, ratio: f64, b: f64, pitchShift: f64,
  evidence: i32, tailFrames: f64, maxGapFrames: i32, minSpanFrames: i32,
): void {
  const n = frames.length;
  const queryBlocks = <f64>max(1, (queryFrames + EVIDENCE_BLOCK_FRAMES - 1) / EVIDENCE_BLOCK_FRAMES);
  const q = 1.0 - Math.exp(-lambda / queryBlocks);
  pieceFrom.clear();
  pieceTo.clear();
  pieceHits.clear();
  pieceBlocks.clear();
  let allBlocks = 0;
  let s = 0;
  while (s < n) {
    let e = s;
    let distinct = 1;
    let blocks = 1;
    while (e + 1 < n && <i32>(frames.u32At(e + 1) - frames.u32At(e)) <= maxGapFrames) {
      const a = frames.u32At(e);
      const c = frames.u32At(e + 1);
      if (c != a) distinct++;
      if (c / <u32>EVIDENCE_BLOCK_FRAMES != a / <u32>EVIDENCE_BLOCK_FRAMES) blocks++;
      e++;
    }
    pieceFrom.pushU32(frames.u32At(s));
    pieceTo.pushU32(frames.u32At(e));
    pieceHits.pushU32(<u32>distinct);
    pieceBlocks.pushU32(<u32>blocks);
    allBlocks += blocks;
    s = e + 1;
  }
  const pieces = pieceFrom.length;
  const joint = pieces > 1 && MIN_JOINT_PIECE_BLOCKS > 0
    ? binomial_tail_significance(<f64>allBlocks, queryBlocks, q) - log10Tests : -1.0;
  // Segment under way: [openFrom, openTo], its hits and significance (openFrom −1: none).
  let openFrom: i32 = -1;
  let openTo: i32 = 0;
  let openHits = 0;
  let openSignificance = 0.0;
  for (let i = 0; i <= pieces; i++) {
    let keep = false;
    let significance = -1.0;
    if (i < pieces) {
      const distinct = <i32>pieceHits.u32At(i);
      const blocks = <i32>pieceBlocks.u32At(i);
      if (distinct >= MIN_SEGMENT_HITS && blocks >= MIN_SEGMENT_BLOCKS) {
        significance = binomial_tail_significance(<f64>blocks, queryBlocks, q) - log10Tests;
      }
      if (distinct >= MIN_SEGMENT_HITS && blocks >= MIN_JOINT_PIECE_BLOCKS) significance = Math.max(significance, joint);
      keep = significance >= MIN_SIGNIFICANCE;
    }
    // Close the open segment at the end, or before a kept piece too far from it.
    const from = i < pieces ? <i32>pieceFrom.u32At(i) : 0;
    if (openFrom >= 0 && (i == pieces || (keep && (joint < MIN_SIGNIFICANCE || from - openTo > MAX_JOINT_GAP_FRAMES)))) {
      const qs = <f64>openFrom;
      const qe = <f64>openTo + tailFrames;
      if (openTo - openFrom >= minSpanFrames) {
        segments_add(slot, qs, qe, (qs - b) / ratio, (qe - b) / ratio, openHits, lambda, openSignificance, ratio, pitchShift, evidence);
      }
      openFrom = -1;
    }
    if (!keep) continue;
    if (openFrom < 0) {
      openFrom = from;
      openHits = 0;
      openSignificance = significance;
    }
    openTo = <i32>pieceTo.u32At(i);
    openHits += <i32>pieceHits.u32At(i);
    openSignificance = Math.max(openSignificance, significance);
  }
}
