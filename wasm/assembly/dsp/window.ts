import { Buf32 } from '../mem';

/** Fills `out` with a periodic Hann window of `size` points (periodic, so hops of size/8 sum evenly). */
export function window_hann(out: Buf32, size: i32): void {
  out.resize(size);
  for (let i = 0; i < size; i++) {
    out.setF32(i, <f32>(0.5 - 0.5 * Math.cos((2.0 * Math.PI * <f64>i) / <f64>size)));
  }
}
