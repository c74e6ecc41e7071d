import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultMelodyTrack, melodyLine, Midi, overlapFraction, parseMidi, skyline, summariseMidi } from '../../src/core/midi-melody';
import { isBelowMelodyRange, LOW_MELODY_MAX_SHARE, lowMelodyWarning, MELODY_TRACKER_MIN_MIDI, type MidiTrackInfo } from '../../src/core/midi-track-info';
import { InputError } from '../../src/core/validate';

// MIDI files are written here with @tonejs/midi's own writer, so the parser reads real SMF bytes.

type NoteSpec = [midi: number, timeSec: number, durationSec: number];
interface TrackSpec {
  name: string;
  channel: number;
  program?: number;
  notes: NoteSpec[];
}

function writeMidi(tracks: TrackSpec[], bpm = 120): Uint8Array {
  const midi = new Midi();
  midi.header.setTempo(bpm);
  for (const spec of tracks) {
    const t = midi.addTrack();
    t.name = spec.name;
    t.channel = spec.channel;
    t.instrument.number = spec.program ?? 0;
    for (const [m, time, duration] of spec.notes) t.addNote({ midi: m, time, duration, velocity: 0.8 });
  }
  return midi.toArray();
}

/** A one-line tune: `n` notes of `step` s from `base`, walking a scale. */
function line(n: number, base: number, step: number, startSec = 0): NoteSpec[] {
  const scale = [0, 2, 4, 5, 7, 9, 7, 4];
  return Array.from({ length: n }, (_, i) => [base + scale[i % scale.length], startSec + i * step, step * 0.9] as NoteSpec);
}

/** Triads every `step` s under a melody. */
function chords(n: number, root: number, step: number): NoteSpec[] {
  return Array.from({ length: n }, (_, i) => [0, 4, 7].map((k) => [root + k + (i % 2) * 5, i * step, step] as NoteSpec)).flat();
}

const melody = line(32, 72, 0.25);
const band: TrackSpec[] = [
  { name: 'Bass', channel: 1, program: 33, notes: line(40, 36, 0.2) }, // busier than the melody, but low
  { name: 'Piano chords', channel: 2, program: 0, notes: chords(16, 60, 0.5) }, // high-ish, but chords
  { name: 'Lead', channel: 0, program: 73, notes: melody },
  { name: 'Drums', channel: 9, notes: Array.from({ length: 64 }, (_, i) => [i % 2 ? 38 : 36, i * 0.125, 0.1] as NoteSpec) },
  { name: 'Pad', channel: 3, program: 89, notes: [[84, 0, 4], [86, 4, 4]] }, // highest, but only two notes
];

