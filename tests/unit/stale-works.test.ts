import { describe, expect, it } from 'vitest';
import { unrebuildableWorksMessage } from '../../src/core/stale-works';

// Works an older core analysed that cannot be made again: the Catalog screen's message names what
// was not kept (a recording's audio, or a MIDI work's .mid) and what to add again.

describe('works that cannot be analysed again', () => {
  it('says nothing when there are none', () => {
    expect(unrebuildableWorksMessage([])).toBeNull();
  });

  it('a recording without its audio: the audio was not kept; add it again', () => {
    expect(unrebuildableWorksMessage([{ title: 'Night Drive', midi: false }])).toBe(
      '1 work was analysed by an older version of Tunetrace and its audio was not kept, so it cannot be matched: Night Drive. Remove it and add its audio again.',
    );
    expect(unrebuildableWorksMessage([{ title: 'A', midi: false }, { title: 'B', midi: false }])).toMatch(/^2 works were .* their audio was not kept, .*: A, B\. Remove them and add their audio again\.$/);
  });

  it('a MIDI work from a catalog file: its MIDI file was not kept; add the .mid again, with no word about audio', () => {
    const text = unrebuildableWorksMessage([{ title: 'Old Score', midi: true }])!;
    expect(text).toBe(
      '1 melody from MIDI was made by an older version of Tunetrace and came from a catalog file (.ttcat), which keeps no MIDI file, so it cannot be matched: Old Score. Remove it and add the .mid file again.',
    );
    expect(text).not.toMatch(/audio/);
    expect(unrebuildableWorksMessage([{ title: 'S1', midi: true }, { title: 'S2', midi: true }])).toMatch(/^2 melodies from MIDI were .*: S1, S2\. Remove them and add the \.mid files again\.$/);
  });

  it('both kinds at once: each named with its own remedy', () => {
    const text = unrebuildableWorksMessage([{ title: 'Song', midi: false }, { title: 'Score', midi: true }])!;
    expect(text).toMatch(/^1 work was .*audio was not kept.*: Song\. Remove it and add its audio again\. 1 melody from MIDI .*: Score\. Remove it and add the \.mid file again\.$/);
  });
});
