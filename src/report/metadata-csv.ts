import {
  CREATOR_ROLES, emptyMetadata, isCreatorRole, parseClearance, validateMetadata,
  type Creator, type WorkMetadata,
} from '../core/metadata';
import { CsvSyntaxError, formatCsv, parseCsv } from './csv';

// Catalog metadata as CSV, one row per work, so a label can bring a spreadsheet.
//
//   id,title,clearance,isrc,iswc,release,creators,notes
//
// - id: the work's id in the catalog; rows are matched by id, else by title (case-insensitive).
// - clearance: cleared | not-cleared | unknown (empty = unknown).
// - creators: "Name [role] split%" entries separated by ";", e.g.
//   "Ana Ruiz [composer] 50%; Ben Ko [lyricist] 50%". Roles: composer, lyricist,
//   performer, producer, publisher. All splits of a work add up to 100 %.
// Columns may come in any order; a column that is missing leaves that field as it was.

export const METADATA_CSV_COLUMNS = ['id', 'title', 'clearance', 'isrc', 'iswc', 'release', 'creators', 'notes'] as const;
type Column = (typeof METADATA_CSV_COLUMNS)[number];

export interface WorkRef {
  id: string;
  title: string;
}

export interface CsvRowError {
  /** Row as a spreadsheet numbers it (the header is row 1); 0 for a problem with the whole file. */
  row: number;
  message: string;
}

export function formatCreators(creators: Creator[]): string {
  return creators.map((c) => `${c.name} [${c.role}] ${c.splitPercent}%`).join('; ');
}

export function parseCreators(text: string): { creators: Creator[]; errors: string[] } {
  const creators: Creator[] = [];
  const errors: string[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter(Boolean)) {
    const m = /^(.+?)\s*\[\s*([^\]]+?)\s*\]\s*(-?[\d.,]+)\s*%?$/.exec(part);
    if (!m) {
      errors.push(`creator “${part}” must be written as Name [role] split%, like “Ana Ruiz [composer] 50%”.`);
      continue;
    }
    const role = m[2].toLowerCase();
    if (!isCreatorRole(role)) {
      errors.push(`creator “${m[1]}”: role “${m[2]}” is not one of ${CREATOR_ROLES.join(', ')}.`);
      continue;
    }
    creators.push({ name: m[1], role, splitPercent: Number(m[3].replace(',', '.')) });
  }
  return { creators, errors };
}

export function formatMetadataCsv(works: WorkRef[], metadata: ReadonlyMap<string, WorkMetadata>): string {
  const rows: string[][] = [[...METADATA_CSV_COLUMNS]];
  for (const w of works) {
    const m = metadata.get(w.id) ?? emptyMetadata(w.id);
    const byColumn: Record<Column, string> = {
      id: w.id, title: w.title, clearance: m.clearance, isrc: m.isrc, iswc: m.iswc, release: m.release,
      creators: formatCreators(m.creators), notes: m.notes,
    };
    rows.push(METADATA_CSV_COLUMNS.map((c) => byColumn[c]));
  }
  return formatCsv(rows);
}

/**
 * Reads metadata rows for the given works. Rows that cannot be used are
 * reported with their line and left out; the others are returned validated
 * and normalised, ready to store.
 */
export function parseMetadataCsv(
  text: string, works: WorkRef[], existing: ReadonlyMap<string, WorkMetadata>, now = Date.now(),
): { records: WorkMetadata[]; errors: CsvRowError[] } {
  let rows;
  try {
    rows = parseCsv(text);
  } catch (e) {
    if (e instanceof CsvSyntaxError) return { records: [], errors: [{ row: 0, message: e.message }] };
    throw e;
  }
  if (rows.length === 0) return { records: [], errors: [{ row: 1, message: 'The file is empty: it needs a header line and one line per work.' }] };
  const header = rows[0].fields.map((h) => h.trim().toLowerCase());
  const col = new Map<Column, number>();
  const unknown: string[] = [];
  header.forEach((h, i) => {
    if ((METADATA_CSV_COLUMNS as readonly string[]).includes(h)) col.set(h as Column, i);
    else if (h) unknown.push(h);
  });
  if (!col.has('id') && !col.has('title')) {
    return { records: [], errors: [{ row: rows[0].row, message: `The first line must name the columns, with “id” or “title” among them (${METADATA_CSV_COLUMNS.join(',')}).` }] };
  }
  const errors: CsvRowError[] = [];
  if (unknown.length) errors.push({ row: rows[0].row, message: `Columns not known and ignored: ${unknown.join(', ')}.` });

  const byId = new Map(works.map((w) => [w.id, w] as const));
  const byTitle = new Map<string, WorkRef[]>();
  for (const w of works) {
    const key = w.title.trim().toLowerCase();
    byTitle.set(key, [...(byTitle.get(key) ?? []), w]);
  }
  const done = new Map<string, number>();
  const records: WorkMetadata[] = [];
  for (const { row, fields } of rows.slice(1)) {
    const get = (c: Column) => { const i = col.get(c); return i === undefined ? undefined : (fields[i] ?? '').trim(); };
    const id = get('id') ?? '';
    const title = get('title') ?? '';
    let work = id ? byId.get(id) : undefined;
    if (!work && title) {
      const found = byTitle.get(title.toLowerCase()) ?? [];
      if (found.length > 1) {
        errors.push({ row, message: `Several works are titled “${title}”; give the id to say which one.` });
        continue;
      }
      work = found[0];
    }
    if (!work) {
      errors.push({ row, message: `No work in the catalog has ${id ? `the id “${id}”` : ''}${id && title ? ' or ' : ''}${title ? `the title “${title}”` : ''}${!id && !title ? 'an empty id and title' : ''}.` });
      continue;
    }
    if (done.has(work.id)) {
      errors.push({ row, message: `“${work.title}” was already given in row ${done.get(work.id)}; this row is ignored.` });
      continue;
    }
    const base = existing.get(work.id) ?? emptyMetadata(work.id);
    const problems: string[] = [];
    let clearance = base.clearance;
    const clearanceText = get('clearance');
    if (clearanceText !== undefined) {
      const c = parseClearance(clearanceText);
      if (c) clearance = c;
      else problems.push(`clearance “${clearanceText}” must be cleared, not-cleared or unknown.`);
    }
    let creators = base.creators;
    const creatorsText = get('creators');
    if (creatorsText !== undefined) {
      const parsed = parseCreators(creatorsText);
      creators = parsed.creators;
      problems.push(...parsed.errors);
    }
    const candidate: WorkMetadata = {
      workId: work.id,
      creators,
      isrc: get('isrc') ?? base.isrc,
      iswc: get('iswc') ?? base.iswc,
      release: get('release') ?? base.release,
      clearance,
      notes: get('notes') ?? base.notes,
      updatedAt: now,
    };
    const { metadata, issues } = validateMetadata(candidate);
    // Creator lines that did not parse would make the split total misleading: report those alone.
    problems.push(...issues.filter((i) => !(problems.length && i.field === 'splits')).map((i) => i.message));
    if (problems.length) {
      errors.push({ row, message: `“${work.title}”: ${problems.join(' ')}` });
      continue;
    }
    done.set(work.id, row);
    records.push(metadata);
  }
  return { records, errors };
}
