import type { CatalogDb } from '../storage/db';
import type { StoredWork } from '../storage/schema';
import { listMetadata, putMetadata } from '../storage/metadata';
import { emptyMetadata, validateMetadata, type MetadataIssue, type WorkMetadata } from '../core/metadata';
import { formatMetadataCsv, parseMetadataCsv, type CsvRowError } from '../report/metadata-csv';
import { messageFor } from './errors';

export interface RightsNotice {
  kind: 'error' | 'info';
  text: string;
  /** Row-level problems of a CSV import. */
  rows?: CsvRowError[];
}

/** The catalog's rights metadata (creators, splits, identifiers, clearance), owned by CatalogState. */
export class RightsState {
  #metadata = $state.raw<ReadonlyMap<string, WorkMetadata>>(new Map());
  #notice = $state.raw<RightsNotice | null>(null);

  constructor(private readonly openDb: () => Promise<CatalogDb>, private readonly works: () => StoredWork[]) {}

  get metadata(): ReadonlyMap<string, WorkMetadata> { return this.#metadata; }
  get notice(): RightsNotice | null { return this.#notice; }

  dismissNotice(): void { this.#notice = null; }

  /** A work's metadata, or the empty defaults (clearance unknown) when none was entered. */
  metadataFor(workId: string): WorkMetadata {
    return this.#metadata.get(workId) ?? emptyMetadata(workId);
  }

  async load(): Promise<void> {
    const all = await listMetadata(await this.openDb());
    this.#metadata = new Map(all.map((m) => [m.workId, m]));
  }

  /** Validates and stores one work's metadata; returns the issues instead when there are any. */
  async save(input: WorkMetadata): Promise<MetadataIssue[]> {
    const { metadata, issues } = validateMetadata({ ...input, updatedAt: Date.now() });
    if (issues.length) return issues;
    await putMetadata(await this.openDb(), [metadata]);
    await this.load();
    return [];
  }

  exportCsv(): Blob {
    return new Blob([formatMetadataCsv(this.works(), this.#metadata)], { type: 'text/csv;charset=utf-8' });
  }

  /** Imports a metadata CSV: good rows are stored together, bad rows are listed with their line. */
  async importCsv(file: Blob): Promise<number> {
    try {
      const { records, errors } = parseMetadataCsv(await file.text(), this.works(), this.#metadata);
      const skipped = records.length ? await putMetadata(await this.openDb(), records) : [];
      await this.load();
      const imported = records.length - skipped.length;
      const text = `Metadata imported for ${imported} ${imported === 1 ? 'work' : 'works'}` +
        (errors.length ? `; ${errors.length} ${errors.length === 1 ? 'row was' : 'rows were'} not used:` : '.');
      this.#notice = { kind: errors.length ? 'error' : 'info', text, rows: errors };
      return imported;
    } catch (e) {
      this.#notice = { kind: 'error', text: messageFor(e) };
      return 0;
    }
  }
}
