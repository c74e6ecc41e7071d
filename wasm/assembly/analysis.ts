import { Buf32 } from './mem';
import { ANALYSIS_RATE_HZ, MELODY_REFERENCE_LINES, MELODY_QUERY_LINES } from './config';
import { resample_begin, resample_push, resample_pull } from './dsp/resample';
import { spectrum_begin, spectrum_push, framePower } from './dsp/spectrum';
import { peaks_begin, peaks_push, peaks_flush, peaks_frame_count, peaks_dense, peaks_masked, maskedPeakFrames, maskedPeakBins, peakFrames, peakBins, peakPitches, landmarkFrames, landmarkBins, landmarkPitches, densePeakFrames, densePeakBins } from './fingerprint/peaks';
import { triplets_from_peaks, long_triplets_from_peaks } from './fingerprint/triplets';
import { melody_begin, melody_push, melody_finish, framePitches, framePitches2 } from './melody/pitch';
import { notes_from_pitches, notes_pool_clear, notes_pool_add, melody_pool_triplets } from './melody/notes';
import { hashes_from_peaks, masked_hashes_from_peaks } from './fingerprint/hashes';

// One analysis stream: planar input at any rate → mono → analysis rate →
// spectrum → peaks → hashes. Input arrives in chunks so callers can report
// progress and the memory held stays bounded by the chunk size.

let channels: i32 = 1;
let forQuery = false;
const input = new Buf32(); // planar: channel c at [c·chunk, (c+1)·chunk)
const mono = new Buf32();
const resampled = new Buf32();
let sumSquares: f64 = 0.0;
let sampleCount: f64 = 0.0;

function onFrame(): void {
  peaks_push(framePower.ptr);
  melody_push(framePower.ptr);
}

/** Starts an analysis; `query` selects the lighter triplet fan-out of queries. */
export function analysis_begin(inputRateHz: i32, channelCount: i32, query: bool): bool {
  if (channelCount < 1 || channelCount > 32) return false;
  forQuery = query;
  if (!resample_begin(inputRateHz, ANALYSIS_RATE_HZ)) return false;
  channels = channelCount;
  spectrum_begin();
  peaks_begin(query);
  melody_begin(query);
  sumSquares = 0.0;
  sampleCount = 0.0;
  return true;
}

/** Pointer where the caller writes `samplesPerChannel` samples of each channel, one channel after another. */
export function analysis_input(samplesPerChannel: i32): usize {
  input.resize(samplesPerChannel * channels);
  return input.ptr;
}

function runResampled(flush: bool): void {
  resampled.clear();
  resample_pull(resampled, flush);
  const n = resampled.length;
  for (let i = 0; i < n; i++) {
    const v = resampled.f32At(i);
    sumSquares += <f64>(v * v);
  }
  sampleCount += <f64>n;
  spectrum_push(resampled.ptr, n, onFrame);
}

/** Consumes the chunk written at `analysis_input`. */
export function analysis_push(samplesPerChannel: i32): void {
  mono.resize(samplesPerChannel);
  const gain: f32 = 1.0 / <f32>channels;
  for (let i = 0; i < samplesPerChannel; i++) {
    let sum: f32 = 0.0;
    for (let c = 0; c < channels; c++) sum += input.f32At(c * samplesPerChannel + i);
    mono.setF32(i, sum * gain);
  }
  resample_push(mono.ptr, samplesPerChannel);
  runResampled(false);
}

/** Ends the stream and computes pair and triplet hashes. Returns the number of pair hashes. */
export function analysis_end(): i32 {
  runResampled(true);
  peaks_flush();
  triplets_from_peaks(peakFrames, peakBins, peakPitches, forQuery);
  long_triplets_from_peaks(landmarkFrames, landmarkBins, landmarkPitches, forQuery);
  melody_finish();
  // Notes of each pitch line tracked, pooled (the main line's are made last, so they stay readable on their own too).
  notes_pool_clear();
  if ((forQuery ? MELODY_QUERY_LINES : MELODY_REFERENCE_LINES) > 1) {
    notes_from_pitches(framePitches2);
    notes_pool_add();
  }
  notes_from_pitches(framePitches);
  notes_pool_add();
  melody_pool_triplets(forQuery);
  const pairs = peaks_dense() ? hashes_from_peaks(densePeakFrames, densePeakBins, forQuery) : hashes_from_peaks(peakFrames, peakBins, forQuery);
  return peaks_masked() ? masked_hashes_from_peaks(maskedPeakFrames, maskedPeakBins) : pairs;
}

export function analysis_frame_count(): i32 {
  return peaks_frame_count();
}

export function analysis_peak_count(): i32 {
  return peakFrames.length;
}

/** RMS of the mono signal at the analysis rate (1.0 = full scale square wave). */
export function analysis_rms(): f64 {
  return sampleCount > 0.0 ? Math.sqrt(sumSquares / sampleCount) : 0.0;
}
