import { wrap, transfer, proxy, releaseProxy, type Remote } from 'comlink';
import type { AnalysisApi } from '../engine/analysis.worker';
import type { MatcherApi } from '../engine/matcher.worker';
import { FEATURE_ARRAYS, type AudioInput, type Fingerprint, type QueryResult, type WorkMeta } from '../core/types';
import type { IndexStats } from '../engine/ops/matcher';
import type { CatalogLoadProgress } from '../engine/load-catalog';
import type { MidiSummary, MidiTrackInfo } from '../core/midi-track-info';
import type { CatalogChange } from '../storage/snapshot';

// Main-thread access to the engine. Workers start lazily; an abort terminates
// the worker doing the job (the only way to stop WASM mid-run) and the next
// job starts a fresh one.

class WorkerHandle<T> {
  private worker?: Worker;
  private remote?: Remote<T>;

  constructor(private readonly create: () => Worker, private readonly onRespawn?: (api: Remote<T>) => void) {}

  get api(): Remote<T> {
    if (!this.remote) {
      this.worker = this.create();
      this.remote = wrap<T>(this.worker);
      this.onRespawn?.(this.remote);
    }
    return this.remote;
  }

  terminate(): void {
    this.remote?.[releaseProxy]();
    this.worker?.terminate();
    this.worker = undefined;
    this.remote = undefined;
  }
}

export class AbortedError extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'AbortError';
  }
}

