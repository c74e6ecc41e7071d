import { untilAborted, type Engine } from '../bridge/engine-client';
import { decodeAudioFile, waveformPeaks } from '../bridge/decode';
import type { NoteLine, QueryResult } from '../core/types';
import type { CatalogLoadProgress } from '../engine/load-catalog';
import { fetchDemoManifest, type PendingWorks } from './catalog.svelte';
import { isAbort, messageFor } from './errors';
import { readProvenance } from '../provenance/read';
import type { ProvenanceRead } from '../provenance/types';

export type CheckStage =
  | 'idle' | 'decoding' | 'analysing' | 'completing-catalog' | 'loading-index' | 'matching' | 'done' | 'failed' | 'cancelled';

/** What a check needs to know of the catalog's own work in progress (CatalogState). */
export interface CatalogActivity {
  /** Works the catalog counts as its own still being stored (the demo on a first run, re-analysis after an update). */
  readonly pending: PendingWorks | null;
  /** Files the user is adding now. */
  readonly adding: number;
}

export class CheckState {
  #stage = $state<CheckStage>('idle');
  #progress = $state(0);
  #fileName = $state('');
  #error = $state<string | null>(null);
  #result = $state.raw<QueryResult | null>(null);
  #peaks = $state.raw<Float32Array | null>(null);
  #audioUrl = $state<string | null>(null);
  /** The checked file and the core format it was analysed with: what a report needs (file hash, format). */
  #checked = $state.raw<{ file: Blob; formatVersion: number } | null>(null);
  /** What the file's C2PA content credentials declare, read beside the analysis; set with the result. */
  #provenance = $state.raw<ProvenanceRead | null>(null);
  /** The melody notes heard in the checked track, to show melody evidence. */
  #queryNotes = $state.raw<NoteLine | null>(null);
  /** While the check waits for the matcher's index: how far its load is (null before the matcher tells). */
  #indexLoad = $state.raw<CatalogLoadProgress | null>(null);
  /** Files the user was still adding when the result's matching started: not searched. */
  #notSearched = $state(0);
  #abort?: AbortController;

  constructor(private readonly engine: Engine, private readonly catalog?: CatalogActivity) {}

  get stage(): CheckStage { return this.#stage; }
  get progress(): number { return this.#progress; }
  get fileName(): string { return this.#fileName; }
  get error(): string | null { return this.#error; }
  get result(): QueryResult | null { return this.#result; }
  get peaks(): Float32Array | null { return this.#peaks; }
  get audioUrl(): string | null { return this.#audioUrl; }
  get checked(): { file: Blob; formatVersion: number } | null { return this.#checked; }
  get provenance(): ProvenanceRead | null { return this.#provenance; }
  get queryNotes(): NoteLine | null { return this.#queryNotes; }
  get indexLoad(): CatalogLoadProgress | null { return this.#indexLoad; }
  /** While the check waits for the catalog's pending works: how many are done (`catalog.pending` itself). */
  get pendingWorks(): PendingWorks | null { return this.#stage === 'completing-catalog' ? (this.catalog?.pending ?? null) : null; }
  get notSearched(): number { return this.#notSearched; }
  get running(): boolean {
    return this.#stage === 'decoding' || this.#stage === 'analysing' || this.#stage === 'completing-catalog'
      || this.#stage === 'loading-index' || this.#stage === 'matching';
  }

  /** Decodes, analyses and matches a track against the catalog. */
  async check(file: Blob, name: string): Promise<void> {
    this.cancel();
    const abort = new AbortController();
    this.#abort = abort;
    const { signal } = abort;
    if (this.#audioUrl) URL.revokeObjectURL(this.#audioUrl);
    this.#audioUrl = null;
    this.#fileName = name;
    this.#error = null;
    this.#result = null;
    this.#peaks = null;
    this.#checked = null;
    this.#provenance = null;
    this.#queryNotes = null;
    this.#notSearched = 0;
    this.#stage = 'decoding';
    this.#progress = 0.02;
    // Read beside the analysis; it never rejects, and a read error does not fail the check.
    const provenance = readProvenance(file, name);
    try {
      const audio = await decodeAudioFile(file, name, signal);
      // Peaks for the waveform before the channels are transferred to the worker.
      const peaks = waveformPeaks(audio);
      this.#stage = 'analysing';
      this.#progress = 0.1;
      const fp = await this.engine.analyse(name, audio, 'query', (f) => { if (!signal.aborted) this.#progress = 0.1 + 0.8 * f; }, signal);
      this.#progress = 0.92;
      // Wait for what the catalog the user sees holds: the first run's demo works or works analysed again after
      // an update, still being stored (a check made before would search only some of them; an update's works are
      // known only once the index has loaded, so this is asked again after that wait), and the matcher's index
      // (seconds for thousands of works; longer on the first start after an update or an import): say which,
      // rather than sit on "comparing".
      for (;;) {
        const pending = this.catalog?.pending;
        if (pending) {
          this.#stage = 'completing-catalog';
          await untilAborted(pending.done, signal);
        } else if (!this.engine.indexLoaded) {
          this.#stage = 'loading-index';
          this.#indexLoad = null;
          await this.engine.waitForIndex(signal, (p) => { if (!signal.aborted) this.#indexLoad = p; });
        } else {
          break;
        }
      }
      this.#stage = 'matching';
      const notSearched = this.catalog?.adding ?? 0;
      const result = await this.engine.match(fp, signal);
      const declared = await provenance;
      if (signal.aborted) throw new DOMException('The check was cancelled.', 'AbortError');
      this.#provenance = declared;
      this.#peaks = peaks;
      this.#audioUrl = URL.createObjectURL(file);
      this.#checked = { file, formatVersion: fp.formatVersion };
      this.#queryNotes = fp.notes ?? null;
      this.#result = result;
      this.#notSearched = notSearched;
      this.#stage = 'done';
      this.#progress = 1;
    } catch (e) {
      if (signal.aborted || isAbort(e)) {
        this.#stage = 'cancelled';
      } else {
        this.#error = messageFor(e);
        this.#stage = 'failed';
      }
    } finally {
      if (this.#abort === abort) this.#abort = undefined;
    }
  }

  cancel(): void {
    this.#abort?.abort();
    this.#abort = undefined;
  }

  /** Clears a failed check's message (another action began on the screen: it no longer applies). */
  dismissError(): void {
    if (this.#stage !== 'failed') return;
    this.#stage = 'idle';
    this.#error = null;
  }

  reset(): void {
    this.cancel();
    this.#stage = 'idle';
    this.#result = null;
    this.#error = null;
  }

  /** Checks the bundled demo track. */
  async tryDemo(): Promise<void> {
    try {
      const manifest = await fetchDemoManifest();
      const blob = await (await fetch(`demo/${manifest.track.file}`)).blob();
      await this.check(blob, manifest.track.file);
    } catch (e) {
      this.#error = messageFor(e);
      this.#stage = 'failed';
    }
  }
}
