/**
 * The last `capacitySec` seconds of a live signal in a ring buffer: chunks go in as they
 * arrive, and `latest()` copies out the most recent audio in time order. Copying 12 s at
 * 16 kHz (768 KB) takes well under a millisecond, so the main thread can afford it per check.
 */
export class RollingWindow {
  readonly capacitySamples: number;
  private readonly ring: Float32Array;
  /** Samples written since the start (or the last clear). */
  private written = 0;

  constructor(readonly sampleRateHz: number, capacitySec: number) {
    this.capacitySamples = Math.max(1, Math.round(sampleRateHz * capacitySec));
    this.ring = new Float32Array(this.capacitySamples);
  }

  push(samples: Float32Array): void {
    const cap = this.capacitySamples;
    // Only the tail of a chunk longer than the ring can survive.
    const src = samples.length > cap ? samples.subarray(samples.length - cap) : samples;
    const at = (this.written + samples.length - src.length) % cap;
    const first = Math.min(src.length, cap - at);
    this.ring.set(src.subarray(0, first), at);
    if (first < src.length) this.ring.set(src.subarray(first), 0);
    this.written += samples.length;
  }

  /** Seconds of signal received in total. */
  get totalSec(): number {
    return this.written / this.sampleRateHz;
  }

  /** Seconds available in the window (at most its capacity). */
  get filledSec(): number {
    return Math.min(this.written, this.capacitySamples) / this.sampleRateHz;
  }

  /** A copy of the most recent `maxSec` (default: all held), oldest sample first. */
  latest(maxSec = Infinity): Float32Array {
    const cap = this.capacitySamples;
    const n = Math.min(this.written, cap, Math.round(maxSec * this.sampleRateHz));
    const out = new Float32Array(n);
    const end = this.written % cap;
    const start = (end - n + cap) % cap;
    if (start + n <= cap) {
      out.set(this.ring.subarray(start, start + n));
    } else {
      const head = cap - start;
      out.set(this.ring.subarray(start), 0);
      out.set(this.ring.subarray(0, n - head), head);
    }
    return out;
  }

  clear(): void {
    this.written = 0;
  }
}
