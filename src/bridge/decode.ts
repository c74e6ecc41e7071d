import type { AudioInput } from '../core/types';
import { checkFileSize, InputError, undecodableMessage } from '../core/validate';

/** Browsers resample while decoding; 16 kHz keeps what the core analyses (it works at 8 kHz) and halves the data of 32 kHz. */
export const DECODE_RATE_HZ = 16000;

export interface DecodedAudio extends AudioInput {
  durationSec: number;
}

/**
 * Decodes a file with Web Audio on the main thread (workers have no
 * AudioContext). The channels' buffers are then transferred to a worker.
 */
export async function decodeAudioFile(file: Blob, name: string, signal?: AbortSignal): Promise<DecodedAudio> {
  checkFileSize(name, file.size);
  const bytes = await file.arrayBuffer();
  signal?.throwIfAborted();
  const context = new OfflineAudioContext(1, 1, DECODE_RATE_HZ);
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(bytes);
  } catch {
    throw new InputError(undecodableMessage(name));
  }
  signal?.throwIfAborted();
  const channels = Array.from({ length: buffer.numberOfChannels }, (_, c) => buffer.getChannelData(c));
  return { sampleRateHz: buffer.sampleRate, channels, durationSec: buffer.duration };
}

/** Min/max pairs per pixel column for the waveform view, so wavesurfer never decodes the file again. */
export function waveformPeaks(audio: AudioInput, columns = 1600): Float32Array {
  const data = audio.channels[0];
  const out = new Float32Array(columns);
  const per = Math.max(1, Math.floor(data.length / columns));
  for (let c = 0; c < columns; c++) {
    let peak = 0;
    const end = Math.min(data.length, (c + 1) * per);
    for (let i = c * per; i < end; i++) {
      let v = 0;
      for (const ch of audio.channels) v += ch[i];
      v = Math.abs(v / audio.channels.length);
      if (v > peak) peak = v;
    }
    out[c] = peak;
  }
  return out;
}
