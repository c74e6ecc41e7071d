import { Buf32 } from '../mem';
import { FFT_SIZE, HOP_SAMPLES } from '../config';
import { fft_setup, fft_power } from './fft';
import { window_hann } from './window';

// Short-time power spectrum over a stream of samples at the analysis rate:
// frame k covers samples [k·HOP, k·HOP + FFT_SIZE).

const hann = new Buf32();
const frameIn = new Buf32(); // windowed frame
const tail = new Buf32(); // samples not yet covered by a full frame
export const framePower = new Buf32(); // power of the latest frame, FFT_SIZE/2 bins

export function spectrum_begin(): void {
  if (hann.length != FFT_SIZE) window_hann(hann, FFT_SIZE);
  fft_setup(FFT_SIZE);
  frameIn.resize(FFT_SIZE);
  framePower.resize(FFT_SIZE >> 1);
  tail.clear();
}

/**
 * Appends `count` samples and calls `onFrame` once per completed frame, with
 * the frame's power spectrum in `framePower`. Returns the number of frames.
 */
export function spectrum_push(samples: usize, count: i32, onFrame: () => void): i32 {
  const at = tail.length;
  tail.resize(at + count);
  memory.copy(tail.ptr + (<usize>at << 2), samples, <usize>count << 2);
  let frames = 0;
  let start = 0;
  while (start + FFT_SIZE <= tail.length) {
    const src = tail.ptr + (<usize>start << 2);
    for (let i = 0; i < FFT_SIZE; i += 4) {
      const o = <usize>i << 2;
      v128.store(frameIn.ptr + o, f32x4.mul(v128.load(src + o), v128.load(hann.ptr + o)));
    }
    fft_power(frameIn.ptr, framePower.ptr);
    onFrame();
    frames++;
    start += HOP_SAMPLES;
  }
  if (start > 0) {
    const remaining = tail.length - start;
    memory.copy(tail.ptr, tail.ptr + (<usize>start << 2), <usize>remaining << 2);
    tail.length = remaining;
  }
  return frames;
}
