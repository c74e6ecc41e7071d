import { Buf32 } from '../mem';
import {
  MIN_SEGMENT_HITS, MIN_SIGNIFICANCE, EVIDENCE_BLOCK_FRAMES, MIN_SEGMENT_BLOCKS,
} from '../config';
import { binomial_tail_significance } from './chance';
import { segments_add } from './segments';

/**
 * Turns the sorted query frames of one alignment's hits into segments: split
 * where hits pause, and keep the parts that stand above chance. Chance is
 * judged on blocks of query time with at least one hit (hits inside one note
 * are not independent): a random work puts λ hits on this alignment over the
 * whole query, so a block is hit with probability q = 1 − e^(−λ·block/query).
 * The alignment maps query frame t to reference frame (t − b) / ratio. The
 * segment's end is extended by `tailFrames` (what the last hit's hash spans).
 */
export function emit_segments(
  slot: i32, frames: Buf32, lambda: f64, queryFrames: i32, log10Tests: f64, ratio: f64, b: f64, pitchShift: f64,
  evidence: i32, tailFrames: f64, maxGapFrames: i32,
): void {
  const n = frames.length;
  const queryBlocks = <f64>max(1, (queryFrames + EVIDENCE_BLOCK_FRAMES - 1) / EVIDENCE_BLOCK_FRAMES);
  const q = 1.0 - Math.exp(-lambda / queryBlocks);
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
    if (distinct >= MIN_SEGMENT_HITS && blocks >= MIN_SEGMENT_BLOCKS) {
      const significance = binomial_tail_significance(<f64>blocks, queryBlocks, q) - log10Tests;
      if (significance >= MIN_SIGNIFICANCE) {
        const qs = <f64>frames.u32At(s);
        const qe = <f64>frames.u32At(e) + tailFrames;
        segments_add(slot, qs, qe, (qs - b) / ratio, (qe - b) / ratio, distinct, lambda, significance, ratio, pitchShift, evidence);
      }
    }
    s = e + 1;
  }
}
