/**
 * Minimal 16-bit PCM WAV read/write plus deterministic mixing helpers
 * (arithmetic only — no transcendental functions — so results are bit-identical
 * on every machine).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { makeRng } from './compose.ts';

export interface Pcm {
  sampleRate: number;
  /** one Float32Array per channel, samples in [-1, 1) */
  channels: Float32Array[];
}

export async function readWav(path: string): Promise<Pcm> {
  const buf = await readFile(path);
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new Error(`${path}: not a WAV file`);
  let off = 12;
  let fmt: { ch: number; sr: number; bits: number } | null = null;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    let size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      fmt = { ch: buf.readUInt16LE(body + 2), sr: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new Error(`${path}: data before fmt`);
      if (fmt.bits !== 16) throw new Error(`${path}: only 16-bit PCM supported (got ${fmt.bits})`);
      if (size === 0 || body + size > buf.length) size = buf.length - body;
      const n = Math.floor(size / (2 * fmt.ch));
      const channels = Array.from({ length: fmt.ch }, () => new Float32Array(n));
      for (let i = 0; i < n; i++) for (let c = 0; c < fmt.ch; c++) channels[c][i] = buf.readInt16LE(body + 2 * (i * fmt.ch + c)) / 32768;
      return { sampleRate: fmt.sr, channels };
    }
    off = body + size + (size & 1);
  }
  throw new Error(`${path}: no data chunk`);
}

export async function writeWav(path: string, pcm: Pcm): Promise<void> {
  const ch = pcm.channels.length;
  const n = pcm.channels[0].length;
  const buf = Buffer.alloc(44 + n * ch * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + n * ch * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(ch, 22);
  buf.writeUInt32LE(pcm.sampleRate, 24);
  buf.writeUInt32LE(pcm.sampleRate * ch * 2, 28);
  buf.writeUInt16LE(ch * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(n * ch * 2, 40);
  let o = 44;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < ch; c++) {
      const v = Math.round(pcm.channels[c][i] * 32767);
      buf.writeInt16LE(v > 32767 ? 32767 : v < -32768 ? -32768 : v, o);
      o += 2;
    }
  await writeFile(path, buf);
}

export function rms(pcm: Pcm, start = 0, end?: number): number {
  let s = 0;
  let n = 0;
  for (const ch of pcm.channels) {
    const e = end ?? ch.length;
    for (let i = start; i < e; i++) s += ch[i] * ch[i];
    n += e - start;
  }
  return n ? Math.sqrt(s / n) : 0;
}

export function dbToGain(db: number): number {
  return 10 ** (db / 20);
}

export function silence(sampleRate: number, numChannels: number, n: number): Pcm {
  return { sampleRate, channels: Array.from({ length: numChannels }, () => new Float32Array(n)) };
}

export function slice(pcm: Pcm, startSec: number, endSec: number): Pcm {
  const a = Math.round(startSec * pcm.sampleRate);
  const b = Math.round(endSec * pcm.sampleRate);
  return { sampleRate: pcm.sampleRate, channels: pcm.channels.map((c) => c.slice(a, b)) };
}

/**
 * Add `src` (times gain) into `dst` starting at `atSec`, with linear fade in/out
 * of `fadeSec` on the source.
 */
export function mixInto(dst: Pcm, src: Pcm, atSec: number, gain = 1, fadeSec = 0): void {
  const at = Math.round(atSec * dst.sampleRate);
  const n = src.channels[0].length;
  const f = Math.round(fadeSec * dst.sampleRate);
  for (let c = 0; c < dst.channels.length; c++) {
    const s = src.channels[Math.min(c, src.channels.length - 1)];
    const d = dst.channels[c];
    for (let i = 0; i < n && at + i < d.length; i++) {
      if (at + i < 0) continue;
      let g = gain;
      if (f > 0) {
        if (i < f) g *= i / f;
        else if (i >= n - f) g *= (n - 1 - i) / f;
      }
      d[at + i] += s[i] * g;
    }
  }
}

/** Multiply the region [startSec, endSec) by gain, with linear ramps of rampSec outside it. */
export function duck(pcm: Pcm, startSec: number, endSec: number, gain: number, rampSec: number): void {
  const sr = pcm.sampleRate;
  const a = Math.round(startSec * sr);
  const b = Math.round(endSec * sr);
  const r = Math.max(1, Math.round(rampSec * sr));
  for (const ch of pcm.channels)
    for (let i = Math.max(0, a - r); i < Math.min(ch.length, b + r); i++) {
      let g = gain;
      if (i < a) g = 1 + (gain - 1) * ((i - (a - r)) / r);
      else if (i >= b) g = gain + (1 - gain) * ((i - b) / r);
      ch[i] *= g;
    }
}

/** Scale so the absolute peak equals `peakDb` dBFS. */
export function normalizePeak(pcm: Pcm, peakDb = -1): void {
  let peak = 0;
  for (const ch of pcm.channels) for (const v of ch) peak = Math.max(peak, Math.abs(v));
  if (peak === 0) return;
  const g = dbToGain(peakDb) / peak;
  for (const ch of pcm.channels) for (let i = 0; i < ch.length; i++) ch[i] *= g;
}

/**
 * Deterministic noise with unit RMS. 'white': approx. Gaussian (Irwin–Hall, 12
 * uniforms). 'pink': Paul Kellet's filter over white, rescaled to unit RMS.
 */
export function noise(kind: 'white' | 'pink', n: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = -6;
    for (let k = 0; k < 12; k++) s += rng.next();
    out[i] = s;
  }
  if (kind === 'pink') {
    let b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
    for (let i = 0; i < n; i++) {
      const w = out[i];
      b0 = 0.99886 * b0 + w * 0.0555179;
      b1 = 0.99332 * b1 + w * 0.0750759;
      b2 = 0.969 * b2 + w * 0.153852;
      b3 = 0.8665 * b3 + w * 0.3104856;
      b4 = 0.55 * b4 + w * 0.5329522;
      b5 = -0.7616 * b5 - w * 0.016898;
      out[i] = b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362;
      b6 = w * 0.115926;
    }
  }
  let s = 0;
  for (const v of out) s += v * v;
  const r = Math.sqrt(s / n) || 1;
  for (let i = 0; i < n; i++) out[i] /= r;
  return out;
}

/** The noise RMS that puts `pcm` snrDb above it (RMS over the whole clip). */
export function noiseGainFor(pcm: Pcm, snrDb: number): number {
  return (rms(pcm) || 1e-4) / dbToGain(snrDb);
}

/** Adds noise of RMS `gain` (each channel its own, from `seed`). */
export function addNoiseAtGain(pcm: Pcm, kind: 'white' | 'pink', gain: number, seed: number): void {
  pcm.channels.forEach((ch, c) => {
    const nz = noise(kind, ch.length, seed + c * 7919);
    for (let i = 0; i < ch.length; i++) ch[i] += nz[i] * gain;
  });
}

/** Add noise so that signal RMS / noise RMS = snrDb (RMS over the whole clip). */
export function addNoise(pcm: Pcm, kind: 'white' | 'pink', snrDb: number, seed: number): void {
  addNoiseAtGain(pcm, kind, noiseGainFor(pcm, snrDb), seed);
}
