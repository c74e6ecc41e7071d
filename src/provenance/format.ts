// Which container a file is, for the C2PA reader: it needs the format named, and a dropped
// file's MIME type is often empty or generic. Only the containers C2PA defines an embedding for
// and c2pa-web reads are named; the others (Ogg, Opus, FLAC, …) cannot carry embedded credentials.

export type C2paAudioFormat = 'audio/mpeg' | 'audio/wav' | 'audio/mp4';

/** Bytes enough to tell the containers apart. */
export const SNIFF_BYTES = 12;

const ascii = (bytes: Uint8Array, start: number, text: string) => [...text].every((c, i) => bytes[start + i] === c.charCodeAt(0));

/** The C2PA format of a file from its first bytes, or null when C2PA cannot be embedded in it. */
export function sniffC2paFormat(head: Uint8Array): C2paAudioFormat | null {
  if (head.length >= 3 && ascii(head, 0, 'ID3')) return 'audio/mpeg';
  // An MP3 frame sync (11 set bits) with a valid layer, as in a file without ID3 tag.
  if (head.length >= 2 && head[0] === 0xff && (head[1] & 0xe0) === 0xe0 && (head[1] & 0x06) !== 0) return 'audio/mpeg';
  if (head.length >= 12 && ascii(head, 0, 'RIFF') && ascii(head, 8, 'WAVE')) return 'audio/wav';
  if (head.length >= 8 && ascii(head, 4, 'ftyp')) return 'audio/mp4';
  return null;
}

/** A short name of a container C2PA cannot be embedded in, for the message that says so. */
export function containerName(head: Uint8Array, fileName: string): string {
  if (head.length >= 4 && ascii(head, 0, 'OggS')) return 'Ogg';
  if (head.length >= 4 && ascii(head, 0, 'fLaC')) return 'FLAC';
  const ext = /\.([a-z0-9]{1,5})$/i.exec(fileName)?.[1];
  return ext ? ext.toUpperCase() : 'this kind of';
}
