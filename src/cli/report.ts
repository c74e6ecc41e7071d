import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CatalogContents } from '../core/catalog-file';
import type { WorkMetadata } from '../core/metadata';
import type { QueryResult } from '../core/types';
import { parseMetadataCsv } from '../report/metadata-csv';
import { buildReport, reportFileName, reportToJson, sha256Hex } from '../report/report';
import { reportToCsv } from '../report/report-csv';
import { reportToHtml } from '../report/report-html';
import { readProvenanceBytes } from '../provenance/read-node';

// `tunetrace query --report json|csv|html [--out FILE|FOLDER] [--metadata FILE.csv]`:
// the same report builder and writers as the app. One file: the report goes to
// stdout, or to --out. Several files: --out names a folder, one report per file.

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface ReporterOptions {
  format: string;
  out?: string;
  metadataPath?: string;
  catalog: CatalogContents;
  searchedWorks: number;
  formatVersion: number;
  fileCount: number;
  log: (message: string) => void;
}

/** Reads a metadata CSV (the app's export format) for the catalog's works; unusable lines are logged, not fatal. */
export async function readMetadataCsv(path: string, catalog: CatalogContents, log: (m: string) => void): Promise<Map<string, WorkMetadata>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new Error(`Cannot read the metadata file ${path}.`);
  }
  const { records, errors } = parseMetadataCsv(text, catalog.works.map((w) => ({ id: w.meta.id, title: w.meta.title })), new Map());
  for (const e of errors) log(`${path}${e.row ? ` row ${e.row}` : ''}: ${e.message}`);
  log(`${path}: metadata for ${records.length} work(s)`);
  return new Map(records.map((m) => [m.workId, m]));
}

export class QueryReporter {
  private constructor(
    private readonly format: ReportFormat,
    private readonly options: ReporterOptions,
    private readonly metadata: ReadonlyMap<string, WorkMetadata>,
  ) {}

  static async create(options: ReporterOptions): Promise<QueryReporter> {
    const format = options.format.toLowerCase();
    if (!(REPORT_FORMATS as readonly string[]).includes(format)) throw new Error(`--report must be json, csv or html, not "${options.format}".`);
    if (options.fileCount > 1 && !options.out) throw new Error('With several files, --out must name a folder for the reports (one per file).');
    if (options.fileCount > 1) await mkdir(options.out!, { recursive: true });
    const metadata = options.metadataPath ? await readMetadataCsv(options.metadataPath, options.catalog, options.log) : new Map();
    return new QueryReporter(format as ReportFormat, options, metadata);
  }

  /** Writes the report of one checked file; returns where it went. */
  async write(path: string, result: QueryResult): Promise<string> {
    const bytes = new Uint8Array(await readFile(path));
    const { catalog, formatVersion } = this.options;
    const report = buildReport({
      file: { name: basename(path), sha256: await sha256Hex(bytes), sizeBytes: bytes.byteLength },
      result,
      catalog: { id: catalog.catalogId, name: catalog.name, works: this.options.searchedWorks },
      formatVersion,
      metadata: this.metadata,
      via: 'cli',
      provenance: await readProvenanceBytes(bytes, basename(path)),
      catalogWorks: catalog.works.map((w) => ({ id: w.meta.id, title: w.meta.title })),
    });
    const text = this.format === 'json' ? reportToJson(report) : this.format === 'csv' ? reportToCsv(report) : reportToHtml(report);
    const { out, fileCount } = this.options;
    if (!out) {
      process.stdout.write(text);
      return 'stdout';
    }
    const target = fileCount > 1 ? join(out, reportFileName(path, this.format)) : out;
    await writeFile(target, text);
    return target;
  }
}
