import type { MatchSegment } from './types';

/** Below these, a transform is reported as none: the estimates' own precision. */
const SHIFT_EPSILON_SEMITONES = 0.15;
const TEMPO_EPSILON = 0.005;

/** “+2 semitones, 5 % faster”, “same key and tempo”: how the track changed the work. */
export function describeTransform(m: Pick<MatchSegment, 'timeRatio' | 'pitchShiftSemitones'>): string {
  const parts: string[] = [];
  const shift = m.pitchShiftSemitones;
  if (Math.abs(shift) >= SHIFT_EPSILON_SEMITONES) {
    const rounded = Math.abs(shift - Math.round(shift)) < 0.1 ? String(Math.round(shift)) : shift.toFixed(1);
    const value = rounded.replace('-', '−');
    const unit = Math.abs(Number(rounded)) === 1 ? 'semitone' : 'semitones';
    parts.push(`${shift > 0 ? '+' : ''}${value} ${unit}`);
  }
  // timeRatio = query span / reference span: above 1 the track plays the passage slower.
  const speed = 1 / m.timeRatio - 1;
  if (Math.abs(speed) >= TEMPO_EPSILON) parts.push(`${Math.round(Math.abs(speed) * 100) || '<1'} % ${speed > 0 ? 'faster' : 'slower'}`);
  return parts.length ? parts.join(', ') : 'same key and tempo';
}

/** What of the work was found: “your recording”, “your recording and its melody” or “your melody”. */
export function describeEvidenceKind(m: Pick<MatchSegment, 'evidence' | 'melodyToo'>): string {
  return m.evidence === 'recording' ? (m.melodyToo ? 'your recording and its melody' : 'your recording') : 'your melody';
}

/**
 * The "why" in words: “171 hits · 0.3 by chance” for a recording (aligned fingerprint hits), “18 notes
 * matched · 1.3 by chance” for a melody (its evidence is counted note by note).
 */
export function describeEvidence(m: Pick<MatchSegment, 'evidence' | 'hits' | 'expectedHits'>, digits = 1): string {
  const what = m.evidence === 'melody' ? `${m.hits} ${m.hits === 1 ? 'note' : 'notes'} matched` : `${m.hits} hits`;
  return `${what} · ${m.expectedHits.toFixed(digits)} by chance`;
}