describe('MIDI melody: tracks, default pick, skyline', () => {
  it('describes each track with notes, and leaves drums (channel 10) out of the candidates', () => {
    const summary = summariseMidi('band.mid', parseMidi('band.mid', writeMidi(band)));
    expect(summary.tracks.map((t) => t.name)).toEqual(['Bass', 'Piano chords', 'Lead', 'Drums', 'Pad']);
    expect(summary.tracks.map((t) => t.noteCount)).toEqual([40, 48, 32, 64, 2]);
    const drums = summary.tracks.find((t) => t.name === 'Drums')!;
    expect(drums.channel).toBe(10);
    expect(drums.candidate).toBe(false);
    expect(drums.instrument).toBe('drums');
    expect(summary.tracks.find((t) => t.name === 'Lead')!.instrument).toBe('flute');
    expect(summary.tracks.filter((t) => t.candidate).map((t) => t.name)).toEqual(['Bass', 'Piano chords', 'Lead', 'Pad']);
    expect(summary.durationSec).toBeCloseTo(8, 1);
  });

  it('picks the busiest one-line track with the highest notes as the default melody', () => {
    const summary = summariseMidi('band.mid', parseMidi('band.mid', writeMidi(band)));
    expect(summary.tracks.find((t) => t.number === summary.defaultTrack)!.name).toBe('Lead');
    // Without the lead, the bass is the only busy one-line track left (the pad is too sparse, the piano plays chords).
    const noLead = summariseMidi('x.mid', parseMidi('x.mid', writeMidi(band.filter((t) => t.name !== 'Lead'))));
    expect(noLead.tracks.find((t) => t.number === noLead.defaultTrack)!.name).toBe('Bass');
    // Order in the file does not matter.
    const reversed = summariseMidi('r.mid', parseMidi('r.mid', writeMidi([...band].reverse())));
    expect(reversed.tracks.find((t) => t.number === reversed.defaultTrack)!.name).toBe('Lead');
  });

  it('falls back to the chordal tracks when no track is one line, and takes the top line', () => {
    // One piano track: the melody on top of chords.
    const piano = [...chords(16, 55, 0.5), ...line(16, 76, 0.5)];
    const bytes = writeMidi([{ name: 'Piano', channel: 0, notes: piano }]);
    const { notes, track } = melodyLine('piano.mid', parseMidi('piano.mid', bytes));
    expect(track.name).toBe('Piano');
    expect(track.overlapFraction).toBeGreaterThan(0.5);
    expect(notes.map((n) => n.midi)).toEqual(line(16, 76, 0.5).map(([m]) => m));
  });

  it('rule on summaries: mostly one line beats chords; busy enough beats high', () => {
    const t = (number: number, noteCount: number, meanPitch: number, overlap: number, candidate = true): MidiTrackInfo => ({
      number, sourceIndex: number, name: '', instrument: '', channel: number, noteCount, meanPitch, overlapFraction: overlap, lowNoteShare: 0, candidate,
    });
    expect(defaultMelodyTrack([t(1, 100, 70, 0.8), t(2, 60, 65, 0.05)])).toBe(2);
    expect(defaultMelodyTrack([t(1, 100, 60, 0), t(2, 49, 80, 0)])).toBe(1);
    expect(defaultMelodyTrack([t(1, 100, 60, 0), t(2, 50, 80, 0)])).toBe(2);
    expect(defaultMelodyTrack([t(1, 300, 90, 0, false), t(2, 20, 50, 0)])).toBe(2);
  });

  it('skyline: the highest note sounding at each moment, one line in time order, no overlaps', () => {
    const out = skyline([
      { midi: 60, startSec: 0, endSec: 2 }, // held low note under a run
      { midi: 67, startSec: 0.5, endSec: 1.0 },
      { midi: 65, startSec: 0.9, endSec: 1.5 }, // starts while 67 sounds: heard from 1.0
      { midi: 72, startSec: 3, endSec: 4 },
      { midi: 64, startSec: 3, endSec: 4 }, // same onset: the higher one wins
      { midi: 76, startSec: 3.5, endSec: 3.51 }, // a sliver: dropped, and 72 stays one note
      { midi: 70, startSec: 5, endSec: 5.05 },
      { midi: 62, startSec: 5, endSec: 5.08 }, // what is left of it (30 ms) is too short to count
    ]);
    expect(out).toEqual([
      { midi: 60, startSec: 0, endSec: 0.5 },
      { midi: 67, startSec: 0.5, endSec: 1.0 },
      { midi: 65, startSec: 1.0, endSec: 1.5 },
      { midi: 60, startSec: 1.5, endSec: 2 }, // the held note, heard again for 0.5 s
      { midi: 72, startSec: 3, endSec: 4 },
      { midi: 70, startSec: 5, endSec: 5.05 },
    ]);
    for (let i = 1; i < out.length; i++) expect(out[i].startSec).toBeGreaterThanOrEqual(out[i - 1].endSec);
  });

  it('warns when most of a track\'s melody line is below the core\'s melody tracker (E3), and says what to do', () => {
    // The threshold is the core's MELODY_MIN_MIDI (wasm/assembly/config.ts): keep the copy equal.
    const config = readFileSync(new URL('../../wasm/assembly/config.ts', import.meta.url), 'utf8');
    expect(Number(config.match(/MELODY_MIN_MIDI: f64 = ([\d.]+)/)?.[1])).toBe(MELODY_TRACKER_MIN_MIDI);

    const summary = summariseMidi('band.mid', parseMidi('band.mid', writeMidi(band)));
    const by = (name: string) => summary.tracks.find((t) => t.name === name)!;
    expect(by('Bass').lowNoteShare).toBe(1); // 36…45
    expect(by('Lead').lowNoteShare).toBe(0); // 72…81
    expect(by('Drums').lowNoteShare).toBe(0); // not a melody: never warned about
    // Only the melody line counts: low chords (36…53) under a tune from 60 are not a low melody.
    const piano = summariseMidi('p.mid', parseMidi('p.mid', writeMidi([{ name: 'Piano', channel: 0, notes: [...chords(16, 36, 0.5), ...line(16, 60, 0.5)] }]))).tracks[0];
    expect(piano.noteCount).toBe(64);
    expect(piano.lowNoteShare).toBe(0);
    expect(isBelowMelodyRange(by('Bass'))).toBe(true);
    expect(isBelowMelodyRange(by('Lead'))).toBe(false);
    expect(lowMelodyWarning(by('Lead'))).toBeNull();

    // A tune an octave too low: half its notes under 52 is not "most"; one more is.
    const tune = (below: number, of: number) => summariseMidi('t.mid', parseMidi('t.mid', writeMidi([
      { name: 'Tune', channel: 0, notes: Array.from({ length: of }, (_, i) => [i < below ? 48 : 55, i * 0.3, 0.25] as NoteSpec) },
    ]))).tracks[0];
    expect(tune(10, 20).lowNoteShare).toBe(LOW_MELODY_MAX_SHARE);
    expect(isBelowMelodyRange(tune(10, 20))).toBe(false);
    expect(isBelowMelodyRange(tune(11, 20))).toBe(true);

    const warning = lowMelodyWarning(by('Bass'))!;
    expect(warning).toMatch(/^Most notes of track 1's melody \(100 %\) are below E3 \(MIDI 52\)/);
    expect(warning).toMatch(/If another track holds the tune, choose that one; if not, transpose the melody up an octave/);
    expect(lowMelodyWarning(by('Bass'), { chooseWith: ' (--midi-track N)' })).toMatch(/choose that one \(--midi-track N\)/);
    const alone = lowMelodyWarning(by('Bass'), { otherTracks: false })!;
    expect(alone).not.toMatch(/another track/);
    expect(alone).toMatch(/To find it, transpose the melody up an octave/);
  });

  it('measures overlap as chords, not legato', () => {
    expect(overlapFraction([{ midi: 60, startSec: 0, endSec: 0.53 }, { midi: 62, startSec: 0.5, endSec: 1 }])).toBe(0);
    expect(overlapFraction([{ midi: 60, startSec: 0, endSec: 1 }, { midi: 64, startSec: 0, endSec: 1 }])).toBe(0.5);
  });

  it('a chosen track overrides the default; a drum track or a missing number is refused', () => {
    const midi = parseMidi('band.mid', writeMidi(band));
    const bass = melodyLine('band.mid', midi, 1);
    expect(bass.track.name).toBe('Bass');
    expect(bass.notes).toHaveLength(40);
    expect(bass.notes[0]).toMatchObject({ midi: 36 });
    expect(() => melodyLine('band.mid', midi, 4)).toThrow(/drum track/);
    expect(() => melodyLine('band.mid', midi, 9)).toThrow(/no track 9.*1 to 5/);
  });

  it('gives the track name back to the notes when the parser splits a track at its program change', () => {
    // A hand-written SMF (format 1): track name, a controller on the default program, then a program
    // change and the notes, as DAWs and the demo's own writer write them.
    const varLen = (n: number) => (n < 128 ? [n] : [0x80 | (n >> 7), n & 127]);
    const track = (events: number[]) => [0x4d, 0x54, 0x72, 0x6b, 0, 0, (events.length >> 8) & 255, events.length & 255, ...events];
    const name = [...'Tune'].map((c) => c.charCodeAt(0));
    const notes = line(12, 70, 0.25).flatMap(([m], i) => [...varLen(i ? 20 : 0), 0x90, m, 90, ...varLen(220), 0x80, m, 0]);
    const bytes = Uint8Array.from([
      0x4d, 0x54, 0x68, 0x64, 0, 0, 0, 6, 0, 1, 0, 2, 0x01, 0xe0,
      ...track([0, 0xff, 0x51, 3, 0x07, 0xa1, 0x20, 0, 0xff, 0x2f, 0]),
      ...track([0, 0xff, 0x03, name.length, ...name, 0, 0xb0, 7, 100, 0, 0xc0, 40, ...notes, 0, 0xff, 0x2f, 0]),
    ]);
    const summary = summariseMidi('tune.mid', parseMidi('tune.mid', bytes));
    expect(summary.tracks).toHaveLength(1);
    expect(summary.tracks[0]).toMatchObject({ number: 1, name: 'Tune', instrument: 'violin', noteCount: 12 });
  });

  it('a file without notes, with drums only, or not MIDI at all gets a clear message', () => {
    const empty = writeMidi([{ name: 'Empty', channel: 0, notes: [] }]);
    expect(() => summariseMidi('empty.mid', parseMidi('empty.mid', empty))).toThrow(InputError);
    expect(() => summariseMidi('empty.mid', parseMidi('empty.mid', empty))).toThrow(/“empty\.mid” has no notes/);
    const drums = writeMidi([band[3]]);
    expect(() => summariseMidi('drums.mid', parseMidi('drums.mid', drums))).toThrow(/only drum tracks/);
    expect(() => parseMidi('song.mid', new TextEncoder().encode('RIFF this is not a midi file at all'))).toThrow(/could not be read as a MIDI file/);
  });
});
