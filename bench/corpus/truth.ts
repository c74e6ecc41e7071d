/** Ground-truth types for the benchmark corpus (bench/.corpus/truth.json). */

export interface RefWork {
  id: string;
  /** path relative to the corpus dir */
  file: string;
  durationSec: number;
  /** where it comes from, e.g. "generated: synth-pop seed 12" or "debian:pingus-data …/pingus-3.it" */
  source: string;
  /** SPDX id */
  licence: string;
}

export interface ExpectedSegment {
  workId: string;
  queryStartSec: number;
  queryEndSec: number;
  refStartSec: number;
  refEndSec: number;
  /** query duration / reference duration of the span (1.1 = stretched 10 % longer, i.e. slower) */
  timeRatio: number;
  /** query pitch − reference pitch, in semitones */
  pitchShiftSemitones: number;
}

export interface QueryCase {
  /** path relative to the corpus dir */
  file: string;
  /** fine condition name, e.g. "noise-white-5db" */
  condition: string;
  /** condition family, e.g. "noise", "codec", "pitch", "tempo", "speed", "mix", "short", "negative", "clean" */
  group: string;
  /** [] for negatives */
  expected: ExpectedSegment[];
}

export interface Truth {
  generatorVersion: number;
  refs: RefWork[];
  queries: QueryCase[];
}
