import { formatCsv } from './csv';
import type { CheckReport } from './report';

// The check report as one CSV table: one row per segment (record = "segment"),
// then one row per party (record = "party"). Every row repeats the file's
// SHA-256 and the catalog id, so rows stay traceable when a spreadsheet
// filters or sorts them. Times in seconds, shares as fractions of the track.
// Then the file's content credentials: one row (record = "provenance") with what
// they declare, and one per declared-vs-detected finding (record = "provenance-finding").

export const REPORT_CSV_COLUMNS = [
  'record', 'file', 'file_sha256', 'catalog_id', 'segment', 'work_id', 'title', 'isrc', 'iswc', 'clearance',
  'party', 'roles', 'split_percent', 'track_start_sec', 'track_end_sec', 'work_start_sec', 'work_end_sec',
  'evidence', 'confidence', 'hits', 'expected_hits', 'seconds', 'share_of_track',
  'provenance', 'generator', 'signer', 'signature', 'ai_use', 'ingredients', 'finding', 'note',
] as const;

type Row = Partial<Record<(typeof REPORT_CSV_COLUMNS)[number], string | number>>;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function reportToCsv(report: CheckReport): string {
  const common: Row = { file: report.file.name, file_sha256: report.file.sha256, catalog_id: report.catalog.id };
  const workOf = new Map(report.shares.map((s) => [s.workId, s] as const));
  const rows: Row[] = [];
  for (const s of report.segments) {
    const w = workOf.get(s.workId);
    rows.push({
      ...common, record: 'segment', segment: s.index, work_id: s.workId, title: s.title, isrc: w?.isrc ?? '', iswc: w?.iswc ?? '',
      clearance: s.clearance, track_start_sec: round(s.queryStartSec, 3), track_end_sec: round(s.queryEndSec, 3),
      work_start_sec: round(s.refStartSec, 3), work_end_sec: round(s.refEndSec, 3), evidence: s.melodyToo ? 'recording+melody' : s.evidence,
      confidence: round(s.confidence, 6), hits: s.hits, expected_hits: round(s.expectedHits, 4),
      seconds: round(s.queryEndSec - s.queryStartSec, 3),
    });
  }
  for (const p of report.splits.parties) {
    rows.push({
      ...common, record: 'party', party: p.name, roles: p.roles.join('; '),
      work_id: p.works.map((w) => w.workId).join('; '), title: p.works.map((w) => w.title).join('; '),
      split_percent: p.works.length === 1 ? p.works[0].splitPercent : '',
      seconds: round(p.seconds, 3), share_of_track: round(p.proportion, 6),
    });
  }
  rows.push(...provenanceRows(report, common));
  return formatCsv([[...REPORT_CSV_COLUMNS], ...rows.map((r) => REPORT_CSV_COLUMNS.map((c) => r[c] ?? ''))]);
}

function provenanceRows(report: CheckReport, common: Row): Row[] {
  const p = report.provenance;
  if (p.status !== 'declared') {
    const note = p.status === 'none' ? (p.reason === 'no-manifest' ? 'This file carries no content credentials (C2PA).' : `This file carries no content credentials (C2PA): they cannot be embedded in ${p.format} files.`)
      : p.status === 'error' ? p.message : p.reason;
    return [{ ...common, record: 'provenance', provenance: p.status, note }];
  }
  const d = p.declared;
  const rows: Row[] = [{
    ...common, record: 'provenance', provenance: p.status, generator: d.generator,
    signer: d.signer ? [d.signer.commonName, d.signer.issuer].filter(Boolean).join(', ') : '',
    signature: d.signature.state, ai_use: [d.ai.use, ...d.ai.digitalSourceTypes].join('; '),
    ingredients: d.ingredients.map((i) => i.title).join('; '), finding: p.comparison?.verdict ?? '', note: p.comparison?.headline ?? '',
  }];
  for (const f of p.comparison?.findings ?? []) {
    rows.push({ ...common, record: 'provenance-finding', provenance: f.topic, finding: f.kind, work_id: f.workId ?? '', title: f.ingredient ?? '', note: f.text });
  }
  return rows;
}
