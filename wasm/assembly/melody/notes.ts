import { Buf32 } from '../mem';
import {
  NOTE_PITCH_TOLERANCE, NOTE_MIN_FRAMES, NOTE_MAX_GAP_FRAMES, NOTE_MERGE_GAP_FRAMES,
  MELODY_TIME_UNIT_FRAMES, MELODY_MIN_DT13_UNITS, MELODY_FAN_OUT, MELODY_QUERY_FAN_OUT,
} from '../config';
import { triplet_pack, triplet_extra, pitch_band, span_band, ratio_bin } from '../fingerprint/triplets';

// Notes from the frame pitches, and note triplets from the notes. A note is a
// run of voiced frames that stay within ±0.7 semitone of the run's mean pitch
// (short unvoiced gaps allowed). Note triplets use the same key- and
// tempo-invariant hash as peak triplets (pitch differences, ratio of onset
// intervals, coarse bands), with time in units of 4 frames so that a span of
// three notes fits (up to 4 s).

export const noteOnsets = new Buf32(); // u32 frame
export const noteEnds = new Buf32(); // u32 frame (exclusive)
export const notePitches = new Buf32(); // f32 semitones above 55 Hz

export const melodyValues = new Buf32();
export const melodyFrames = new Buf32();
export const melodyExtras = new Buf32();

function emitNote(onset: i32, end: i32, sum: f64, count: i32): void {
  if (end - onset < NOTE_MIN_FRAMES || count == 0) return;
  const pitch = <f32>(sum / <f64>count);
  const last = noteOnsets.length - 1;
  if (last >= 0 && Mathf.round(notePitches.f32At(last)) == Mathf.round(pitch) &&
    onset - <i32>noteEnds.u32At(last) <= NOTE_MERGE_GAP_FRAMES) {
    noteEnds.setU32(last, <u32>end); // the same pitch again: one note
    return;
  }
  noteOnsets.pushU32(<u32>onset);
  noteEnds.pushU32(<u32>end);
  notePitches.pushF32(pitch);
}

/** Segments frame pitches (−1 = unvoiced) into notes. Returns the number of notes. */
export function notes_from_pitches(pitches: Buf32): i32 {
  noteOnsets.clear();
  noteEnds.clear();
  notePitches.clear();
  const n = pitches.length;
  let onset = -1;
  let lastVoiced = -1;
  let sum = 0.0;
  let count = 0;
  for (let f = 0; f < n; f++) {
    const p = <f64>pitches.f32At(f);
    if (p < 0.0) {
      if (onset >= 0 && f - lastVoiced > NOTE_MAX_GAP_FRAMES) {
        emitNote(onset, lastVoiced + 1, sum, count);
        onset = -1;
      }
      continue;
    }
    if (onset >= 0 && Math.abs(p - sum / <f64>count) > NOTE_PITCH_TOLERANCE) {
      emitNote(onset, lastVoiced + 1, sum, count);
      onset = -1;
    }
    if (onset < 0) {
      onset = f;
      sum = 0.0;
      count = 0;
    }
    sum += p;
    count++;
    lastVoiced = f;
  }
  if (onset >= 0) emitNote(onset, lastVoiced + 1, sum, count);
  return noteOnsets.length;
}

/**
 * Notes given from outside (a MIDI melody): notes_begin, then note_push per note in time order.
 * The same rules as notes heard in audio apply (minimum length, repeats merged), so a work
 * entered from MIDI hashes like the same melody played.
 */
export function notes_begin(): void {
  noteOnsets.clear();
  noteEnds.clear();
  notePitches.clear();
}

export function note_push(onsetFrame: i32, endFrame: i32, pitch: f32): void {
  emitNote(onsetFrame, endFrame, <f64>pitch, 1);
}

/** Note triplets of the notes pushed since notes_begin, as a reference. Returns their number. */
export function melody_from_notes(): i32 {
  return melody_triplets(false);
}

/** Note triplets: each note with later notes among the next MELODY_FAN_OUT (a query: consecutive notes only). */
export function melody_triplets(forQuery: bool, append: bool = false): i32 {
  if (!append) {
    melodyValues.clear();
    melodyFrames.clear();
    melodyExtras.clear();
  }
  const n = noteOnsets.length;
  const reach = forQuery ? MELODY_QUERY_FAN_OUT : MELODY_FAN_OUT;
  for (let i = 0; i < n; i++) {
    const t1 = <i32>noteOnsets.u32At(i);
    const p1 = notePitches.f32At(i);
    for (let j = i + 1; j < n && j <= i + reach - 1; j++) {
      for (let k = j + 1; k < n && k <= i + reach; k++) {
        const dt12 = (<i32>noteOnsets.u32At(j) - t1 + MELODY_TIME_UNIT_FRAMES / 2) / MELODY_TIME_UNIT_FRAMES;
        const dt13 = (<i32>noteOnsets.u32At(k) - t1 + MELODY_TIME_UNIT_FRAMES / 2) / MELODY_TIME_UNIT_FRAMES;
        if (dt13 < MELODY_MIN_DT13_UNITS || dt13 > 127 || dt12 < 1 || dt12 >= dt13) continue;
        const p2 = notePitches.f32At(j);
        const p3 = notePitches.f32At(k);
        const dfa = <i32>Math.round(<f64>(p2 - p1));
        const dfb = <i32>Math.round(<f64>(p3 - p2));
        if (abs(dfa) > 15 || abs(dfb) > 15 || (dfa == 0 && dfb == 0)) continue;
        melodyValues.pushU32(triplet_pack(pitch_band(p1), span_band(<f64>dt13), ratio_bin(dt12, dt13), dfa, dfb));
        melodyFrames.pushU32(<u32>t1);
        melodyExtras.pushU32(triplet_extra(p1, dt12, dt13));
      }
    }
  }
  return melodyValues.length;
}
