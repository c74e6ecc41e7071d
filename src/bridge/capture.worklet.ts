// The AudioWorklet that taps the microphone on the audio rendering thread. It only
// downmixes to mono and batches samples into ~100 ms chunks (a message per 128-frame
// render quantum would flood the main thread); all analysis happens in the engine's workers.
// Built by Vite as its own module (`?worker&url`) so it loads from 'self' under the CSP.

// The AudioWorkletGlobalScope is not in TypeScript's DOM lib.
declare const sampleRate: number;
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessorBase): void;
declare class AudioWorkletProcessorBase {
  readonly port: MessagePort;
}
const Processor = (globalThis as unknown as { AudioWorkletProcessor: typeof AudioWorkletProcessorBase }).AudioWorkletProcessor;

/** One batch of mono samples at the context's rate, with its level (full scale = 1). */
export interface CaptureChunk {
  samples: Float32Array;
  peak: number;
  rms: number;
}

/** The processor's name; microphone.ts creates the node by it (it cannot import this module: it would run here). */
const CAPTURE_PROCESSOR = 'tunetrace-capture';

class CaptureProcessor extends Processor {
  // 100 ms at the context's rate.
  private readonly chunkSamples = Math.max(128, Math.round(sampleRate / 10));
  private buffer = new Float32Array(this.chunkSamples);
  private filled = 0;

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    if (!channels || channels.length === 0) return true;
    const frames = channels[0].length;
    const scale = 1 / channels.length;
    for (let i = 0; i < frames; i++) {
      let sum = 0;
      for (let c = 0; c < channels.length; c++) sum += channels[c][i];
      this.buffer[this.filled++] = sum * scale;
      if (this.filled === this.chunkSamples) this.flush();
    }
    return true;
  }

  private flush(): void {
    const samples = this.buffer;
    let peak = 0;
    let energy = 0;
    for (let i = 0; i < samples.length; i++) {
      const v = samples[i];
      energy += v * v;
      const a = v < 0 ? -v : v;
      if (a > peak) peak = a;
    }
    const chunk: CaptureChunk = { samples, peak, rms: Math.sqrt(energy / samples.length) };
    this.port.postMessage(chunk, [samples.buffer]);
    this.buffer = new Float32Array(this.chunkSamples);
    this.filled = 0;
  }
}

registerProcessor(CAPTURE_PROCESSOR, CaptureProcessor);
