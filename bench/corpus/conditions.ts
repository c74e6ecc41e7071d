/**
 * Registry of query conditions. Each condition transforms a WAV excerpt of a
 * reference (22050 Hz mono 16-bit) into a query WAV and reports the time ratio
 * and pitch shift it applied. To add a condition, add an entry to CONDITIONS.
 *
 * All transforms are deterministic (sox -R -D, bit-exact ffmpeg, seeded noise).
 */
import { join } from 'node:path';
import { run } from '../../scripts/tunes/render.ts';
import { addNoise, readWav, writeWav } from '../../scripts/tunes/wav.ts';

export const SAMPLE_RATE = 22050;

export interface ConditionContext {
  /** scratch directory private to this call */
  tmpDir: string;
  /** per-query seed (for noise etc.) */
  seed: number;
}

export interface ConditionResult {
  /** query duration / reference duration (1.1 = 10 % longer, slower) */
  timeRatio: number;
  /** query pitch − reference pitch in semitones */
  pitchShiftSemitones: number;
}

export interface Condition {
  name: string;
  group: string;
  /** excerpt length in seconds taken from the reference (default 10) */
  excerptSec?: number;
  /** number of queries for this condition (default 9) */
  count?: number;
  apply(inWav: string, outWav: string, ctx: ConditionContext): Promise<ConditionResult>;
}

const IDENTITY: ConditionResult = { timeRatio: 1, pitchShiftSemitones: 0 };

/** sox with repeatable output, no dither, 22050 Hz mono 16-bit out. */
export async function sox(inWav: string, outWav: string, effects: string[]): Promise<void> {
  await run('sox', ['-R', '-D', '-V1', inWav, '-b', '16', '-c', '1', outWav, ...effects, 'rate', '-v', String(SAMPLE_RATE)]);
}

const ffmpegExact = ['-fflags', '+bitexact', '-flags:a', '+bitexact', '-map_metadata', '-1'];

function noiseCond(kind: 'white' | 'pink', snrDb: number): Condition {
  return {
    name: `noise-${kind}-${snrDb}db`,
    group: 'noise',
    async apply(inWav, outWav, ctx) {
      const pcm = await readWav(inWav);
      addNoise(pcm, kind, snrDb, ctx.seed);
      // keep headroom: scale down if clipping would occur
      let peak = 0;
      for (const v of pcm.channels[0]) peak = Math.max(peak, Math.abs(v));
      if (peak > 0.99) for (let i = 0; i < pcm.channels[0].length; i++) pcm.channels[0][i] *= 0.99 / peak;
      await writeWav(outWav, pcm);
      return IDENTITY;
    },
  };
}

function mp3Cond(kbps: number): Condition {
  return {
    name: `mp3-${kbps}k`,
    group: 'codec',
    async apply(inWav, outWav, ctx) {
      const mp3 = join(ctx.tmpDir, 'q.mp3');
      await run('ffmpeg', ['-y', '-v', 'error', '-i', inWav, '-c:a', 'libmp3lame', '-b:a', `${kbps}k`, ...ffmpegExact, mp3]);
      await run('ffmpeg', ['-y', '-v', 'error', '-i', mp3, '-ac', '1', '-ar', String(SAMPLE_RATE), '-c:a', 'pcm_s16le', ...ffmpegExact, outWav]);
      return IDENTITY;
    },
  };
}

function pitchCond(semitones: number): Condition {
  return {
    name: `pitch${semitones > 0 ? '+' : ''}${semitones}`,
    group: 'pitch',
    async apply(inWav, outWav) {
      await sox(inWav, outWav, ['pitch', String(semitones * 100)]);
      return { timeRatio: 1, pitchShiftSemitones: semitones };
    },
  };
}

function tempoCond(factor: number): Condition {
  return {
    name: `tempo-${factor.toFixed(2)}`,
    group: 'tempo',
    async apply(inWav, outWav) {
      // sox tempo f: plays f× as fast, pitch kept → duration / f
      await sox(inWav, outWav, ['tempo', '-m', String(factor)]);
      return { timeRatio: 1 / factor, pitchShiftSemitones: 0 };
    },
  };
}

function speedCond(factor: number): Condition {
  return {
    name: `speed-${factor.toFixed(2)}`,
    group: 'speed',
    async apply(inWav, outWav) {
      // sox speed f: like a faster turntable: duration / f, pitch × f
      await sox(inWav, outWav, ['speed', String(factor)]);
      return { timeRatio: 1 / factor, pitchShiftSemitones: 12 * Math.log2(factor) };
    },
  };
}

export const CONDITIONS: Condition[] = [
  { name: 'clean', group: 'clean', apply: async (i, o) => (await sox(i, o, []), IDENTITY) },
  noiseCond('white', 20),
  noiseCond('white', 10),
  noiseCond('white', 5),
  noiseCond('pink', 10),
  mp3Cond(64),
  mp3Cond(32),
  {
    name: 'phone-band',
    group: 'codec',
    async apply(inWav, outWav, ctx) {
      const mid = join(ctx.tmpDir, 'phone8k.wav');
      await run('sox', ['-R', '-D', '-V1', inWav, '-b', '16', '-r', '8000', mid, 'sinc', '300-3400']);
      await sox(mid, outWav, []);
      return IDENTITY;
    },
  },
  { name: 'volume-20db', group: 'volume', apply: async (i, o) => (await sox(i, o, ['gain', '-20']), IDENTITY) },
  { name: 'reverb', group: 'reverb', apply: async (i, o) => (await sox(i, o, ['gain', '-3', 'reverb', '60', '50', '80']), IDENTITY) },
  pitchCond(-3), pitchCond(-2), pitchCond(-1), pitchCond(1), pitchCond(2), pitchCond(3),
  tempoCond(0.9), tempoCond(0.95), tempoCond(1.05), tempoCond(1.1),
  speedCond(0.92), speedCond(0.96), speedCond(1.04), speedCond(1.08),
  { name: 'short-5s', group: 'short', excerptSec: 5, count: 10, apply: async (i, o) => (await sox(i, o, []), IDENTITY) },
];
