// The one door to the WASM core, used by the browser workers, the CLI, the
// benchmark and the tests alike. It writes inputs into linear memory at the
// pointers the core hands out and reads results through fresh views (memory
// may grow, and growing detaches old views).

import { FEATURE_ARRAYS, type AudioInput, type Fingerprint } from './types';

interface CoreExports {
  memory: WebAssembly.Memory;
  core_format_version(): number;
  core_analysis_rate_hz(): number;
  core_hop_samples(): number;
  core_fft_size(): number;
  core_segment_fields(): number;
  core_max_works(): number;
  core_max_frames(): number;
  analysis_begin(inputRateHz: number, channels: number, query: number): number;
  analysis_input(samplesPerChannel: number): number;
  analysis_push(samplesPerChannel: number): void;
  analysis_end(): number;
  analysis_frame_count(): number;
  analysis_peak_count(): number;
  analysis_rms(): number;
  analysis_hashes_ptr(): number;
  analysis_hash_frames_ptr(): number;
  analysis_peak_frames_ptr(): number;
  analysis_peak_bins_ptr(): number;
  analysis_peak_pitches_ptr(): number;
  analysis_triplet_count(): number;
  analysis_triplets_ptr(): number;
  analysis_triplet_frames_ptr(): number;
  analysis_triplet_extras_ptr(): number;
  analysis_melody_count(): number;
  analysis_melody_ptr(): number;
  analysis_melody_frames_ptr(): number;
  analysis_melody_extras_ptr(): number;
  analysis_note_count(): number;
  analysis_note_onsets_ptr(): number;
  analysis_note_ends_ptr(): number;
  analysis_note_pitches_ptr(): number;
  analysis_pooled_note_count(): number;
  analysis_pooled_note_onsets_ptr(): number;
  analysis_pooled_note_ends_ptr(): number;
  analysis_pooled_note_pitches_ptr(): number;
  notes_begin(): void;
  note_push(onsetFrame: number, endFrame: number, pitch: number): void;
  melody_from_notes(): number;
  index_input(pairs: number, triplets: number, melody: number): number;
  index_add(slot: number, frames: number): number;
  index_remove(slot: number): number;
  index_clear(): void;
  index_build(): void;
  index_work_count(): number;
  index_snapshot_begin(): number;
  index_section_ptr(i: number): number;
  index_section_length(i: number): number;
  index_restore_begin(): number;
  index_restore_section(i: number, words: number): number;
  index_restore_end(): number;
  index_posting_count(): number;
  index_bytes(): number;
  match_input(pairs: number, triplets: number, melody: number): number;
  match_run(queryFrames: number): number;
  segment_count(): number;
  segments_ptr(): number;
  fft_setup(size: number): void;
  fft_power(inputPtr: number, outputPtr: number): void;
  max_filter_row(rowPtr: number, outPtr: number, n: number, half: number): void;
  scratch(count: number): number;
  chance_significance(k: number, lambda: number): number;
  vote_best_cells(cellsPtr: number, count: number, shiftCells: number, ratioCells: number, rounds: number): number;
  match_vote_key_budget(keys: number): void;
}

/** A segment as the core reports it, in the query's and the work's seconds. */
export interface CoreSegment {
  slot: number;
  queryStartSec: number;
  queryEndSec: number;
  refStartSec: number;
  refEndSec: number;
  hits: number;
  expectedHits: number;
  significance: number;
  confidence: number;
  timeRatio: number;
  pitchShiftSemitones: number;
  evidence: 'recording' | 'melody';
  /** The melody found the same work over the same span too (recording segments). */
  melodyToo: boolean;
}

/** One note of a melody given as notes (MIDI note number, seconds). */
export interface MelodyNote {
  midi: number;
  startSec: number;
  endSec: number;
}

export interface AnalyseOptions {
  /** A query to match (lighter triplet fan-out) or a reference to index (default). */
  role?: 'reference' | 'query';
  /** Input samples per channel handed to the core per step (default: one second). */
  chunkSamples?: number;
  /** Called after each step with the fraction done, 0..1. */
  onProgress?: (fraction: number) => void;
}

