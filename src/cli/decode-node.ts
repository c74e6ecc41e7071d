import { readFile } from 'node:fs/promises';
import { spawn, spawnSync } from 'node:child_process';
import { extname } from 'node:path';
import type { AudioInput } from '../core/types';
import { checkFileSize, InputError, undecodableMessage } from '../core/validate';
import { parseWav } from './wav';

// Decoding for the CLI and the benchmark. WAV is parsed here; MP3, Ogg Vorbis,
// Opus and FLAC go through eshaz's WebAssembly decoders (the same libmpg123,
// libopus, libvorbis and libFLAC builds browsers use); anything else (AAC/M4A,
// …) through ffmpeg when it is installed.

type Kind = 'wav' | 'mp3' | 'opus' | 'vorbis' | 'flac' | 'other';

export const AUDIO_EXTENSIONS = new Set(['.wav', '.wave', '.mp3', '.ogg', '.oga', '.opus', '.flac', '.m4a', '.aac', '.mp4', '.webm', '.aiff', '.aif']);

function sniff(bytes: Uint8Array, name: string): Kind {
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE') return 'wav';
  if (ascii(0, 4) === 'fLaC') return 'flac';
  if (ascii(0, 4) === 'OggS') {
    const head = ascii(0, Math.min(bytes.length, 128));
    if (head.includes('OpusHead')) return 'opus';
    if (head.includes('vorbis')) return 'vorbis';
    if (head.includes('FLAC')) return 'other';
  }
  if (ascii(0, 3) === 'ID3' || (bytes[0] === 0xff && (bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0)) {
    // 0xFFF… is also ADTS AAC (layer bits 00); only layers I–III are MPEG audio.
    return 'mp3';
  }
  return extname(name).toLowerCase() === '.mp3' ? 'mp3' : 'other';
}

interface Decoded { channelData: Float32Array[]; samplesDecoded: number; sampleRate: number; errors: unknown[] }

async function withDecoder(kind: Kind, bytes: Uint8Array): Promise<Decoded> {
  if (kind === 'mp3') {
    const { MPEGDecoder } = await import('mpg123-decoder');
    const d = new MPEGDecoder();
    await d.ready;
    try { return d.decode(bytes); } finally { d.free(); }
  }
  if (kind === 'opus') {
    const { OggOpusDecoder } = await import('ogg-opus-decoder');
    const d = new OggOpusDecoder();
    await d.ready;
    try { return await d.decodeFile(bytes); } finally { d.free(); }
  }
  if (kind === 'vorbis') {
    const { OggVorbisDecoder } = await import('@wasm-audio-decoders/ogg-vorbis');
    const d = new OggVorbisDecoder();
    await d.ready;
    try { return await d.decodeFile(bytes); } finally { d.free(); }
  }
  const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
  const d = new FLACDecoder();
  await d.ready;
  try { return await d.decodeFile(bytes); } finally { d.free(); }
}

let ffmpegChecked: boolean | undefined;
export function hasFfmpeg(): boolean {
  ffmpegChecked ??= spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;
  return ffmpegChecked;
}

/** Decodes through ffmpeg to mono 32-bit float at 16 kHz (the core takes it to its analysis rate). */
function decodeWithFfmpeg(path: string): Promise<AudioInput> {
  const sampleRateHz = 16000;
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', ['-v', 'error', '-nostdin', '-i', path, '-vn', '-ac', '1', '-ar', String(sampleRateHz), '-f', 'f32le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(stderr.trim().split('\n').pop() ?? `ffmpeg exited with ${code}`));
      const all = Buffer.concat(chunks);
      const samples = new Float32Array(all.buffer.slice(all.byteOffset, all.byteOffset + (all.byteLength & ~3)));
      resolve({ sampleRateHz, channels: [samples] });
    });
  });
}

/** Decodes an audio file. Throws InputError with a message a person can act on. */
export async function decodeFile(path: string, name = path): Promise<AudioInput> {
  const bytes = new Uint8Array(await readFile(path));
  checkFileSize(name, bytes.length);
  const kind = sniff(bytes, name);
  try {
    if (kind === 'wav') return parseWav(bytes);
    if (kind !== 'other') {
      const d = await withDecoder(kind, bytes);
      if (d.samplesDecoded === 0 || d.channelData.length === 0) throw new Error('no samples decoded');
      return { sampleRateHz: d.sampleRate, channels: d.channelData.map((c) => c.subarray(0, d.samplesDecoded)) };
    }
  } catch {
    throw new InputError(undecodableMessage(name));
  }
  if (!hasFfmpeg()) {
    throw new InputError(`“${name}” is not WAV, MP3, Ogg Vorbis, Opus or FLAC; install ffmpeg to read other formats (AAC/M4A…), or convert it.`);
  }
  try {
    return await decodeWithFfmpeg(path);
  } catch {
    throw new InputError(undecodableMessage(name));
  }
}
