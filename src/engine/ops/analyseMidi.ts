import { getCore } from '../load-core';
import { analyseMidi as analyseMidiWith } from '../../core/midi-work';
import type { MidiTrackInfo } from '../../core/midi-melody';
import type { Fingerprint } from '../../core/types';

/** A melody-only fingerprint of one MIDI track (the default track unless `trackNumber` is given). */
export async function analyseMidi(name: string, bytes: Uint8Array, trackNumber?: number): Promise<{ fingerprint: Fingerprint; track: MidiTrackInfo }> {
  const { fingerprint, track } = analyseMidiWith(await getCore(), name, bytes, trackNumber);
  return { fingerprint, track };
}
