/**
 * Tiny Standard MIDI File (SMF) writer: format 1, multiple tracks, one tempo,
 * program changes, note on/off. No dependencies.
 */

export interface MidiEvent {
  /** absolute time in ticks */
  tick: number;
  /** raw MIDI bytes (status + data) or a meta event */
  data: number[];
  /** ordering tie-break within the same tick: lower first (note-offs before note-ons) */
  order: number;
}

export interface MidiTrack {
  name?: string;
  events: MidiEvent[];
}

export class MidiWriter {
  readonly ppq: number;
  readonly tracks: MidiTrack[] = [];
  private tempoUsPerQuarter = 500000;

  constructor(ppq = 480) {
    this.ppq = ppq;
  }

  /** Set tempo in beats per minute (written to the first track). */
  setTempo(bpm: number): void {
    this.tempoUsPerQuarter = Math.round(60_000_000 / bpm);
  }

  get bpm(): number {
    return 60_000_000 / this.tempoUsPerQuarter;
  }

  /** Convert seconds to ticks at the current (single) tempo. */
  secToTick(sec: number): number {
    return Math.max(0, Math.round((sec * 1_000_000 * this.ppq) / this.tempoUsPerQuarter));
  }

  addTrack(name?: string): MidiTrack {
    const t: MidiTrack = { name, events: [] };
    this.tracks.push(t);
    return t;
  }

  static programChange(track: MidiTrack, tick: number, channel: number, program: number): void {
    track.events.push({ tick, data: [0xc0 | (channel & 15), program & 127], order: 1 });
  }

  static controlChange(track: MidiTrack, tick: number, channel: number, cc: number, value: number): void {
    track.events.push({ tick, data: [0xb0 | (channel & 15), cc & 127, value & 127], order: 0 });
  }

  static note(track: MidiTrack, startTick: number, endTick: number, channel: number, pitch: number, velocity: number): void {
    const p = Math.max(0, Math.min(127, Math.round(pitch)));
    const v = Math.max(1, Math.min(127, Math.round(velocity)));
    const end = Math.max(startTick + 1, endTick);
    track.events.push({ tick: startTick, data: [0x90 | (channel & 15), p, v], order: 3 });
    track.events.push({ tick: end, data: [0x80 | (channel & 15), p, 0], order: 2 });
  }

  /** Serialise to SMF bytes. */
  toBytes(): Uint8Array {
    const out: number[] = [];
    const pushStr = (s: string) => {
      for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
    };
    const push32 = (n: number) => out.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
    const push16 = (n: number) => out.push((n >>> 8) & 255, n & 255);

    // conductor track holds the tempo
    const conductor: MidiTrack = { name: 'conductor', events: [] };
    const t = this.tempoUsPerQuarter;
    conductor.events.push({ tick: 0, data: [0xff, 0x51, 0x03, (t >> 16) & 255, (t >> 8) & 255, t & 255], order: 0 });
    conductor.events.push({ tick: 0, data: [0xff, 0x58, 0x04, 4, 2, 24, 8], order: 0 });
    const all = [conductor, ...this.tracks];

    pushStr('MThd');
    push32(6);
    push16(1);
    push16(all.length);
    push16(this.ppq);

    for (const tr of all) {
      const body: number[] = [];
      if (tr.name) {
        const nameBytes = Array.from(tr.name).map((c) => c.charCodeAt(0) & 127);
        body.push(0x00, 0xff, 0x03, ...varLen(nameBytes.length), ...nameBytes);
      }
      const evs = tr.events
        .map((e, i) => ({ ...e, i }))
        .sort((a, b) => a.tick - b.tick || a.order - b.order || a.i - b.i);
      let last = 0;
      for (const e of evs) {
        body.push(...varLen(e.tick - last), ...e.data);
        last = e.tick;
      }
      body.push(0x00, 0xff, 0x2f, 0x00);
      pushStr('MTrk');
      push32(body.length);
      for (const b of body) out.push(b);
    }
    return Uint8Array.from(out);
  }
}

function varLen(n: number): number[] {
  let v = Math.max(0, Math.floor(n));
  const bytes = [v & 0x7f];
  v >>>= 7;
  while (v > 0) {
    bytes.unshift((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  return bytes;
}
