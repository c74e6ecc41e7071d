import { parseMidi, summariseMidi, type MidiSummary } from '../../core/midi-melody';

/** The tracks of a MIDI file with notes, and the one the default rule takes for the melody. */
export function readMidiTracks(name: string, bytes: Uint8Array): MidiSummary {
  return summariseMidi(name, parseMidi(name, bytes));
}
