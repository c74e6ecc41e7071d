import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { rng } from '../fixtures/audio';
import type { Core } from '../../src/core/wasm-core';

/** Naive O(N²) DFT power spectrum, bins 0 … N/2 − 1. */
function naivePower(x: Float32Array): Float64Array {
  const n = x.length;
  const out = new Float64Array(n / 2);
  for (let k = 0; k < n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      const a = (-2 * Math.PI * k * t) / n;
      re += x[t] * Math.cos(a);
      im += x[t] * Math.sin(a);
    }
    out[k] = re * re + im * im;
  }
  return out;
}

describe('fft (WASM) against a naive DFT', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  for (const size of [16, 64, 512]) {
    it(`matches on random input, N = ${size}`, () => {
      const r = rng(size);
      const x = Float32Array.from({ length: size }, () => 2 * r() - 1);
      const got = core.stageFftPower(x);
      const want = naivePower(x);
      const scale = Math.max(...want);
      for (let k = 0; k < size / 2; k++) expect(Math.abs(got[k] - want[k]) / scale).toBeLessThan(1e-4);
    });
  }

  it('puts a bin-centred sine in its bin', () => {
    const n = 512;
    const x = Float32Array.from({ length: n }, (_, t) => Math.sin((2 * Math.PI * 37 * t) / n));
    const p = core.stageFftPower(x);
    const peak = p.indexOf(Math.max(...p));
    expect(peak).toBe(37);
    expect(p[37]).toBeCloseTo((n / 2) ** 2, -2);
  });
});
