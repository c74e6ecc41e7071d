import { Buf32 } from '../mem';

// Real-input FFT of size N through one complex FFT of size N/2 (the even
// samples as real parts, the odd ones as imaginary parts) and a split step.
// Twiddles and the bit-reversal table are computed once per size.

const HALF: f32 = 0.5;
let fftSize: i32 = 0;
let half: i32 = 0;
const re = new Buf32();
const im = new Buf32();
const twRe = new Buf32(); // exp(-2πik/N), k < N/2: the split step uses all of them,
const twIm = new Buf32(); // the half-size transform uses the even ones.
const bitrev = new Buf32();
// Per-stage twiddles, contiguous so that four butterflies load theirs at once: the stage of length
// len (≥ 8) keeps exp(-2πik/len), k < len/2, from index len/2 − 4.
const stageRe = new Buf32();
const stageIm = new Buf32();

export function fft_setup(size: i32): void {
  if (size == fftSize) return;
  fftSize = size;
  half = size >> 1;
  re.resize(half);
  im.resize(half);
  twRe.resize(half);
  twIm.resize(half);
  for (let k = 0; k < half; k++) {
    const angle = (-2.0 * Math.PI * <f64>k) / <f64>size;
    twRe.setF32(k, <f32>Math.cos(angle));
    twIm.setF32(k, <f32>Math.sin(angle));
  }
  stageRe.resize(max(half - 4, 0));
  stageIm.resize(max(half - 4, 0));
  for (let len = 8; len <= half; len <<= 1) {
    const halfLen = len >> 1;
    for (let k = 0; k < halfLen; k++) {
      stageRe.setF32(halfLen - 4 + k, twRe.f32At(k * (size / len)));
      stageIm.setF32(halfLen - 4 + k, twIm.f32At(k * (size / len)));
    }
  }
  bitrev.resize(half);
  let bits = 0;
  while ((1 << bits) < half) bits++;
  for (let i = 0; i < half; i++) {
    let r = 0;
    for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
    bitrev.setU32(i, <u32>r);
  }
}

/**
 * Power spectrum |X[k]|², k = 0 … N/2 − 1, of `size` real samples at `input`
 * (already windowed). Writes N/2 f32 values to `powerOut`.
 */
