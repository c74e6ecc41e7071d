import { Buf32 } from '../mem';
import {
  NOTE_PITCH_TOLERANCE, NOTE_MIN_FRAMES, NOTE_MAX_GAP_FRAMES, NOTE_MERGE_GAP_FRAMES,
  MELODY_TIME_UNIT_FRAMES, MELODY_MIN_DT13_UNITS, MELODY_FAN_OUT, MELODY_QUERY_FAN_OUT, MELODY_SECOND_REACH,
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
  notes_pool_clear();
  notes_pool_add();
  return melody_pool_triplets(false);
}

// Notes of several pitch lines pooled in onset order (a reference's predominant and runner-up
// lines): the lead moves between them, so a phrase's notes are in the pool when no single line
// holds them all.
export const poolOnsets = new Buf32();
export const poolEnds = new Buf32();
export const poolPitches = new Buf32();

export function notes_pool_clear(): void {
  poolOnsets.clear();
  poolEnds.clear();
  poolPitches.clear();
}

/** Merges the current notes into the pool (both in onset order); the same pitch met again while sounding is one note. */
export function notes_pool_add(): void {
  const a = poolOnsets.length;
  const b = noteOnsets.length;
  mergedOnsets.clear();
  mergedEnds.clear();
  mergedPitches.clear();
  let i = 0;
  let j = 0;
  while (i < a || j < b) {
    const fromPool = j >= b || (i < a && poolOnsets.u32At(i) <= noteOnsets.u32At(j));
    const on = fromPool ? poolOnsets.u32At(i) : noteOnsets.u32At(j);
    const en = fromPool ? poolEnds.u32At(i) : noteEnds.u32At(j);
    const p = fromPool ? poolPitches.f32At(i) : notePitches.f32At(j);
    if (fromPool) i++; else j++;
    // Fold into an earlier note of the same pitch that is still sounding (a line swap split it).
    let folded = false;
    for (let k = mergedOnsets.length - 1; k >= 0 && k >= mergedOnsets.length - 3; k--) {
      if (Mathf.round(mergedPitches.f32At(k)) == Mathf.round(p) && <i32>on <= <i32>mergedEnds.u32At(k) + NOTE_MERGE_GAP_FRAMES) {
        if (en > mergedEnds.u32At(k)) mergedEnds.setU32(k, en);
        folded = true;
        break;
      }
    }
    if (folded) continue;
    mergedOnsets.pushU32(on);
    mergedEnds.pushU32(en);
    mergedPitches.pushF32(p);
  }
  poolOnsets.resize(mergedOnsets.length);
  poolEnds.resize(mergedOnsets.length);
  poolPitches.resize(mergedOnsets.length);
  memory.copy(poolOnsets.ptr, mergedOnsets.ptr, <usize>mergedOnsets.length << 2);
  memory.copy(poolEnds.ptr, mergedEnds.ptr, <usize>mergedOnsets.length << 2);
  memory.copy(poolPitches.ptr, mergedPitches.ptr, <usize>mergedOnsets.length << 2);
}
const mergedOnsets = new Buf32();
const mergedEnds = new Buf32();
const mergedPitches = new Buf32();

/**
 * Note triplets of the pooled notes: each note with two later ones among its next
 * MELODY_FAN_OUT (a reference) or MELODY_QUERY_FAN_OUT (a query). Returns their number.
 */
export function melody_pool_triplets(forQuery: bool): i32 {
  return triplets_of(poolOnsets, poolPitches, forQuery ? MELODY_QUERY_FAN_OUT : MELODY_FAN_OUT);
}

function triplets_of(onsets: Buf32, pitches: Buf32, reach: i32): i32 {
  melodyValues.clear();
  melodyFrames.clear();
  melodyExtras.clear();
  const n = onsets.length;
  for (let i = 0; i < n; i++) {
    const t1 = <i32>onsets.u32At(i);
    const p1 = pitches.f32At(i);
    for (let j = i + 1; j < n && j <= i + min(reach - 1, MELODY_SECOND_REACH); j++) {
      for (let k = j + 1; k < n && k <= i + reach; k++) {
        const dt12 = (<i32>onsets.u32At(j) - t1 + MELODY_TIME_UNIT_FRAMES / 2) / MELODY_TIME_UNIT_FRAMES;
        const dt13 = (<i32>onsets.u32At(k) - t1 + MELODY_TIME_UNIT_FRAMES / 2) / MELODY_TIME_UNIT_FRAMES;
        if (dt13 < MELODY_MIN_DT13_UNITS || dt13 > 127 || dt12 < 1 || dt12 >= dt13) continue;
        const p2 = pitches.f32At(j);
        const p3 = pitches.f32At(k);
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
