import { describe, expect, it, beforeAll } from 'vitest';
import { loadTestCore } from '../fixtures/core';
import { addNoise, melodyNotes, slice, synthMelody } from '../fixtures/audio';
import { songMidi as songFile } from '../fixtures/midi';
import { analyseMidi } from '../../src/core/midi-work';
import { analyseWithNotes, notesOfLine } from '../../src/core/note-line';
import { melodyEvidence } from '../../src/core/melody-evidence';
import { CatalogIndex } from '../../src/core/catalog-index';
import { checkFingerprint, isMelodyOnly, MIN_MELODY_NOTES } from '../../src/core/validate';
import type { Core } from '../../src/core/wasm-core';

const RATE = 22050;

/** A song file whose bass is busier than its tune (a note every 0.25 s): the tune must still be picked. */
const songMidi = (seed: number, durationSec: number, melodyLimit?: number) =>
  songFile(seed, durationSec, { melodyLimit, bassStepSec: 0.25, bassNoteSec: 0.2, bassSpan: 5 });

describe('works from MIDI (WASM core)', () => {
  let core: Core;
  beforeAll(async () => {
    core = await loadTestCore();
  });

  it('makes a melody-only work from the default track, keeps its notes, and validation lets it through', () => {
    const { fingerprint: fp, track } = analyseMidi(core, 'song.mid', songMidi(905, 40));
    expect(track.name).toBe('Lead');
    expect(isMelodyOnly(fp)).toBe(true);
    expect(fp.hashes.length + fp.triplets.length + fp.peakCount).toBe(0);
    expect(fp.melody.length).toBeGreaterThan(20);
    expect(fp.durationSec).toBeCloseTo(40, 0);
    // The kept notes are the tune's notes.
    const expected = melodyNotes(905, 40);
    expect(notesOfLine(fp.notes!).map((n) => n.midi)).toEqual(expected.map((n) => n.midi));
    expect(fp.notes!.startSec[5]).toBeCloseTo(expected[5].startSec, 3);
    expect(() => checkFingerprint('song.mid', fp)).not.toThrow();
  });

  it('refuses a MIDI file with too few notes, and silent audio still as silent', () => {
    expect(() => analyseMidi(core, 'short.mid', songMidi(905, 40, MIN_MELODY_NOTES - 1), 2)).toThrow(
      new RegExp(`only ${MIN_MELODY_NOTES - 1} notes in its melody line.*at least ${MIN_MELODY_NOTES}`),
    );
    expect(() => analyseMidi(core, 'ok.mid', songMidi(905, 40, MIN_MELODY_NOTES), 2)).not.toThrow();
    const silent = core.analyse({ sampleRateHz: RATE, channels: [new Float32Array(RATE * 5)] });
    expect(isMelodyOnly(silent)).toBe(false);
    expect(() => checkFingerprint('silence.wav', silent)).toThrow(/silent/);
  });

  it('a MIDI work is found in a played, transposed, re-timed rendition, and most of its notes line up in the evidence', () => {
    const index = new CatalogIndex(core);
    index.add({ id: 'song', title: 'Song' }, analyseMidi(core, 'song.mid', songMidi(905, 40)).fingerprint);
    index.add({ id: 'other', title: 'Other' }, analyseMidi(core, 'other.mid', songMidi(906, 40)).fingerprint);
    const played = synthMelody(905, 40, RATE, { transposeSemitones: 3, timeScale: 0.9, harmonics: [1, 0.4, 0.2], accompaniment: true });
    const query = analyseWithNotes(core, { sampleRateHz: RATE, channels: [addNoise(slice(played, RATE, 4, 22), 25)] }, { role: 'query' });
    const { matches } = index.match(query);
    expect(new Set(matches.map((m) => m.workId))).toEqual(new Set(['song']));
    const seg = matches[0];
    expect(seg.evidence).toBe('melody');
    expect(seg.pitchShiftSemitones).toBeCloseTo(3, 0);

    const workNotes = analyseMidi(core, 'song.mid', songMidi(905, 40)).fingerprint.notes!;
    const evidence = melodyEvidence(seg, query.notes!, workNotes);
    expect(evidence.workNotes).toBeGreaterThan(10);
    expect(evidence.linedUp / evidence.workNotes).toBeGreaterThan(0.7);
    // The same notes against the wrong transform do not line up.
    const wrong = melodyEvidence({ ...seg, pitchShiftSemitones: seg.pitchShiftSemitones + 2 }, query.notes!, workNotes);
    expect(wrong.linedUp / wrong.workNotes).toBeLessThan(0.3);
  });
});
