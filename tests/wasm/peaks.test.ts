import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { rng, synthMusic } from '../fixtures/audio';
import type { Core } from '../../src/core/wasm-core';

function bruteMax(row: Float32Array, half: number): Float32Array {
  return row.map((_, i) => {
    let m = -Infinity;
    for (let k = Math.max(0, i - half); k <= Math.min(row.length - 1, i + half); k++) m = Math.max(m, row[k]);
    return m;
  });
}

describe('peak picking (WASM)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  it('max filter matches a brute-force maximum for many widths and lengths', () => {
    const r = rng(7);
    for (const n of [1, 5, 31, 250, 256]) {
      for (const half of [0, 1, 3, 10, 12, 20]) {
        const row = Float32Array.from({ length: n }, () => r());
        expect(Array.from(core.stageMaxFilter(row, half))).toEqual(Array.from(bruteMax(row, half)));
      }
    }
  });

  it('finds a pure tone at its frequency bin, once per filter window', () => {
    const rate = 8000;
    // 1 kHz at 8 kHz with 512-point frames: bin 1000 / 15.625 = 64.
    const x = Float32Array.from({ length: rate * 3 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / rate));
    core.analyse({ sampleRateHz: rate, channels: [x] });
    const { frames, bins } = core.lastPeaks();
    expect(bins.length).toBeGreaterThan(0);
    expect(new Set(bins)).toEqual(new Set([64]));
    // A steady tone has equal maxima in every frame; ties go to the earliest, so peaks sit ≥ 21 frames apart.
    for (let i = 1; i < frames.length; i++) expect(frames[i] - frames[i - 1]).toBeGreaterThanOrEqual(11);
  });

  it('gives no peaks for digital silence', () => {
    const fp = core.analyse({ sampleRateHz: 22050, channels: [new Float32Array(22050 * 3)] });
    expect(fp.peakCount).toBe(0);
    expect(fp.hashes.length).toBe(0);
    expect(fp.rms).toBe(0);
  });

  it('every peak is the maximum of its neighbourhood in a reference spectrogram', () => {
    // At 8 kHz the resampler passes samples through, so a TypeScript STFT sees exactly what the core sees.
    const rate = 8000;
    const x = synthMusic(3, 6, rate);
    core.analyse({ sampleRateHz: rate, channels: [x] });
    const { frames, bins } = core.lastPeaks();
    expect(frames.length).toBeGreaterThan(30);
    const N = 512;
    const hop = 64;
    const hann = Float32Array.from({ length: N }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / N));
    const spec = new Map<number, Float32Array>();
    const frameAt = (f: number) => {
      if (!spec.has(f)) {
        const w = Float32Array.from({ length: N }, (_, i) => (x[f * hop + i] ?? 0) * hann[i]);
        spec.set(f, core.stageFftPower(w));
      }
      return spec.get(f)!;
    };
    const frameCount = Math.floor((x.length - N) / hop) + 1;
    for (let p = 0; p < frames.length; p++) {
      const f = frames[p];
      const b = bins[p];
      const v = frameAt(f)[b];
      for (let g = Math.max(0, f - 10); g <= Math.min(frameCount - 1, f + 10); g++) {
        const row = frameAt(g);
        for (let c = Math.max(0, b - 12); c <= Math.min(255, b + 12); c++) {
          expect(row[c]).toBeLessThanOrEqual(v * (1 + 1e-5));
        }
      }
    }
  });
});
