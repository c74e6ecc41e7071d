// Chroma feature extraction (frame level) + blocking. Plain Node ESM.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const SR = 11025, N = 2048, HOP = 256; // hop 23.2 ms (frames averaged into blocks later)
export const FMIN = 65, FMAX = 2000;

export function decode(file) {
  const buf = execFileSync('sox', [file, '-t', 'raw', '-r', String(SR), '-c', '1', '-b', '16', '-e', 'signed-integer', '-L', '-'], { maxBuffer: 1 << 30 });
  const n = buf.length >> 1; const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = buf.readInt16LE(2 * i) / 32768;
  return x;
}

// radix-2 FFT, in place
const LOG = Math.log2(N);
const rev = new Uint32Array(N); for (let i = 0; i < N; i++) { let r = 0; for (let b = 0; b < LOG; b++) if (i & (1 << b)) r |= 1 << (LOG - 1 - b); rev[i] = r; }
const cosT = new Float64Array(N / 2), sinT = new Float64Array(N / 2);
for (let i = 0; i < N / 2; i++) { cosT[i] = Math.cos(-2 * Math.PI * i / N); sinT[i] = Math.sin(-2 * Math.PI * i / N); }
function fft(re, im) {
  for (let i = 0; i < N; i++) { const j = rev[i]; if (j > i) { let t = re[i]; re[i] = re[j]; re[j] = t; t = im[i]; im[i] = im[j]; im[j] = t; } }
  for (let size = 2; size <= N; size <<= 1) {
    const half = size >> 1, step = N / size;
    for (let s = 0; s < N; s += size) for (let k = 0; k < half; k++) {
      const c = cosT[k * step], sn = sinT[k * step], a = s + k, b = a + half;
      const tr = re[b] * c - im[b] * sn, ti = re[b] * sn + im[b] * c;
      re[b] = re[a] - tr; im[b] = im[a] - ti; re[a] += tr; im[a] += ti;
    }
  }
}
const hann = new Float64Array(N); for (let i = 0; i < N; i++) hann[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / N);
// bin -> pitch class mapping: nearest semitone, weight cos^2(pi*d) (d = distance to nearest semitone, |d|<=0.5)
const binPc = [], binW = [];
const kmin = Math.ceil(FMIN * N / SR), kmax = Math.floor(FMAX * N / SR);
for (let k = kmin; k <= kmax; k++) {
  const f = k * SR / N, midi = 69 + 12 * Math.log2(f / 440), r = Math.round(midi), d = midi - r;
  binPc.push(((r % 12) + 12) % 12); binW.push(Math.cos(Math.PI * d) ** 2);
}

// returns {frames: Float32Array(nFrames*13)} : 12 pitch-class magnitudes + frame rms
export function frameChroma(x) {
  const nF = Math.max(0, Math.floor((x.length - N) / HOP) + 1);
  const out = new Float32Array(nF * 13);
  const re = new Float64Array(N), im = new Float64Array(N);
  for (let f = 0; f < nF; f++) {
    const o = f * HOP; let e = 0;
    for (let i = 0; i < N; i++) { const v = x[o + i]; re[i] = v * hann[i]; im[i] = 0; e += v * v; }
    fft(re, im);
    for (let b = 0; b < binPc.length; b++) { const k = kmin + b; const m = Math.hypot(re[k], im[k]); out[f * 13 + binPc[b]] += binW[b] * m; }
    out[f * 13 + 12] = Math.sqrt(e / N);
  }
  return out;
}

export function cachedFrames(corpusDir, rel, cacheDir) {
  const cf = path.join(cacheDir, rel.replace(/[\/]/g, '__') + '.f32');
  if (fs.existsSync(cf)) { const b = fs.readFileSync(cf); return new Float32Array(b.buffer, b.byteOffset, b.length / 4); }
  const fr = frameChroma(decode(path.join(corpusDir, rel)));
  fs.mkdirSync(cacheDir, { recursive: true }); fs.writeFileSync(cf, Buffer.from(fr.buffer));
  return fr;
}

// blocks: average frames into blocks of blockSec, compress (sqrt), L2-normalise; silent blocks (rms < -50 dBFS) -> zero vector
export function blocks(fr, blockSec, compress = 'sqrt') {
  const nF = fr.length / 13, per = Math.max(1, Math.round(blockSec * SR / HOP));
  const nB = Math.floor(nF / per); const B = new Float32Array(nB * 12);
  for (let b = 0; b < nB; b++) {
    let rms = 0; const v = new Float64Array(12);
    for (let f = b * per; f < (b + 1) * per; f++) { for (let p = 0; p < 12; p++) v[p] += fr[f * 13 + p]; rms += fr[f * 13 + 12]; }
    rms /= per; if (rms < 0.00316) continue; // -50 dBFS
    let nn = 0;
    for (let p = 0; p < 12; p++) { v[p] = compress === 'sqrt' ? Math.sqrt(v[p] / per) : compress === 'log' ? Math.log1p(v[p] / per) : v[p] / per; nn += v[p] * v[p]; }
    nn = Math.sqrt(nn); if (nn > 0) for (let p = 0; p < 12; p++) B[b * 12 + p] = v[p] / nn;
  }
  return { B, n: nB };
}
