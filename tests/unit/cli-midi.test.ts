import { describe, expect, it, beforeAll } from 'vitest';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addNoise, encodeWav, slice, synthMelody, synthMusic } from '../fixtures/audio';
import { tunetrace } from '../fixtures/cli';
import { songMidi } from '../fixtures/midi';

const RATE = 22050;

describe('tunetrace CLI: works from MIDI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tunetrace-cli-midi-'));
  const works = join(dir, 'works');
  const catalog = join(dir, 'midi.ttcat');

  beforeAll(() => {
    mkdirSync(works);
    writeFileSync(join(works, 'tune.mid'), songMidi(905, 40));
    writeFileSync(join(works, 'other-tune.midi'), songMidi(906, 40));
    writeFileSync(join(works, 'song.wav'), encodeWav([synthMusic(41, 20, RATE)], RATE));
  });

  it('indexes .mid and .midi files as melody works from the default track, next to audio, and lists them as such', () => {
    const r = tunetrace('index', '--catalog', catalog, works);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/tune\.mid: melody from track 2 · Lead · flute · \d+ notes \(default\); other tracks: 1 · Bass/);
    expect(r.stderr).not.toMatch(/other tracks:[^\n]*Drums/);
    expect(r.stderr).not.toMatch(/warning:/);
    const list = JSON.parse(tunetrace('list', '--catalog', catalog, '--json').stdout);
    const byId = Object.fromEntries(list.works.map((w: { id: string }) => [w.id, w]));
    expect(Object.keys(byId).sort()).toEqual(['other-tune', 'song', 'tune']);
    expect(byId.tune).toMatchObject({ sourceKind: 'midi', midiTrack: 2, sourceName: 'tune.mid', hashCount: 0 });
    expect(byId['other-tune']).toMatchObject({ sourceKind: 'midi', midiTrack: 2 });
    expect(byId.song.sourceKind).toBe('audio');
    const text = tunetrace('list', '--catalog', catalog).stdout;
    expect(text).toMatch(/tune\s+0:40\.\d\s+tune\s+\(melody from MIDI, track 2\)/);
    expect(text).not.toMatch(/song.*melody from MIDI/);
  });

  it('finds the MIDI work in a played, transposed recording of its tune, with melody evidence', () => {
    const played = synthMelody(905, 40, RATE, { transposeSemitones: -2, timeScale: 1.1, harmonics: [1, 0.4, 0.2], accompaniment: true });
    const path = join(dir, 'cover.wav');
    writeFileSync(path, encodeWav([addNoise(slice(played, RATE, 5, 25), 25)], RATE));
    const doc = JSON.parse(tunetrace('query', '--catalog', catalog, path, '--json').stdout);
    const m = doc.queries[0].matches;
    expect(new Set(m.map((s: { workId: string }) => s.workId))).toEqual(new Set(['tune']));
    expect(m[0].evidence).toBe('melody');
    expect(m[0].pitchShiftSemitones).toBeCloseTo(-2, 0);
  });

  it('--midi-track takes another track; a drum track, a bad number or too few notes are refused with a reason', () => {
    const r = tunetrace('index', '--catalog', catalog, '--midi-track', '1', join(works, 'tune.mid'));
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/melody from track 1 · Bass/);
    // The bass line lies below the melody tracker's range (E3): indexed, with a warning that says what to do.
    expect(r.stderr).toMatch(/warning: tune\.mid: Most notes of track 1's melody \(100 %\) are below E3 \(MIDI 52\).*choose that one \(--midi-track N\); if not, transpose the melody up an octave/);
    expect(JSON.parse(tunetrace('list', '--catalog', catalog, '--json').stdout).works.find((w: { id: string }) => w.id === 'tune').midiTrack).toBe(1);

    const drums = tunetrace('index', '--catalog', catalog, '--midi-track', '3', join(works, 'tune.mid'));
    expect(drums.code).toBe(1);
    expect(drums.stderr).toMatch(/Track 3 of “tune\.mid” is a drum track/);
    const bad = tunetrace('index', '--catalog', catalog, '--midi-track', 'lead', join(works, 'tune.mid'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--midi-track must be a track number/);

    const short = join(dir, 'short.mid');
    writeFileSync(short, songMidi(905, 40, { melodyLimit: 5 }));
    const s = tunetrace('index', '--catalog', catalog, '--midi-track', '2', short);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/skipped .*short\.mid: “short\.mid” has only 5 notes in its melody line/);
    const notMidi = join(dir, 'fake.mid');
    writeFileSync(notMidi, 'this is no MIDI file');
    expect(tunetrace('index', '--catalog', catalog, notMidi).stderr).toMatch(/could not be read as a MIDI file/);
  });
});