export type WasmSource = BufferSource | WebAssembly.Module | Response | PromiseLike<Response>;

export class CoreError extends Error {
  override name = 'CoreError';
}

/**
 * The index lives in the core's 32-bit memory (4 GB at most; loading it peaks at about 1.25× the
 * stored features, pending entries and built rows at once): a catalog past that makes the allocator
 * trap. Say so in words a user can act on.
 */
function outOfMemoryAsCoreError<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (e instanceof WebAssembly.RuntimeError) {
      throw new CoreError(
        'The catalog is too large to hold in memory (loading its index takes about 1.25 times its stored features, and at most 4 GB): ' +
          'remove works, or split the catalog into several catalog files and check against each.',
      );
    }
    throw e;
  }
}

export class Core {
  readonly formatVersion: number;
  readonly analysisRateHz: number;
  readonly hopSamples: number;
  readonly fftSize: number;
  /** Seconds per analysis frame. */
  readonly frameSec: number;
  readonly maxWorks: number;
  readonly maxFrames: number;

  private constructor(private readonly x: CoreExports) {
    this.formatVersion = x.core_format_version();
    this.analysisRateHz = x.core_analysis_rate_hz();
    this.hopSamples = x.core_hop_samples();
    this.fftSize = x.core_fft_size();
    this.frameSec = this.hopSamples / this.analysisRateHz;
    this.maxWorks = x.core_max_works();
    this.maxFrames = x.core_max_frames();
  }

  static async load(source: WasmSource): Promise<Core> {
    const imports = {
      env: {
        abort(): never {
          throw new CoreError('The analysis core stopped: it ran out of memory or met an internal error.');
        },
      },
    };
    let instance: WebAssembly.Instance;
    if (source instanceof WebAssembly.Module) {
      instance = await WebAssembly.instantiate(source, imports);
    } else if (isResponseLike(source)) {
      const response = await source;
      if (typeof WebAssembly.instantiateStreaming === 'function') {
        instance = (await WebAssembly.instantiateStreaming(response, imports)).instance;
      } else {
        instance = (await WebAssembly.instantiate(await response.arrayBuffer(), imports)).instance;
      }
    } else {
      instance = (await WebAssembly.instantiate(source as BufferSource, imports)).instance;
    }
    return new Core(instance.exports as unknown as CoreExports);
  }

