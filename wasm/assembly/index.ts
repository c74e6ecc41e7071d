// The core's only export surface. Everything is typed arrays in linear memory:
// callers write inputs at the pointers these functions return and read
// outputs through views over `memory.buffer` (rebuilt whenever memory grows).

import {
  FORMAT_VERSION, ANALYSIS_RATE_HZ, HOP_SAMPLES, FFT_SIZE,
} from './config';
import { hashValues, hashFrames, HASH_BITS } from './fingerprint/hashes';
import { peakFrames, peakBins, peakPitches } from './fingerprint/peaks';
import { tripletValues, tripletFrames, tripletExtras, TRIPLET_HASH_BITS } from './fingerprint/triplets';
import { melodyValues, melodyFrames, melodyExtras, noteOnsets, noteEnds, notePitches, poolOnsets, poolEnds, poolPitches } from './melody/notes';
import { SEGMENT_FIELDS } from './match/segments';
import { MAX_SLOTS, MAX_FRAMES } from './match/index';

export {
  analysis_begin, analysis_input, analysis_push, analysis_end,
  analysis_frame_count, analysis_peak_count, analysis_rms,
} from './analysis';
export {
  index_input, index_add, index_remove, index_clear, index_build,
  index_work_count, index_posting_count, index_bytes,
} from './match/index';
export { match_input, match_run } from './match/vote';
export {
  index_snapshot_begin, index_section_ptr, index_section_length,
  index_restore_begin, index_restore_section, index_restore_end,
} from './match/snapshot';
export { notes_begin, note_push, melody_from_notes } from './melody/notes';
export { segment_count, segments_ptr } from './match/segments';

export function core_format_version(): i32 { return FORMAT_VERSION; }
export function core_analysis_rate_hz(): i32 { return ANALYSIS_RATE_HZ; }
export function core_hop_samples(): i32 { return HOP_SAMPLES; }
export function core_fft_size(): i32 { return FFT_SIZE; }
export function core_hash_bits(): i32 { return HASH_BITS; }
export function core_segment_fields(): i32 { return SEGMENT_FIELDS; }
export function core_max_works(): i32 { return MAX_SLOTS; }
export function core_max_frames(): i32 { return MAX_FRAMES; }

export function analysis_hashes_ptr(): usize { return hashValues.ptr; }
export function analysis_hash_frames_ptr(): usize { return hashFrames.ptr; }
export function analysis_peak_frames_ptr(): usize { return peakFrames.ptr; }
export function analysis_peak_bins_ptr(): usize { return peakBins.ptr; }
export function analysis_peak_pitches_ptr(): usize { return peakPitches.ptr; }
export function analysis_triplet_count(): i32 { return tripletValues.length; }
export function analysis_triplets_ptr(): usize { return tripletValues.ptr; }
export function analysis_triplet_frames_ptr(): usize { return tripletFrames.ptr; }
export function analysis_triplet_extras_ptr(): usize { return tripletExtras.ptr; }
export function core_triplet_hash_bits(): i32 { return TRIPLET_HASH_BITS; }
export function analysis_melody_count(): i32 { return melodyValues.length; }
export function analysis_melody_ptr(): usize { return melodyValues.ptr; }
export function analysis_melody_frames_ptr(): usize { return melodyFrames.ptr; }
export function analysis_melody_extras_ptr(): usize { return melodyExtras.ptr; }
export function analysis_note_count(): i32 { return noteOnsets.length; }
export function analysis_note_onsets_ptr(): usize { return noteOnsets.ptr; }
export function analysis_note_ends_ptr(): usize { return noteEnds.ptr; }
export function analysis_note_pitches_ptr(): usize { return notePitches.ptr; }
/** The notes of every pitch line tracked, pooled: what the melody matcher compares. */
export function analysis_pooled_note_count(): i32 { return poolOnsets.length; }
export function analysis_pooled_note_onsets_ptr(): usize { return poolOnsets.ptr; }
export function analysis_pooled_note_ends_ptr(): usize { return poolEnds.ptr; }
export function analysis_pooled_note_pitches_ptr(): usize { return poolPitches.ptr; }

// Test hooks: single stages on caller-provided data, so each can be compared
// with a plain TypeScript reference.
export { fft_setup, fft_power } from './dsp/fft';
export { max_filter_row } from './fingerprint/peaks';
export { poisson_tail_significance as chance_significance } from './match/chance';
export { vote_best_cells } from './match/triplet-vote';
export { match_vote_key_budget } from './match/vote';
export { scratch } from './scratch';
