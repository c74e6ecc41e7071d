import type { MatchSegment, QueryResult } from '../core/types';
import { type ClearanceStatus, type Creator, type WorkMetadata } from '../core/metadata';
import { clearanceVerdict, flaggedClearanceText, flaggedHeadline, royaltySplit, type ClearanceVerdict, type RoyaltySplit } from './rights';
import { provenanceReport, type CatalogWorkRef } from '../provenance/compare';
import type { ProvenanceRead, ProvenanceReport } from '../provenance/types';

// The check report: one plain object, versioned, from which the JSON, CSV and
// printable HTML reports are all written. Built by the same function in the
// app and the CLI. The schema is documented in README.md ("Check reports").

export const REPORT_SCHEMA = 'tunetrace.check-report';
/**
 * Bump when a field changes meaning or is removed; adding fields keeps the version.
 * 2: `provenance` (the file's C2PA content credentials, declared vs detected) is always present.
 */
export const REPORT_SCHEMA_VERSION = 2;

/**
 * The matcher's reporting thresholds, as the core (wasm/assembly/config.ts)
 * sets them; tests/unit/report.test.ts fails if the two drift apart.
 */
export const MATCH_THRESHOLDS = {
  /** A segment is reported only if −log10(corrected chance probability) ≥ this. */
  minSignificance: 5,
  /** The same, as a probability: 10^−5. */
  maxCorrectedChanceProbability: 1e-5,
  /** A melody segment (evidence "melody"): −log10(corrected chance probability) ≥ this, with its notes matched one by one. */
  melodyMinSignificance: 4,
  /** The same, as a probability: 10^−4. */
  melodyMaxCorrectedChanceProbability: 1e-4,
  /** A melody segment needs at least this many matched note onsets. */
  melodyMinMatchedNotes: 6,
  /** And only with at least this many aligned fingerprint hits… */
  minSegmentHits: 6,
  /** …in at least this many evidence blocks (8 × 256 ms ≈ 2 s of matching audio). */
  minSegmentBlocks: 8,
  evidenceBlockSec: 0.256,
  /** A pause in evidence longer than this ends a segment. */
  segmentMaxGapSec: 2,
  /** Hits whose alignment differs by at most this vote together (±1 frame of 8 ms). */
  offsetToleranceSec: 0.008,
} as const;

export interface ReportInput {
  file: { name: string; sha256: string; sizeBytes: number };
  result: QueryResult;
  catalog: { id: string; name: string; works: number };
  /** Core feature format the query was analysed and matched with. */
  formatVersion: number;
  metadata: ReadonlyMap<string, WorkMetadata>;
  via: 'app' | 'cli';
  generatedAt?: Date;
  /** What the file's content credentials declare; absent = not looked for. */
  provenance?: ProvenanceRead;
  /** The catalog's works, to tell which declared ingredients are catalog works. */
  catalogWorks?: readonly CatalogWorkRef[];
}

export interface ReportSegment extends MatchSegment {
  index: number;
  clearance: ClearanceStatus;
}

export interface ReportWork {
  workId: string;
  title: string;
  seconds: number;
  proportion: number;
  /** Indexes of the segments this share comes from. */
  segments: number[];
  clearance: ClearanceStatus;
  isrc: string;
  iswc: string;
  release: string;
  creators: Creator[];
  /** false when the catalog holds no rights metadata for this work. */
  hasMetadata: boolean;
}

