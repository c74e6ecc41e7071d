import type { AudioInput } from '../core/types';

/** Parses a RIFF/WAVE file: PCM 8/16/24/32-bit, IEEE float 32/64, and WAVE_FORMAT_EXTENSIBLE. Throws on anything else. */
export function parseWav(bytes: Uint8Array): AudioInput {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a WAV file');
  let format = 0;
  let channels = 0;
  let sampleRateHz = 0;
  let bits = 0;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      format = view.getUint16(body, true);
      channels = view.getUint16(body + 2, true);
      sampleRateHz = view.getUint32(body + 4, true);
      bits = view.getUint16(body + 14, true);
      if (format === 0xfffe && size >= 26) format = view.getUint16(body + 24, true);
    } else if (id === 'data') {
      if (!channels || !sampleRateHz || !bits) throw new Error('WAV data before its format chunk');
      const bytesPerSample = bits / 8;
      // A truncated file keeps what it has; the size field may claim more (or 0xFFFFFFFF when streamed).
      const available = Math.min(size, bytes.length - body);
      const frames = Math.floor(available / (bytesPerSample * channels));
      const out = Array.from({ length: channels }, () => new Float32Array(frames));
      const read = sampleReader(view, format, bits);
      for (let i = 0; i < frames; i++) {
        for (let c = 0; c < channels; c++) out[c][i] = read(body + (i * channels + c) * bytesPerSample);
      }
      return { sampleRateHz, channels: out };
    }
    at = body + size + (size & 1);
  }
  throw new Error('WAV file has no audio data');
}

function sampleReader(view: DataView, format: number, bits: number): (at: number) => number {
  if (format === 1) {
    if (bits === 8) return (at) => (view.getUint8(at) - 128) / 128;
    if (bits === 16) return (at) => view.getInt16(at, true) / 32768;
    if (bits === 24) return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16))) / 8388608;
    if (bits === 32) return (at) => view.getInt32(at, true) / 2147483648;
  }
  if (format === 3) {
    if (bits === 32) return (at) => view.getFloat32(at, true);
    if (bits === 64) return (at) => view.getFloat64(at, true);
  }
  throw new Error(`unsupported WAV encoding (format ${format}, ${bits} bits)`);
}
