import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import type { Core } from '../../src/core/wasm-core';

const sine = (hz: number, rate: number, sec: number, amp = 0.5) =>
  Float32Array.from({ length: Math.round(rate * sec) }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

describe('downmix and resampling to 8 kHz (WASM)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  for (const rate of [44100, 48000, 22050, 16000, 11025]) {
    it(`keeps a 1 kHz tone at ${rate} Hz: same level, right bin, right length`, () => {
      const fp = core.analyse({ sampleRateHz: rate, channels: [sine(1000, rate, 3)] });
      expect(fp.rms).toBeCloseTo(0.5 / Math.SQRT2, 2);
      expect(fp.durationSec).toBeCloseTo(3, 6);
      // 3 s at 8 kHz = 24,000 samples → (24000 − 512) / 64 + 1 = 368 frames.
      expect(fp.frameCount).toBe(368);
      expect(new Set(core.lastPeaks().bins)).toEqual(new Set([64]));
    });
  }

  it('removes a tone above the new Nyquist frequency instead of aliasing it', () => {
    const fp = core.analyse({ sampleRateHz: 44100, channels: [sine(6000, 44100, 3)] });
    // −40 dB or more below the 0.354 RMS it had.
    expect(fp.rms).toBeLessThan(0.0035);
  });

  it('downmixes channels by averaging', () => {
    const a = sine(1000, 48000, 3);
    const silent = new Float32Array(a.length);
    const fp = core.analyse({ sampleRateHz: 48000, channels: [a, silent] });
    expect(fp.rms).toBeCloseTo(0.25 / Math.SQRT2, 2);
    // Opposite phases cancel.
    const cancelled = core.analyse({ sampleRateHz: 48000, channels: [a, a.map((v) => -v)] });
    expect(cancelled.rms).toBeLessThan(1e-6);
  });

  it('gives the same fingerprint whatever the chunk size', () => {
    const x = Float32Array.from({ length: 44100 * 4 }, (_, i) => Math.sin(i * 0.05) * Math.sin(i * 0.0003) + 0.3 * Math.sin(i * 0.31));
    const whole = core.analyse({ sampleRateHz: 44100, channels: [x] }, { chunkSamples: x.length });
    const chunked = core.analyse({ sampleRateHz: 44100, channels: [x] }, { chunkSamples: 1000 });
    expect(chunked.frameCount).toBe(whole.frameCount);
    expect(Array.from(chunked.hashes)).toEqual(Array.from(whole.hashes));
    expect(Array.from(chunked.hashFrames)).toEqual(Array.from(whole.hashFrames));
  });
});