  private f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, ptr, length);
  }

  private u32(ptr: number, length: number): Uint32Array {
    return new Uint32Array(this.x.memory.buffer, ptr, length);
  }

  /** Fingerprints decoded audio. Synchronous: run it in a worker. */
  analyse(audio: AudioInput, options: AnalyseOptions = {}): Fingerprint {
    const channelCount = audio.channels.length;
    const rate = Math.round(audio.sampleRateHz);
    if (channelCount < 1) throw new CoreError('The audio has no channels.');
    const total = Math.min(...audio.channels.map((c) => c.length));
    if (!this.x.analysis_begin(rate, channelCount, options.role === 'query' ? 1 : 0)) {
      throw new CoreError(`Unsupported sample rate ${audio.sampleRateHz} Hz or channel count ${channelCount}.`);
    }
    const chunk = Math.max(1, options.chunkSamples ?? rate);
    for (let start = 0; start < total; start += chunk) {
      const n = Math.min(chunk, total - start);
      const ptr = this.x.analysis_input(n);
      const view = this.f32(ptr, n * channelCount);
      for (let c = 0; c < channelCount; c++) view.set(audio.channels[c].subarray(start, start + n), c * n);
      this.x.analysis_push(n);
      options.onProgress?.((start + n) / total);
    }
    const hashCount = this.x.analysis_end();
    const hashes = this.u32(this.x.analysis_hashes_ptr(), hashCount).slice();
    const hashFrames = this.u32(this.x.analysis_hash_frames_ptr(), hashCount).slice();
    const tripletCount = this.x.analysis_triplet_count();
    const triplets = this.u32(this.x.analysis_triplets_ptr(), tripletCount).slice();
    const tripletFrames = this.u32(this.x.analysis_triplet_frames_ptr(), tripletCount).slice();
    const tripletExtras = this.u32(this.x.analysis_triplet_extras_ptr(), tripletCount).slice();
    const melodyCount = this.x.analysis_melody_count();
    const melody = this.u32(this.x.analysis_melody_ptr(), melodyCount).slice();
    const melodyFrames = this.u32(this.x.analysis_melody_frames_ptr(), melodyCount).slice();
    const melodyExtras = this.u32(this.x.analysis_melody_extras_ptr(), melodyCount).slice();
    if (hashCount === 0) options.onProgress?.(1);
    return {
      formatVersion: this.formatVersion,
      durationSec: total / rate,
      frameCount: this.x.analysis_frame_count(),
      peakCount: this.x.analysis_peak_count(),
      hashes,
      hashFrames,
      triplets,
      tripletFrames,
      tripletExtras,
      melody,
      melodyFrames,
      melodyExtras,
      rms: this.x.analysis_rms(),
    };
  }

  /**
   * A melody-only fingerprint from notes given as MIDI numbers and seconds (a work entered from
   * MIDI): no recording features, the melody hashed exactly as a played melody is. Notes must be
   * one line (no overlaps), in time order.
   */
  melodyFromNotes(notes: readonly MelodyNote[], durationSec: number): Fingerprint {
    const frameSec = this.frameSec;
    this.x.notes_begin();
    for (const n of notes) {
      // The core's pitches are semitones above 55 Hz (MIDI 33).
      this.x.note_push(Math.round(n.startSec / frameSec), Math.round(n.endSec / frameSec), n.midi - 33);
    }
    const count = this.x.melody_from_notes();
    const empty = new Uint32Array(0);
    return {
      formatVersion: this.formatVersion,
      durationSec,
      frameCount: Math.ceil(durationSec / frameSec),
      peakCount: 0,
      hashes: empty,
      hashFrames: empty,
      triplets: empty,
      tripletFrames: empty,
      tripletExtras: empty,
      melody: this.u32(this.x.analysis_melody_ptr(), count).slice(),
      melodyFrames: this.u32(this.x.analysis_melody_frames_ptr(), count).slice(),
      melodyExtras: this.u32(this.x.analysis_melody_extras_ptr(), count).slice(),
      rms: 0,
    };
  }

  /** The last analysis's spectral peaks (frame, bin, pitch in semitones above 55 Hz), for tests and views. */
  lastPeaks(): { frames: Uint32Array; bins: Uint32Array; pitches: Float32Array } {
    const n = this.x.analysis_peak_count();
    return {
      frames: this.u32(this.x.analysis_peak_frames_ptr(), n).slice(),
      bins: this.u32(this.x.analysis_peak_bins_ptr(), n).slice(),
      pitches: this.f32(this.x.analysis_peak_pitches_ptr(), n).slice(),
    };
  }

  /**
   * The last analysis's notes (onset and end frame, pitch in semitones above 55 Hz): of the predominant
   * pitch line ('main'), or of every line tracked, pooled in onset order ('pooled': what the melody matcher
   * compares, so what its evidence is shown with).
   */
  lastNotes(lines: 'main' | 'pooled' = 'pooled'): { onsets: Uint32Array; ends: Uint32Array; pitches: Float32Array } {
    const x = this.x;
    const [n, onsets, ends, pitches] = lines === 'main'
      ? [x.analysis_note_count(), x.analysis_note_onsets_ptr(), x.analysis_note_ends_ptr(), x.analysis_note_pitches_ptr()]
      : [x.analysis_pooled_note_count(), x.analysis_pooled_note_onsets_ptr(), x.analysis_pooled_note_ends_ptr(), x.analysis_pooled_note_pitches_ptr()];
    return { onsets: this.u32(onsets, n).slice(), ends: this.u32(ends, n).slice(), pitches: this.f32(pitches, n).slice() };
  }

  /** Writes a fingerprint's features where the core's `…_input(pairs, triplets, melody)` function says. */
  private writeFeatures(fp: Fingerprint, input: (pairs: number, triplets: number, melody: number) => number): void {
    const arrays = FEATURE_ARRAYS.map((name) => fp[name]);
    const total = arrays.reduce((sum, a) => sum + a.length, 0);
    const view = this.u32(input(fp.hashes.length, fp.triplets.length, fp.melody.length), total);
    let at = 0;
    for (const a of arrays) {
      view.set(a, at);
      at += a.length;
    }
  }

  // --- the index ---

  /** Adds a work's fingerprint to the in-memory index under `slot` (0 … maxWorks − 1). */
  indexAdd(slot: number, fingerprint: Fingerprint): void {
    this.assertFormat(fingerprint);
    const added = outOfMemoryAsCoreError(() => {
      this.writeFeatures(fingerprint, (p, t, m) => this.x.index_input(p, t, m));
      return this.x.index_add(slot, fingerprint.frameCount);
    });
    if (!added) throw new CoreError(`Index slot ${slot} is out of range or already used.`);
  }

  indexRemove(slot: number): boolean {
    return this.x.index_remove(slot) !== 0;
  }

  indexClear(): void {
    this.x.index_clear();
  }

  /** Rebuilds the hash rows now rather than on the next query. */
  indexBuild(): void {
    outOfMemoryAsCoreError(() => this.x.index_build());
  }

  /**
   * The built index as sections of 32-bit words (it builds first), for a snapshot that `indexRestore`
   * puts back into a core of the same build. The arrays are views into the core's memory: copy them
   * (a Blob does) before the next call into the core.
   */
  indexSnapshot(): Uint32Array[] {
    const count = outOfMemoryAsCoreError(() => this.x.index_snapshot_begin());
    const lengths = Array.from({ length: count }, (_, i) => this.x.index_section_length(i));
    return lengths.map((n, i) => this.u32(this.x.index_section_ptr(i), n));
  }

  /**
   * Replaces the index with a snapshot's sections (word counts `sectionWords`), which `read` writes in
   * pieces: `write(section, atWord, words)` copies into the core's memory, so the pieces never need
   * to be in memory all at once. Returns false, with the index left empty, if the snapshot is not
   * one this build of the core made (wrong sections, or buffers that fail its checks).
   */
  async indexRestore(
    sectionWords: readonly number[],
    read: (write: (section: number, atWord: number, words: Uint32Array) => void) => Promise<void>,
  ): Promise<boolean> {
    const count = this.x.index_restore_begin();
    if (sectionWords.length !== count || sectionWords.some((n) => !Number.isInteger(n) || n < 0 || n > 2 ** 30)) return false;
    outOfMemoryAsCoreError(() => sectionWords.forEach((n, i) => this.x.index_restore_section(i, n)));
    // No allocation happens from here to the end, so memory does not grow and the pointers hold.
    const ptrs = sectionWords.map((_, i) => this.x.index_section_ptr(i));
    try {
      await read((section, atWord, words) => {
        if (!(section >= 0 && section < count) || atWord < 0 || atWord + words.length > sectionWords[section]) {
          throw new CoreError('A snapshot section overflows.');
        }
        this.u32(ptrs[section] + atWord * 4, words.length).set(words);
      });
    } catch (e) {
      this.x.index_clear();
      throw e;
    }
    return this.x.index_restore_end() !== 0;
  }

  get indexWorkCount(): number {
    return this.x.index_work_count();
  }

  get indexPostingCount(): number {
    return this.x.index_posting_count();
  }

  get indexBytes(): number {
    return this.x.index_bytes();
  }

  /** Bytes of the core's linear memory: it never shrinks, so this is at least the peak so far (it grows in doublings). */
  get memoryBytes(): number {
    return this.x.memory.buffer.byteLength;
  }

  /** Matches a query fingerprint against the index. */
  match(query: Fingerprint): CoreSegment[] {
    this.assertFormat(query);
    this.writeFeatures(query, (p, t, m) => this.x.match_input(p, t, m));
    const count = this.x.match_run(query.frameCount);
    const fields = this.x.core_segment_fields();
    const records = new Float64Array(this.x.memory.buffer, this.x.segments_ptr(), count * fields);
    const frameSec = this.frameSec;
    // A hit's time is its anchor frame; the audio behind the last one runs on for one FFT window.
    const tailSec = this.fftSize / this.analysisRateHz;
    const segments: CoreSegment[] = [];
    for (let i = 0; i < count; i++) {
      const r = records.subarray(i * fields, (i + 1) * fields);
      const timeRatio = r[9];
      segments.push({
        slot: r[0],
        queryStartSec: r[1] * frameSec,
        queryEndSec: Math.min(r[2] * frameSec + tailSec, query.durationSec),
        refStartSec: Math.max(0, r[3] * frameSec),
        refEndSec: r[4] * frameSec + tailSec / timeRatio,
        hits: r[5],
        expectedHits: r[6],
        significance: r[7],
        confidence: r[8],
        timeRatio,
        pitchShiftSemitones: r[10],
        evidence: r[11] === 1 ? 'melody' : 'recording',
        melodyToo: r[11] === 0 && r[12] === 1,
      });
    }
    return segments;
  }

  private assertFormat(fp: Fingerprint): void {
    if (fp.formatVersion !== this.formatVersion) {
      throw new CoreError(
        `Features of format ${fp.formatVersion} cannot be matched by core format ${this.formatVersion}; re-analyse the audio.`,
      );
    }
  }

  // --- single stages, for tests against plain references ---

  /** Power spectrum of one frame of fftSize samples (already windowed). */
  stageFftPower(frame: Float32Array): Float32Array {
    const size = frame.length;
    this.x.fft_setup(size);
    const ptr = this.x.scratch(size + size / 2);
    this.f32(ptr, size).set(frame);
    this.x.fft_power(ptr, ptr + size * 4);
    return this.f32(ptr + size * 4, size / 2).slice();
  }

  /** −log10 of the core's bound on P(X ≥ k) for X ~ Poisson(λ). */
  stageChanceSignificance(k: number, lambda: number): number {
    return this.x.chance_significance(k, lambda);
  }

  /**
   * The triplet vote's choices of transform, round by round: the cell of a shiftCells × ratioCells
   * grid whose 3×3 neighbourhood holds the most live hits (cells in hit order, −1 for a hit already
   * explained), when each round drops every hit it chose. Stops early when no hit is left.
   */
  stageBestTransformCells(cells: Int32Array, shiftCells: number, ratioCells: number, rounds: number): { cell: number; hits: number }[] {
    const n = cells.length;
    const ptr = this.x.scratch(n + 2 * rounds);
    new Int32Array(this.x.memory.buffer, ptr, n).set(cells);
    const run = this.x.vote_best_cells(ptr, n, shiftCells, ratioCells, rounds);
    const out = new Int32Array(this.x.memory.buffer, ptr + n * 4, 2 * run);
    return Array.from({ length: run }, (_, r) => ({ cell: out[2 * r], hits: out[2 * r + 1] }));
  }

  /**
   * The most hits one pair vote sorts before it votes the works in slot ranges instead (0: the core's
   * default). A test hook: the ranged vote must give what the whole one does.
   */
  stageVoteKeyBudget(keys: number): void {
    this.x.match_vote_key_budget(keys);
  }

  /** Running maximum over ±half of a row. */
  stageMaxFilter(row: Float32Array, half: number): Float32Array {
    const n = row.length;
    const ptr = this.x.scratch(2 * n);
    this.f32(ptr, n).set(row);
    this.x.max_filter_row(ptr, ptr + n * 4, n, half);
    return this.f32(ptr + n * 4, n).slice();
  }
}

/** Names one build of the core: the SHA-256 of its .wasm, in hex (an index snapshot is only read back by the build that made it). */
export async function coreBuildId(wasm: BufferSource): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', wasm));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

function isResponseLike(source: WasmSource): source is Response | PromiseLike<Response> {
  return (
    (typeof Response !== 'undefined' && source instanceof Response) ||
    typeof (source as PromiseLike<Response>).then === 'function'
  );
}