export interface CheckReport {
  schema: typeof REPORT_SCHEMA;
  schemaVersion: typeof REPORT_SCHEMA_VERSION;
  generatedAt: string;
  generator: { name: 'Tunetrace'; via: 'app' | 'cli' };
  file: { name: string; sha256: string; sizeBytes: number; durationSec: number };
  catalog: { id: string; name: string; works: number; formatVersion: number };
  searchedWorks: number;
  segments: ReportSegment[];
  shares: ReportWork[];
  unattributedSec: number;
  unattributedProportion: number;
  splits: RoyaltySplit;
  clearance: ClearanceVerdict;
  /** The file's C2PA content credentials and, when it has some, declared vs detected. */
  provenance: ProvenanceReport;
  method: { summary: string; shares: string; confidence: string; thresholds: typeof MATCH_THRESHOLDS };
  limits: string[];
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export function buildReport(input: ReportInput): CheckReport {
  const { result, metadata } = input;
  const clearanceOf = (workId: string): ClearanceStatus => metadata.get(workId)?.clearance ?? 'unknown';
  const segments = result.matches.map((m, index) => ({ ...m, index, clearance: clearanceOf(m.workId) }));
  const shares: ReportWork[] = result.shares.map((s) => {
    const m = metadata.get(s.workId);
    return {
      workId: s.workId, title: s.title, seconds: s.seconds, proportion: s.proportion,
      segments: segments.filter((x) => x.workId === s.workId).map((x) => x.index),
      clearance: clearanceOf(s.workId),
      isrc: m?.isrc ?? '', iswc: m?.iswc ?? '', release: m?.release ?? '', creators: m?.creators ?? [],
      hasMetadata: m !== undefined,
    };
  });
  const missingMeta = shares.filter((s) => !s.hasMetadata || s.creators.length === 0).map((s) => s.title);
  const limits = [
    `Only the ${result.searchedWorks} works of the catalog “${input.catalog.name}” were searched. Time marked “not from the catalog” may still come from other music; it is not a statement that it is original or cleared.`,
    `A segment is reported only when its aligned evidence is far above chance: corrected chance probability ≤ ${MATCH_THRESHOLDS.maxCorrectedChanceProbability}, at least ${MATCH_THRESHOLDS.minSegmentHits} aligned hits in at least ${MATCH_THRESHOLDS.minSegmentBlocks} blocks of ${MATCH_THRESHOLDS.evidenceBlockSec * 1000} ms; for a melody, corrected chance probability ≤ ${MATCH_THRESHOLDS.melodyMaxCorrectedChanceProbability} with at least ${MATCH_THRESHOLDS.melodyMinMatchedNotes} matched notes. Shorter or weaker uses are not reported, so the absence of a match is not proof of absence.`,
    `Material changed beyond what core format ${input.formatVersion} recognises (for example a melody re-sung or re-played) can go undetected; each segment says which kind of evidence found it.`,
    'Splits, identifiers and clearance come from the catalog’s metadata as its owner entered them; Tunetrace does not verify them. A work of unknown clearance is flagged like one that is not cleared.',
  ];
  const provenance = provenanceReport(input.provenance ?? { status: 'not-read', reason: 'Content credentials were not looked for.' }, result.shares, input.catalogWorks ?? []);
  if (provenance.status === 'declared') limits.push('Content credentials (C2PA) are what the file’s maker declares. Tunetrace checks that they are intact and signed, but it ships no trust list, so it cannot vouch for who signed them; an ingredient is matched to a catalog work only by an equal title.');
  if (missingMeta.length) limits.push(`No creators or splits are recorded for: ${missingMeta.join(', ')}; their share is not assigned to any party.`);
  return {
    schema: REPORT_SCHEMA,
    schemaVersion: REPORT_SCHEMA_VERSION,
    generatedAt: (input.generatedAt ?? new Date()).toISOString(),
    generator: { name: 'Tunetrace', via: input.via },
    file: { ...input.file, durationSec: result.durationSec },
    catalog: { ...input.catalog, formatVersion: input.formatVersion },
    searchedWorks: result.searchedWorks,
    segments,
    shares,
    unattributedSec: result.unattributedSec,
    unattributedProportion: result.durationSec > 0 ? result.unattributedSec / result.durationSec : 0,
    splits: royaltySplit(result.shares, metadata, result.durationSec),
    clearance: clearanceVerdict(result.matches, metadata),
    provenance,
    method: {
      summary: 'The track was decoded, resampled to 8 kHz and turned into spectral-peak landmark fingerprints; every catalog work sharing fingerprints at a consistent time offset was verified and cut into segments where its evidence pauses.',
      shares: 'A work’s share is the seconds of the track covered by its segments divided by the track’s length; where works overlap, the overlap is split in proportion to their confidence, and recording evidence outranks melody evidence. A party’s share is the work’s share times the party’s split of that work.',
      confidence: 'Confidence is 1 − the probability that a work not in the track would show this much aligned evidence by chance, corrected for every work and offset searched.',
      thresholds: MATCH_THRESHOLDS,
    },
    limits,
  };
}

export function reportToJson(report: CheckReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

export function clearanceHeadline(report: CheckReport): string {
  const v = report.clearance;
  if (v.status === 'no-catalog-works') return 'No work from the catalog was found, so there is nothing to clear.';
  if (v.status === 'cleared') return 'Uses only cleared works: every catalog work found in this track is cleared for AI use.';
  return `${flaggedHeadline(v.flagged).slice(0, -1)} (${v.flagged.map((f) => `${f.title}: ${flaggedClearanceText(f.clearance)}`).join('; ')}).`;
}

/** A file name for a report of `fileName`: “track.report.json”. */
export function reportFileName(fileName: string, ext: 'json' | 'csv' | 'html'): string {
  const base = fileName.split(/[\\/]/).pop()!.replace(/\.[^.]+$/, '') || 'check';
  return `${base}.report.${ext}`;
}
