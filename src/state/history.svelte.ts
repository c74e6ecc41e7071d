import { openCatalogDb, type CatalogDb } from '../storage/db';
import { checkFromReport, deleteCheck, getCheck, keepMelodyNotes, listChecks, putCheck } from '../storage/history';
import type { StoredCheck } from '../storage/schema';
import type { QueryResult } from '../core/types';
import type { CheckReport } from '../report/report';
import type { CatalogState } from './catalog.svelte';
import type { CheckState } from './check.svelte';
import { buildCheckReport } from './report';
import { messageFor } from './errors';

/** A saved report as the result the views draw (the report holds every field of it). */
export function resultFromReport(report: CheckReport): QueryResult {
  return {
    durationSec: report.file.durationSec,
    matches: report.segments,
    shares: report.shares,
    unattributedSec: report.unattributedSec,
    searchedWorks: report.searchedWorks,
  };
}

export { savedMelodyNotes } from '../storage/history';

/** Past checks: saved after every finished check, listed, re-opened and deleted. */
export class HistoryState {
  #checks = $state.raw<StoredCheck[]>([]);
  #open = $state.raw<StoredCheck | null>(null);
  #loaded = $state(false);
  #error = $state<string | null>(null);
  /** Why the last finished check could not be saved (shown on the Check screen). */
  #saveError = $state<string | null>(null);
  /** The result last saved, so one finished check is saved once. */
  #savedResult: QueryResult | null = null;
  #db?: Promise<CatalogDb>;

  constructor(private readonly dbName?: string) {}

  get checks(): StoredCheck[] { return this.#checks; }
  /** The saved check being shown, or null for the list. */
  get open(): StoredCheck | null { return this.#open; }
  get loaded(): boolean { return this.#loaded; }
  get error(): string | null { return this.#error; }
  get saveError(): string | null { return this.#saveError; }

  private db(): Promise<CatalogDb> {
    return (this.#db ??= openCatalogDb(this.dbName));
  }

  async load(): Promise<void> {
    try {
      this.#checks = await listChecks(await this.db());
      this.#loaded = true;
    } catch (e) {
      this.#error = messageFor(e);
    }
  }

  /** Saves the finished check on screen (its report, not its audio); a check already saved is not saved again. */
  async record(check: CheckState, catalog: CatalogState): Promise<void> {
    const result = check.result;
    // Read with the result: the notes heard in this check, not in one started meanwhile.
    const trackNotes = check.queryNotes;
    if (!result || result === this.#savedResult) return;
    this.#savedResult = result;
    this.#saveError = null;
    try {
      const report = await buildCheckReport(check, catalog);
      if (!report) return;
      // The notes of its melody segments as they are now, so the saved check shows them even if a work changes later.
      const melodyNotes = await keepMelodyNotes(result.matches, trackNotes, (id) => catalog.workNotes(id));
      await putCheck(await this.db(), checkFromReport(report, undefined, melodyNotes));
      await this.load();
    } catch (e) {
      this.#saveError = `This check could not be saved to History. ${messageFor(e)}`;
    }
  }

  async show(id: string): Promise<void> {
    const entry = await getCheck(await this.db(), id);
    this.#open = entry ?? null;
    if (!entry) {
      this.#error = 'That check is no longer in History.';
      await this.load();
    }
  }

  close(): void {
    this.#open = null;
  }

  async remove(id: string): Promise<void> {
    await deleteCheck(await this.db(), id);
    if (this.#open?.id === id) this.#open = null;
    await this.load();
  }

  dismissError(): void {
    this.#error = null;
  }
}