export function fft_power(input: usize, powerOut: usize): void {
  const n = half;
  const reP = re.ptr;
  const imP = im.ptr;
  // Pack even/odd samples as complex values in bit-reversed order.
  for (let i = 0; i < n; i++) {
    const j = <usize>bitrev.u32At(i);
    store<f32>(reP + (j << 2), load<f32>(input + (<usize>(i << 1) << 2)));
    store<f32>(imP + (j << 2), load<f32>(input + (<usize>((i << 1) + 1) << 2)));
  }
  // Iterative radix-2 decimation in time; the size-n transform uses twiddle index k·(N/len).
  // All stages four butterflies at a time (WASM SIMD); the first two (butterflies 1 and 2 apart) in
  // blocks of eight values, their halves gathered into lanes by shuffles. Every lane does the scalar
  // butterfly's arithmetic op for op, so the result is the same to the bit.
  if (n >= 8) {
    const w2r = f32x4.splat(load<f32>(twRe.ptr));
    const w2i = f32x4.splat(load<f32>(twIm.ptr));
    const q = <usize>(fftSize >> 2) << 2; // twiddle k = 1 of the stage of length 4
    let w4r = f32x4.splat(load<f32>(twRe.ptr));
    w4r = f32x4.replace_lane(w4r, 1, load<f32>(twRe.ptr + q));
    w4r = f32x4.replace_lane(w4r, 3, load<f32>(twRe.ptr + q));
    let w4i = f32x4.splat(load<f32>(twIm.ptr));
    w4i = f32x4.replace_lane(w4i, 1, load<f32>(twIm.ptr + q));
    w4i = f32x4.replace_lane(w4i, 3, load<f32>(twIm.ptr + q));
    for (let start = 0; start < n; start += 8) {
      const o = <usize>start << 2;
      let r0 = v128.load(reP + o);
      let r1 = v128.load(reP + o, 16);
      let i0 = v128.load(imP + o);
      let i1 = v128.load(imP + o, 16);
      // Length 2: butterflies (0, 1), (2, 3), … : lanes a = even values, b = odd ones.
      let ar = v128.shuffle<f32>(r0, r1, 0, 2, 4, 6);
      let br = v128.shuffle<f32>(r0, r1, 1, 3, 5, 7);
      let ai = v128.shuffle<f32>(i0, i1, 0, 2, 4, 6);
      let bi = v128.shuffle<f32>(i0, i1, 1, 3, 5, 7);
      let tr = f32x4.sub(f32x4.mul(br, w2r), f32x4.mul(bi, w2i));
      let ti = f32x4.add(f32x4.mul(br, w2i), f32x4.mul(bi, w2r));
      let xr = f32x4.add(ar, tr);
      let yr = f32x4.sub(ar, tr);
      let xi = f32x4.add(ai, ti);
      let yi = f32x4.sub(ai, ti);
      r0 = v128.shuffle<f32>(xr, yr, 0, 4, 1, 5);
      r1 = v128.shuffle<f32>(xr, yr, 2, 6, 3, 7);
      i0 = v128.shuffle<f32>(xi, yi, 0, 4, 1, 5);
      i1 = v128.shuffle<f32>(xi, yi, 2, 6, 3, 7);
      // Length 4: butterflies (0, 2), (1, 3), (4, 6), (5, 7), twiddles k = 0, 1, 0, 1.
      ar = v128.shuffle<f32>(r0, r1, 0, 1, 4, 5);
      br = v128.shuffle<f32>(r0, r1, 2, 3, 6, 7);
      ai = v128.shuffle<f32>(i0, i1, 0, 1, 4, 5);
      bi = v128.shuffle<f32>(i0, i1, 2, 3, 6, 7);
      tr = f32x4.sub(f32x4.mul(br, w4r), f32x4.mul(bi, w4i));
      ti = f32x4.add(f32x4.mul(br, w4i), f32x4.mul(bi, w4r));
      xr = f32x4.add(ar, tr);
      yr = f32x4.sub(ar, tr);
      xi = f32x4.add(ai, ti);
      yi = f32x4.sub(ai, ti);
      v128.store(reP + o, v128.shuffle<f32>(xr, yr, 0, 1, 4, 5));
      v128.store(reP + o, v128.shuffle<f32>(xr, yr, 2, 3, 6, 7), 16);
      v128.store(imP + o, v128.shuffle<f32>(xi, yi, 0, 1, 4, 5));
      v128.store(imP + o, v128.shuffle<f32>(xi, yi, 2, 3, 6, 7), 16);
    }
  } else {
    for (let len = 2; len <= min(n, 4); len <<= 1) {
      const halfLen = len >> 1;
      const step = fftSize / len;
      for (let start = 0; start < n; start += len) {
        for (let k = 0; k < halfLen; k++) {
          const w = <usize>(k * step) << 2;
          const wr = load<f32>(twRe.ptr + w);
          const wi = load<f32>(twIm.ptr + w);
          const a = <usize>(start + k) << 2;
          const b = <usize>(start + k + halfLen) << 2;
          const br = load<f32>(reP + b);
          const bi = load<f32>(imP + b);
          const tr = br * wr - bi * wi;
          const ti = br * wi + bi * wr;
          const ar = load<f32>(reP + a);
          const ai = load<f32>(imP + a);
          store<f32>(reP + a, ar + tr);
          store<f32>(imP + a, ai + ti);
          store<f32>(reP + b, ar - tr);
          store<f32>(imP + b, ai - ti);
        }
      }
    }
  }
  for (let len = 8; len <= n; len <<= 1) {
    const halfLen = len >> 1;
    const twR = stageRe.ptr + (<usize>(halfLen - 4) << 2);
    const twI = stageIm.ptr + (<usize>(halfLen - 4) << 2);
    for (let start = 0; start < n; start += len) {
      for (let k = 0; k < halfLen; k += 4) {
        const wr = v128.load(twR + (<usize>k << 2));
        const wi = v128.load(twI + (<usize>k << 2));
        const a = <usize>(start + k) << 2;
        const b = <usize>(start + k + halfLen) << 2;
        const br = v128.load(reP + b);
        const bi = v128.load(imP + b);
        const tr = f32x4.sub(f32x4.mul(br, wr), f32x4.mul(bi, wi));
        const ti = f32x4.add(f32x4.mul(br, wi), f32x4.mul(bi, wr));
        const ar = v128.load(reP + a);
        const ai = v128.load(imP + a);
        v128.store(reP + a, f32x4.add(ar, tr));
        v128.store(imP + a, f32x4.add(ai, ti));
        v128.store(reP + b, f32x4.sub(ar, tr));
        v128.store(imP + b, f32x4.sub(ai, ti));
      }
    }
  }
  // Split: X[k] = E[k] + W^k O[k], with E = (Z[k] + conj Z[n−k]) / 2, O = (Z[k] − conj Z[n−k]) / 2i.
  const z0r = load<f32>(reP);
  const z0i = load<f32>(imP);
  const dc = z0r + z0i;
  store<f32>(powerOut, dc * dc);
  // Four bins at a time from k = 1 (Z[n − k] … Z[n − k − 3] loaded as one vector and reversed); the
  // lanes do the scalar arithmetic op for op, so the power is the same to the bit. The last ones one at a time.
  const halfV = f32x4.splat(HALF);
  const minusHalfV = f32x4.splat(-HALF);
  let k = 1;
  for (; k + 4 <= n; k += 4) {
    const ko = <usize>k << 2;
    const mo = <usize>(n - k - 3) << 2;
    const zr = v128.load(reP + ko);
    const zi = v128.load(imP + ko);
    const cr = reversed(v128.load(reP + mo));
    const ci = f32x4.neg(reversed(v128.load(imP + mo)));
    const er = f32x4.mul(halfV, f32x4.add(zr, cr));
    const ei = f32x4.mul(halfV, f32x4.add(zi, ci));
    const or = f32x4.mul(halfV, f32x4.sub(zi, ci));
    const oi = f32x4.mul(minusHalfV, f32x4.sub(zr, cr));
    const wr = v128.load(twRe.ptr + ko);
    const wi = v128.load(twIm.ptr + ko);
    const xr = f32x4.add(er, f32x4.sub(f32x4.mul(or, wr), f32x4.mul(oi, wi)));
    const xi = f32x4.add(ei, f32x4.add(f32x4.mul(or, wi), f32x4.mul(oi, wr)));
    v128.store(powerOut + ko, f32x4.add(f32x4.mul(xr, xr), f32x4.mul(xi, xi)));
  }
  for (; k < n; k++) {
    const zr = load<f32>(reP + (<usize>k << 2));
    const zi = load<f32>(imP + (<usize>k << 2));
    const cr = load<f32>(reP + (<usize>(n - k) << 2));
    const ci = -load<f32>(imP + (<usize>(n - k) << 2));
    const er: f32 = HALF * (zr + cr);
    const ei: f32 = HALF * (zi + ci);
    // (z − c) / 2i = (zi − ci)/2 − i (zr − cr)/2
    const or: f32 = HALF * (zi - ci);
    const oi: f32 = -HALF * (zr - cr);
    const wr = twRe.f32At(k);
    const wi = twIm.f32At(k);
    const xr = er + (or * wr - oi * wi);
    const xi = ei + (or * wi + oi * wr);
    store<f32>(powerOut + (<usize>k << 2), xr * xr + xi * xi);
  }
}

@inline function reversed(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 3, 2, 1, 0);
}
