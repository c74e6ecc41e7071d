import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import type { Core } from '../../src/core/wasm-core';

/**
 * The triplet vote's choice of transform, as it was first written: every live hit counts once in
 * each cell of its 3×3 neighbourhood, in hit order and cells in index order, and the best cell is
 * the first to reach the top count. The core finds the same cell without the nine counts per hit,
 * and in later rounds without counting again.
 */
function referenceBestCell(cells: Int32Array, shiftCells: number, ratioCells: number): { cell: number; hits: number } {
  const counts = new Uint32Array(shiftCells * ratioCells);
  let cell = -1;
  let hits = 0;
  for (const c of cells) {
    if (c < 0) continue;
    for (const k of neighbourhood(c, shiftCells, ratioCells)) {
      const v = ++counts[k];
      if (v > hits) {
        hits = v;
        cell = k;
      }
    }
  }
  return { cell, hits };
}

/** The cells within one step of cell c (itself included), in index order. */
function neighbourhood(c: number, shiftCells: number, ratioCells: number): number[] {
  const s0 = Math.floor(c / ratioCells);
  const r0 = c % ratioCells;
  const out: number[] = [];
  for (let ss = Math.max(0, s0 - 1); ss <= Math.min(shiftCells - 1, s0 + 1); ss++) {
    for (let rr = Math.max(0, r0 - 1); rr <= Math.min(ratioCells - 1, r0 + 1); rr++) out.push(ss * ratioCells + rr);
  }
  return out;
}

/** Rounds of the reference choice, each dropping the hits of the neighbourhood it chose. */
function referenceRounds(cells: Int32Array, shiftCells: number, ratioCells: number, rounds: number): { cell: number; hits: number }[] {
  const live = Int32Array.from(cells);
  const out: { cell: number; hits: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    const best = referenceBestCell(live, shiftCells, ratioCells);
    if (best.cell < 0) break;
    out.push(best);
    const near = new Set(neighbourhood(best.cell, shiftCells, ratioCells));
    for (let i = 0; i < live.length; i++) if (near.has(live[i])) live[i] = -1;
  }
  return out;
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('triplet vote: choice of transform (WASM)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  it('picks the cells the hit-by-hit count picks, round after round, ties included', () => {
    const random = rng(7);
    // Grids of the recording (17 × 17) and melody (27 × 21) searches, and small ones where edges and ties abound.
    const grids = [[17, 17], [27, 21], [3, 4], [1, 5], [5, 1], [1, 1]];
    let ties = 0;
    for (let t = 0; t < 3000; t++) {
      const [shiftCells, ratioCells] = grids[t % grids.length];
      const total = shiftCells * ratioCells;
      // Hits spread over a few cells (ties are common then) or over the whole grid; some already explained.
      const spread = 1 + Math.floor(random() * Math.min(total, 6 + (t % 40)));
      const first = Math.floor(random() * total);
      const cells = Int32Array.from({ length: Math.floor(random() * 120) }, () =>
        random() < 0.2 ? -1 : (first + Math.floor(random() * spread) * (1 + (t % 3))) % total,
      );
      const want = referenceRounds(cells, shiftCells, ratioCells, 4);
      expect(core.stageBestTransformCells(cells, shiftCells, ratioCells, 4)).toEqual(want);
      if (want.length > 0 && isTied(cells, shiftCells, ratioCells, want[0].hits)) ties++;
    }
    // The cases must exercise the tie-break, not only clear winners.
    expect(ties).toBeGreaterThan(500);
  });

  it('reports no cell when every hit is explained', () => {
    expect(core.stageBestTransformCells(Int32Array.from([-1, -1]), 17, 17, 4)).toEqual([]);
    expect(core.stageBestTransformCells(new Int32Array(0), 17, 17, 4)).toEqual([]);
  });
});

/** Whether more than one cell's neighbourhood holds the top count. */
function isTied(cells: Int32Array, shiftCells: number, ratioCells: number, top: number): boolean {
  const counts = new Uint32Array(shiftCells * ratioCells);
  for (const c of cells) if (c >= 0) for (const k of neighbourhood(c, shiftCells, ratioCells)) counts[k]++;
  return counts.filter((v) => v === top).length > 1;
}
