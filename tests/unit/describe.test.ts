import { describe, expect, it } from 'vitest';
import { describeEvidence, describeEvidenceKind, describeTransform } from '../../src/core/describe';

describe('describeTransform', () => {
  it('says when nothing changed', () => {
    expect(describeTransform({ timeRatio: 1.002, pitchShiftSemitones: 0.05 })).toBe('same key and tempo');
  });
  it('names pitch shifts in semitones, with the sign', () => {
    expect(describeTransform({ timeRatio: 1, pitchShiftSemitones: 2.02 })).toBe('+2 semitones');
    expect(describeTransform({ timeRatio: 1, pitchShiftSemitones: -1 })).toBe('−1 semitone');
    expect(describeTransform({ timeRatio: 1, pitchShiftSemitones: 0.68 })).toBe('+0.7 semitones');
  });
  it('turns the time ratio into faster or slower', () => {
    expect(describeTransform({ timeRatio: 1 / 1.05, pitchShiftSemitones: 0 })).toBe('5 % faster');
    expect(describeTransform({ timeRatio: 1.25, pitchShiftSemitones: 0 })).toBe('20 % slower');
    expect(describeTransform({ timeRatio: 1 / 1.08, pitchShiftSemitones: 1.33 })).toBe('+1.3 semitones, 8 % faster');
  });
});

describe('describeEvidence', () => {
  it('counts a recording in hits and a melody in matched notes', () => {
    expect(describeEvidence({ evidence: 'recording', hits: 171, expectedHits: 0.31 })).toBe('171 hits · 0.3 by chance');
    expect(describeEvidence({ evidence: 'melody', hits: 18, expectedHits: 1.26 }, 2)).toBe('18 notes matched · 1.26 by chance');
    expect(describeEvidence({ evidence: 'melody', hits: 1, expectedHits: 0 })).toBe('1 note matched · 0.0 by chance');
  });
});

describe('describeEvidenceKind', () => {
  it('names what of the work was found', () => {
    expect(describeEvidenceKind({ evidence: 'recording' })).toBe('your recording');
    expect(describeEvidenceKind({ evidence: 'recording', melodyToo: true })).toBe('your recording and its melody');
    expect(describeEvidenceKind({ evidence: 'melody' })).toBe('your melody');
  });
});
