import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import type { Core } from '../../src/core/wasm-core';

/** −log10 P(X ≥ k), X ~ Poisson(λ), summing the pmf (reference for the core's closed-form bound). */
function exactSignificance(k: number, lambda: number): number {
  // Sum the upper tail directly so it does not vanish in 1 − cdf.
  let logTerm = -lambda + k * Math.log(lambda);
  for (let i = 2; i <= k; i++) logTerm -= Math.log(i);
  let tail = 0;
  let term = 1;
  for (let i = k; i < k + 2000; i++) {
    tail += term;
    term *= lambda / (i + 1);
    if (term < 1e-18 * tail) break;
  }
  return -(logTerm + Math.log(tail)) / Math.LN10;
}

describe('chance model (WASM)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  it('is conservative and tight against the exact Poisson tail', () => {
    for (const lambda of [0.01, 0.1, 0.5, 1, 3]) {
      for (const k of [6, 8, 12, 20, 40, 100, 300]) {
        if (k <= lambda) continue;
        const exact = exactSignificance(k, lambda);
        const core_ = core.stageChanceSignificance(k, lambda);
        // Never claims more significance than is true…
        expect(core_).toBeLessThanOrEqual(exact + 1e-6);
        // …and gives away little.
        expect(exact - core_).toBeLessThan(0.35);
      }
    }
  });

  it('gives no significance when hits do not exceed the chance rate', () => {
    expect(core.stageChanceSignificance(2, 3)).toBe(0);
    expect(core.stageChanceSignificance(3, 3)).toBe(0);
  });
});