/** `promise`, or an AbortedError as soon as `signal` aborts (the promise itself goes on). */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new AbortedError());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Runs `job` on `handle`; if `signal` aborts first, terminates the worker and rejects. */
async function runAbortable<T, R>(handle: WorkerHandle<T>, signal: AbortSignal | undefined, job: (api: Remote<T>) => Promise<R>): Promise<R> {
  if (signal?.aborted) throw new AbortedError();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => {
      handle.terminate();
      reject(new AbortedError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([job(handle.api), aborted]);
  } finally {
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  }
}

export interface EngineOptions {
  /** IndexedDB database the matcher loads (tests use their own). */
  dbName?: string;
}

export class Engine {
  private readonly pool: WorkerHandle<AnalysisApi>[];
  private readonly idle: WorkerHandle<AnalysisApi>[];
  private readonly waiting: ((h: WorkerHandle<AnalysisApi>) => void)[] = [];
  private readonly matcher: WorkerHandle<MatcherApi>;
  private indexReady?: Promise<IndexStats>;
  /** Whether the matcher's index has loaded (a respawned matcher loads it again). */
  private indexLoadedNow = false;
  /** How far the load under way is, as the matcher last told. */
  private indexProgressNow?: CatalogLoadProgress;
  private readonly indexListeners = new Set<(progress: CatalogLoadProgress) => void>();
  private readonly loadListeners = new Set<(ready: Promise<IndexStats>) => void>();

  constructor(private readonly options: EngineOptions = {}) {
    // Leave one core for the page; more than four workers only adds memory.
    const size = Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 2) - 1));
    this.pool = Array.from(
      { length: size },
      () => new WorkerHandle<AnalysisApi>(() => new Worker(new URL('../engine/analysis.worker.ts', import.meta.url), { type: 'module', name: 'analysis' })),
    );
    this.idle = [...this.pool];
    this.matcher = new WorkerHandle<MatcherApi>(
      () => new Worker(new URL('../engine/matcher.worker.ts', import.meta.url), { type: 'module', name: 'matcher' }),
      (api) => {
        this.indexLoadedNow = false;
        this.indexProgressNow = undefined;
        const ready = api.loadIndex(this.options.dbName, {}, proxy((p: CatalogLoadProgress) => {
          if (this.indexReady !== ready) return;
          this.indexProgressNow = p;
          for (const listener of this.indexListeners) listener(p);
        }));
        this.indexReady = ready;
        ready.then(() => { if (this.indexReady === ready) this.indexLoadedNow = true; }, () => undefined);
        for (const listener of this.loadListeners) listener(ready);
      },
    );
  }

  get poolSize(): number {
    return this.pool.length;
  }

  private acquire(): Promise<WorkerHandle<AnalysisApi>> {
    const h = this.idle.pop();
    return h ? Promise.resolve(h) : new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(h: WorkerHandle<AnalysisApi>): void {
    const next = this.waiting.shift();
    if (next) next(h);
    else this.idle.push(h);
  }

  /** Fingerprints audio in a pool worker. The audio's buffers are transferred (unusable here afterwards). */
  async analyse(
    name: string,
    audio: AudioInput,
    role: 'reference' | 'query',
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ): Promise<Fingerprint> {
    const handle = await this.acquire();
    try {
      return await runAbortable(handle, signal, (api) =>
        api.analyseAudio(name, transfer(audio, audio.channels.map((c) => c.buffer as ArrayBuffer)), role, onProgress ? proxy(onProgress) : undefined),
      );
    } finally {
      this.release(handle);
    }
  }

  /** Runs one job on a pool worker. */
  private async onPool<R>(job: (api: Remote<AnalysisApi>) => Promise<R>, signal?: AbortSignal): Promise<R> {
    const handle = await this.acquire();
    try {
      return await runAbortable(handle, signal, job);
    } finally {
      this.release(handle);
    }
  }

  /** The tracks of a MIDI file with notes, and the default melody track. */
  readMidiTracks(name: string, bytes: Uint8Array, signal?: AbortSignal): Promise<MidiSummary> {
    return this.onPool((api) => api.readMidiTracks(name, bytes), signal);
  }

  /** A melody-only fingerprint of one track of a MIDI file (the default track unless `trackNumber` is given). */
  analyseMidi(name: string, bytes: Uint8Array, trackNumber?: number, signal?: AbortSignal): Promise<{ fingerprint: Fingerprint; track: MidiTrackInfo }> {
    return this.onPool((api) => api.analyseMidi(name, bytes, trackNumber), signal);
  }

  /** Starts the matcher and loads the catalog into its index. */
  loadIndex(): Promise<IndexStats> {
    void this.matcher.api;
    return this.indexReady!;
  }

  /**
   * Calls `listener` with every load of the index the matcher starts: at start-up, after an import, and
   * when a matcher stopped by a cancelled check is started again (at once with the latest load, if the
   * matcher has started). Returns a function that stops the calls.
   */
  onIndexLoad(listener: (ready: Promise<IndexStats>) => void): () => void {
    this.loadListeners.add(listener);
    if (this.indexReady) listener(this.indexReady);
    return () => this.loadListeners.delete(listener);
  }

  /**
   * Resolves with the load `ready` (one `onIndexLoad` told), telling its progress as the matcher does; never
   * starts a matcher. A later load's progress is not this one's.
   */
  async watchIndexLoad(ready: Promise<IndexStats>, onProgress: (progress: CatalogLoadProgress) => void): Promise<IndexStats> {
    const listener = (p: CatalogLoadProgress) => { if (this.indexReady === ready) onProgress(p); };
    this.indexListeners.add(listener);
    if (this.indexReady === ready && this.indexProgressNow) onProgress(this.indexProgressNow);
    try {
      return await ready;
    } finally {
      this.indexListeners.delete(listener);
    }
  }

  /** Whether the catalog's index is loaded, so a match starts at once (false before the matcher has started). */
  get indexLoaded(): boolean {
    return this.indexLoadedNow;
  }

  /**
   * Waits until the catalog's index is loaded (starting the matcher if need be). A cancel stops the wait,
   * not the load: the next check would otherwise start the load again.
   */
  async waitForIndex(signal?: AbortSignal, onProgress?: (progress: CatalogLoadProgress) => void): Promise<void> {
    if (signal?.aborted) throw new AbortedError();
    const ready = this.loadIndex();
    await untilAborted(onProgress ? this.watchIndexLoad(ready, onProgress) : ready, signal);
  }

  async match(query: Fingerprint, signal?: AbortSignal): Promise<QueryResult> {
    await this.loadIndex();
    return runAbortable(this.matcher, signal, (api) => api.matchQuery(transfer(query, FEATURE_ARRAYS.map((name) => query[name].buffer as ArrayBuffer))));
  }

  /** Adds a work just stored; `change` (putWork's) lets the matcher keep its index as a snapshot. */
  async addToIndex(meta: Pick<WorkMeta, 'id' | 'title'>, fingerprint: Fingerprint, change?: CatalogChange): Promise<void> {
    await this.loadIndex();
    await this.matcher.api.addToIndex(meta, fingerprint, change);
  }

  /** Removes a work just deleted; `change` is deleteWork's (see addToIndex). */
  async removeFromIndex(workId: string, change?: CatalogChange): Promise<void> {
    await this.loadIndex();
    await this.matcher.api.removeFromIndex(workId, change);
  }

  async renameInIndex(workId: string, title: string): Promise<void> {
    await this.loadIndex();
    await this.matcher.api.renameInIndex(workId, title);
  }

  /** Reloads the index from IndexedDB (after an import replaced many works). */
  reloadIndex(): Promise<IndexStats> {
    this.matcher.terminate();
    return this.loadIndex();
  }

  dispose(): void {
    for (const h of this.pool) h.terminate();
    this.matcher.terminate();
  }
}
