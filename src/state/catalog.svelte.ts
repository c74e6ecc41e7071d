import type { Engine } from '../bridge/engine-client';
import type { IndexStats } from '../engine/ops/matcher';
import type { CatalogLoadProgress } from '../engine/load-catalog';
import { decodeAudioFile } from '../bridge/decode';
import { openCatalogDb, type CatalogDb } from '../storage/db';
import {
  deleteWork, getAudio, getCatalogInfo, listWorks, putWork, putWorks, readAllFeatures, renameWork, updateCatalogInfo,
} from '../storage/works';
import { getWorkNotes } from '../storage/works';
import { checkFileSize } from '../core/validate';
import type { Fingerprint, NoteLine, WorkMeta } from '../core/types';
import { lowMelodyWarning, type MidiSummary } from '../core/midi-track-info';
import { unrebuildableWorksMessage, type UnrebuildableWork } from '../core/stale-works';
import type { CatalogBackup, CatalogInfo, StoredWork } from '../storage/schema';
import { decodeCatalogFile, encodeCatalogFile } from '../core/catalog-file';
import { messageFor } from './errors';
import { RightsState } from './rights.svelte';

/** The matcher's index as the Catalog screen tells it: loading (progress once told), or loaded (from where, how fast). */
export type IndexStatus =
  | { kind: 'loading'; progress: CatalogLoadProgress | null }
  | ({ kind: 'loaded' } & NonNullable<IndexStats['load']>);

export type ImportStage = 'queued' | 'reading' | 'choosing' | 'decoding' | 'analysing' | 'saving' | 'done' | 'failed';

export interface ImportJob {
  key: number;
  name: string;
  stage: ImportStage;
  /** 0..1 within the whole job. */
  progress: number;
  error?: string;
  /** Added, but with something the user should know (a MIDI melody below the tracker's range). */
  warning?: string;
  /** A MIDI file's tracks, while the user chooses the melody track (stage 'choosing'). */
  midi?: MidiSummary;
}

/**
 * Works the catalog already counts as its own that are still being stored: the first run's demo works,
 * or works analysed again after an update of the core. A check waits for them (see CheckState), or it
 * would search only the works stored so far.
 */
export interface PendingWorks {
  reason: 'demo' | 'update';
  total: number;
  /** Works done so far (stored or failed). */
  finished: number;
  /** Resolves once every one is done (it never rejects: a failed work is the import list's to tell). */
  done: Promise<void>;
}

export interface StorageUse {
  catalogBytes: number;
  usageBytes?: number;
  quotaBytes?: number;
}

interface DemoManifest {
  works: { id: string; title: string; file: string }[];
  track: { file: string; title: string };
}

let jobKey = 0;

interface AddOptions {
  /** false: the demo or a re-analysis, not counted towards the backup prompt. */
  isNew?: boolean;
  /** Called once per file when it is stored or has failed. */
  onWorkDone?: () => void;
}

/** Works added since the last backup that make the Catalog screen prompt for one (and again after a dismissal). */
export const BACKUP_PROMPT_WORKS = 10;

export interface BackupPrompt {
  worksAdded: number;
  /** ms since the epoch; undefined: never backed up from this browser. */
  lastBackupAt?: number;
}

const NO_BACKUP: CatalogBackup = { worksAddedSince: 0 };

/** Turns a file name into a title: no extension, separators as spaces. */
export function titleFromFileName(name: string): string {
  const base = name.replace(/\.[^.]+$/, '');
  return base.replace(/[_]+/g, ' ').replace(/\s+/g, ' ').trim() || name;
}

function slug(text: string): string {
  return text.normalize('NFKD').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'work';
}

export class CatalogState {
  #works = $state.raw<StoredWork[]>([]);
  #jobs = $state.raw<ImportJob[]>([]);
  #info = $state.raw<CatalogInfo | null>(null);
  #storage = $state.raw<StorageUse | null>(null);
  #ready = $state(false);
  #notice = $state<{ kind: 'error' | 'info'; text: string } | null>(null);
  /** Whether the browser promised not to evict the catalog (null: not known yet or no Storage API). */
  #persisted = $state<boolean | null>(null);
  /** The matcher's index: loading (with its progress, once told) or loaded (from where, how fast). */
  #index = $state.raw<IndexStatus | null>(null);
  /** The load `index` tells: the matcher's latest (an older one's messages are ignored). */
  #followed?: Promise<IndexStats>;
  #stopFollowing?: () => void;
  #pending = $state.raw<PendingWorks | null>(null);
  /** The bundled demo works' ids (empty until the manifest is read, or if the build has none). */
  #demoIds = $state.raw<ReadonlySet<string>>(new Set());
  /** MIDI import jobs waiting for the user to choose the melody track, by job key. */
  #midiChoices = new Map<number, (trackNumber: number | undefined) => void>();
  #persistAsked = $state(false);
  #db?: Promise<CatalogDb>;
  /** Rights metadata of the works (creators, splits, identifiers, clearance). */
  readonly rights = new RightsState(() => this.db(), () => this.#works);

  constructor(private readonly engine: Engine, private readonly dbName?: string) {}

  get works(): StoredWork[] { return this.#works; }
  get jobs(): ImportJob[] { return this.#jobs; }
  get info(): CatalogInfo | null { return this.#info; }
  get storage(): StorageUse | null { return this.#storage; }
  get ready(): boolean { return this.#ready; }
  get notice() { return this.#notice; }
  get persisted(): boolean | null { return this.#persisted; }
  get index(): IndexStatus | null { return this.#index; }
  get pending(): PendingWorks | null { return this.#pending; }
  /** Whether the catalog holds bundled demo works (stored, or being added) and nothing else: nothing of the user's to lose yet. */
  get onlyDemo(): boolean {
    return (this.#works.length > 0 || this.#pending?.reason === 'demo') && this.#works.every((w) => this.#demoIds.has(w.id));
  }
  /** Whether the browser has been asked this session to keep the catalog (requestPersistence). */
  get persistenceAsked(): boolean { return this.#persistAsked; }
  get busy(): boolean { return this.adding > 0; }
  /** Files being added now (queued, being read, analysed or stored, or waiting for a MIDI track choice). */
  get adding(): number { return this.#jobs.filter((j) => j.stage !== 'done' && j.stage !== 'failed').length; }
  get totalSec(): number { return this.#works.reduce((s, w) => s + w.durationSec, 0); }

  /** Whether to ask for a backup: many works added since the last one, not dismissed since, no import running. */
  get backupPrompt(): BackupPrompt | null {
    const { worksAddedSince, dismissedAtWorks = 0, lastBackupAt } = this.#info?.backup ?? NO_BACKUP;
    if (this.busy || worksAddedSince < BACKUP_PROMPT_WORKS || worksAddedSince - dismissedAtWorks < BACKUP_PROMPT_WORKS) return null;
    return { worksAdded: worksAddedSince, lastBackupAt };
  }

  /** Hides the backup prompt until another BACKUP_PROMPT_WORKS works are added. */
  async dismissBackupPrompt(): Promise<void> {
    await this.#changeBackup((b) => ({ ...b, dismissedAtWorks: b.worksAddedSince }));
  }

  async #changeBackup(change: (backup: CatalogBackup) => CatalogBackup): Promise<void> {
    this.#info = await updateCatalogInfo(await this.db(), (info) => ({ ...info, backup: change(info.backup ?? NO_BACKUP) }));
  }

  dismissNotice(): void { this.#notice = null; }

  private db(): Promise<CatalogDb> {
    return (this.#db ??= openCatalogDb(this.dbName));
  }

  /** Keeps `index` up to date with a load of the matcher's index: its progress, then where it came from and how long it took. */
  private async followIndexLoad(ready: Promise<IndexStats>): Promise<void> {
    this.#followed = ready;
    this.#index = { kind: 'loading', progress: null };
    const current = () => this.#followed === ready;
    try {
      const stats = await this.engine.watchIndexLoad(ready, (progress) => { if (current()) this.#index = { kind: 'loading', progress }; });
      if (current()) this.#index = stats.load ? { kind: 'loaded', ...stats.load } : null;
    } catch {
      if (current()) this.#index = null; // the caller that awaits the load reports its error
    }
  }

  /** Stops following the matcher's loads (the state is no longer shown). */
  dispose(): void {
    this.#stopFollowing?.();
  }

  /** Runs `add` (which calls its argument once per work done) with `pending` telling it. */
  async #completing(reason: PendingWorks['reason'], total: number, add: (onWorkDone: () => void) => Promise<void>): Promise<void> {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.#pending = { reason, total, finished: 0, done };
    const onWorkDone = () => {
      const pending = this.#pending;
      if (pending?.done === done) this.#pending = { ...pending, finished: pending.finished + 1 };
    };
    try {
      await add(onWorkDone);
    } finally {
      this.#pending = null;
      finish();
    }
  }

  /** Loads the catalog; on the very first run, adds the bundled demo works. */
  async init(): Promise<void> {
    const db = await this.db();
    this.#info = await getCatalogInfo(db);
    await this.refresh();
    const manifest = await fetchDemoManifest().catch(() => null);
    this.#demoIds = new Set(manifest?.works.map((w) => w.id));
    // The seeding is pending (see `pending`) before the screens are ready, so no check starts ahead of it.
    const seeding = !this.#info.demoSeeded && manifest ? this.seedDemo(manifest) : undefined;
    this.#ready = true;
    this.#persisted = (await navigator.storage?.persisted?.().catch(() => null)) ?? null;
    await seeding;
    // Every load of the matcher's index is shown as it goes: this one, the reload after an import, and
    // the load of a matcher started again after a cancelled check.
    this.#stopFollowing ??= this.engine.onIndexLoad((ready) => void this.followIndexLoad(ready));
    try {
      // Works left out as stale are pending (re-analysis) from the moment the load is answered, in the same
      // callback: a check waiting for this load then finds them pending when it goes on.
      await this.engine.loadIndex().then(({ stale }) => (stale.length ? this.reanalyse(stale) : undefined), (e: unknown) => {
        this.#index = null;
        // The catalog is stored but cannot be matched (e.g. too large for the core's memory): say so.
        this.#notice = { kind: 'error', text: messageFor(e) };
      });
    } catch (e) {
      this.#notice = { kind: 'error', text: messageFor(e) };
    }
  }

  /**
   * Works whose stored features were made by another version of the core are
   * analysed again from their stored audio, never matched with stale features.
   */
  private reanalyse(ids: string[]): Promise<void> {
    // Pending at once (before the first await), each work counted done as it is rebuilt or found unrebuildable.
    return this.#completing('update', ids.length, async (onWorkDone) => {
      const db = await this.db();
      const byId = new Map(this.#works.map((w) => [w.id, w]));
      const files: { file: Blob; name: string; id: string; title: string }[] = [];
      const midiFiles: { file: Blob; name: string; id: string; title: string; trackNumber?: number }[] = [];
      const orphans: UnrebuildableWork[] = [];
      for (const id of ids) {
        const work = byId.get(id);
        const audio = await getAudio(db, id);
        if (work?.sourceKind === 'midi' && audio) midiFiles.push({ file: audio, name: work.sourceName, id, title: work.title, trackNumber: work.midiTrack });
        else if (work && audio) files.push({ file: audio, name: work.sourceName, id, title: work.title });
        else {
          orphans.push({ title: work?.title ?? id, midi: work?.sourceKind === 'midi' });
          onWorkDone();
        }
      }
      const orphaned = unrebuildableWorksMessage(orphans);
      if (orphaned) this.#notice = { kind: 'error', text: orphaned };
      if (midiFiles.length) await this.addMidiFiles(midiFiles, { isNew: false, onWorkDone });
      if (files.length) await this.addFiles(files, { isNew: false, onWorkDone });
    });
  }

  get keepAudio(): boolean {
    return this.#info?.keepAudio ?? true;
  }

  async setKeepAudio(keep: boolean): Promise<void> {
    this.#info = await updateCatalogInfo(await this.db(), (info) => ({ ...info, keepAudio: keep }));
  }

  private async refresh(): Promise<void> {
    const db = await this.db();
    this.#works = await listWorks(db);
    await this.rights.load();
    const catalogBytes = this.#works.reduce((s, w) => s + w.audioBytes + w.featureBytes, 0);
    const estimate = await navigator.storage?.estimate?.().catch(() => undefined);
    this.#storage = { catalogBytes, usageBytes: estimate?.usage, quotaBytes: estimate?.quota };
  }

  private updateJob(key: number, patch: Partial<ImportJob>): void {
    this.#jobs = this.#jobs.map((j) => (j.key === key ? { ...j, ...patch } : j));
  }

  private uniqueId(base: string): string {
    const taken = new Set(this.#works.map((w) => w.id));
    let id = slug(base);
    for (let n = 2; taken.has(id); n++) id = `${slug(base)}-${n}`;
    return id;
  }

  /** One import job per file, queued in the import list (finished jobs make way). */
  #queueJobs<T extends { name: string }>(files: T[]): (T & { key: number })[] {
    const jobs = files.map((f) => ({ ...f, key: ++jobKey }));
    this.#jobs = [...this.#jobs.filter((j) => j.stage !== 'done'), ...jobs.map((j) => ({ key: j.key, name: j.name, stage: 'queued' as const, progress: 0 }))];
    return jobs;
  }

  /**
   * What every import does once a work's features are made: the work named, stored with its source in one
   * transaction, counted towards the backup prompt when new, added to the matcher's index, its job marked done.
   */
  async #storeWork(
    db: CatalogDb,
    job: { key: number; name: string; id?: string; title?: string },
    fingerprint: Fingerprint,
    { source, isNew, meta: more = {}, done = {} }: { source: Blob | undefined; isNew: boolean; meta?: Partial<WorkMeta>; done?: Partial<ImportJob> },
  ): Promise<void> {
    const title = job.title ?? titleFromFileName(job.name);
    const id = job.id ?? this.uniqueId(title);
    const meta: WorkMeta = { id, title, durationSec: fingerprint.durationSec, addedAt: Date.now(), sourceName: job.name, ...more };
    const { change } = await putWork(db, { meta, fingerprint }, source);
    // The work is stored: a failure to count it for the backup prompt must not report it as not added.
    if (isNew) await this.#changeBackup((b) => ({ ...b, worksAddedSince: b.worksAddedSince + 1 })).catch(() => undefined);
    await this.engine.addToIndex(meta, fingerprint, change);
    this.updateJob(job.key, { stage: 'done', progress: 1, ...done });
    if (isNew) void this.requestPersistence();
    await this.refresh();
  }

  /**
   * Adds audio files as works. Each file is decoded, analysed and stored on its own; a failure touches nothing else.
   * `isNew: false` (the demo, a re-analysis) does not count towards the backup prompt.
   */
  async addFiles(files: { file: Blob; name: string; id?: string; title?: string }[], { isNew = true, onWorkDone }: AddOptions = {}): Promise<void> {
    const jobs = this.#queueJobs(files);
    const db = await this.db();
    const run = async (job: (typeof jobs)[number]) => {
      try {
        this.updateJob(job.key, { stage: 'decoding', progress: 0.02 });
        const audio = await decodeAudioFile(job.file, job.name);
        this.updateJob(job.key, { stage: 'analysing', progress: 0.1 });
        const fingerprint = await this.engine.analyse(job.name, audio, 'reference', (f) => this.updateJob(job.key, { progress: 0.1 + 0.8 * f }));
        this.updateJob(job.key, { stage: 'saving', progress: 0.95 });
        await this.#storeWork(db, job, fingerprint, { source: this.keepAudio ? job.file : undefined, isNew });
      } catch (e) {
        this.updateJob(job.key, { stage: 'failed', error: messageFor(e) });
      } finally {
        onWorkDone?.();
      }
    };
    // As many files at once as there are analysis workers.
    const queue = [...jobs];
    await Promise.all(
      Array.from({ length: Math.min(this.engine.poolSize, queue.length) }, async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await run(job);
      }),
    );
  }

  /**
   * Adds MIDI files as melody-only works. A file with more than one pitched track waits, as a
   * 'choosing' job, until chooseMidiTrack or cancelMidiJob (unless `trackNumber` is given). The .mid
   * is kept in place of audio (a few KB), so the work can be made again when the core's format changes.
   */
  async addMidiFiles(
    files: { file: Blob; name: string; trackNumber?: number; id?: string; title?: string }[], { isNew = true, onWorkDone }: AddOptions = {},
  ): Promise<void> {
    const jobs = this.#queueJobs(files);
    const db = await this.db();
    await Promise.all(jobs.map(async (job) => {
      try {
        checkFileSize(job.name, job.file.size);
        this.updateJob(job.key, { stage: 'reading', progress: 0.05 });
        const bytes = new Uint8Array(await job.file.arrayBuffer());
        let trackNumber = job.trackNumber;
        let otherTracks = true;
        if (trackNumber === undefined) {
          const midi = await this.engine.readMidiTracks(job.name, bytes);
          const pitched = midi.tracks.filter((t) => t.candidate);
          otherTracks = pitched.length > 1;
          trackNumber = pitched.length === 1 ? pitched[0].number : await new Promise<number | undefined>((resolve) => {
            this.#midiChoices.set(job.key, resolve);
            this.updateJob(job.key, { stage: 'choosing', progress: 0.2, midi });
          });
          if (trackNumber === undefined) return;
        }
        this.updateJob(job.key, { stage: 'analysing', progress: 0.5, midi: undefined });
        const { fingerprint, track } = await this.engine.analyseMidi(job.name, bytes, trackNumber);
        this.updateJob(job.key, { stage: 'saving', progress: 0.9 });
        await this.#storeWork(db, job, fingerprint, {
          source: job.file, // the .mid itself, whatever keepAudio says
          isNew,
          meta: { sourceKind: 'midi', midiTrack: track.number },
          done: { warning: (isNew && lowMelodyWarning(track, { otherTracks })) || undefined },
        });
      } catch (e) {
        this.updateJob(job.key, { stage: 'failed', error: messageFor(e), midi: undefined });
      } finally {
        onWorkDone?.();
      }
    }));
  }

  /** Goes on with a MIDI file waiting for its melody track. */
  chooseMidiTrack(key: number, trackNumber: number): void {
    this.#midiChoices.get(key)?.(trackNumber);
    this.#midiChoices.delete(key);
  }

  /** Drops a MIDI file waiting for its melody track: nothing is added. */
  cancelMidiJob(key: number): void {
    this.#midiChoices.get(key)?.(undefined);
    this.#midiChoices.delete(key);
    this.#jobs = this.#jobs.filter((j) => j.key !== key);
  }

  /** A work's melody notes as stored with its features (undefined: stored before notes were kept). */
  async workNotes(id: string): Promise<NoteLine | undefined> {
    return getWorkNotes(await this.db(), id);
  }

  /** A work's original audio, or undefined when it was stored without (keep-audio off, or imported from a .ttcat). */
  async workAudio(id: string): Promise<Blob | undefined> {
    return getAudio(await this.db(), id);
  }

  async remove(id: string): Promise<void> {
    const change = await deleteWork(await this.db(), id);
    await this.engine.removeFromIndex(id, change);
    await this.refresh();
  }

  async rename(id: string, title: string): Promise<void> {
    const clean = title.trim();
    if (!clean) return;
    await renameWork(await this.db(), id, clean);
    await this.engine.renameInIndex(id, clean);
    await this.refresh();
  }

  clearFinishedJobs(): void {
    this.#jobs = this.#jobs.filter((j) => j.stage !== 'done' && j.stage !== 'failed');
  }

  /**
   * The catalog as a .ttcat file (features and metadata, not audio). The file is the backup: the
   * caller saves it at once, and the works it holds no longer count towards the backup prompt.
   */
  async exportCatalog(): Promise<Blob> {
    const { formatVersion } = await this.engine.loadIndex();
    const db = await this.db();
    const info = await getCatalogInfo(db);
    const { works } = await readAllFeatures(db, formatVersion);
    const bytes = await encodeCatalogFile({ catalogId: info.catalogId, name: info.name, createdAt: info.createdAt, works }, formatVersion);
    // Works added while the file was being made may not be in it: only those counted before are covered.
    const covered = info.backup?.worksAddedSince ?? 0;
    await this.#changeBackup((b) => ({ lastBackupAt: Date.now(), worksAddedSince: Math.max(0, b.worksAddedSince - covered) }));
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  }

  /** Adds every work of a .ttcat file in one transaction: all or nothing. Works with the same id are replaced. */
  async importCatalog(file: Blob): Promise<number> {
    try {
      const { formatVersion } = await this.engine.loadIndex();
      const contents = await decodeCatalogFile(new Uint8Array(await file.arrayBuffer()), formatVersion);
      await putWorks(await this.db(), contents.works.map((record) => ({ record })));
      // (The reload's progress and outcome reach `index` through onIndexLoad; an error is this import's.)
      await this.engine.reloadIndex();
      await this.refresh();
      this.#notice = { kind: 'info', text: `Imported ${contents.works.length} works from “${contents.name}”.` };
      void this.requestPersistence();
      return contents.works.length;
    } catch (e) {
      this.#notice = { kind: 'error', text: messageFor(e) };
      return 0;
    }
  }

  /**
   * Asks the browser to keep the catalog even when the disk runs low. Asked once the user has
   * added works of their own (not for the demo), as some browsers show a prompt.
   */
  async requestPersistence(): Promise<boolean | null> {
    // Once per session: a refusal stands until the next start.
    if (this.#persistAsked || this.#persisted || !navigator.storage?.persist) return this.#persisted;
    this.#persistAsked = true;
    this.#persisted = await navigator.storage.persist().catch(() => false);
    return this.#persisted;
  }

  /**
   * Adds the bundled demo works (first run only). A first run cut short (the tab closed while the
   * demo was being added) is completed on the next start; a catalog holding works of the user's
   * own gets no demo.
   */
  seedDemo(manifest: DemoManifest): Promise<void> {
    if (this.#works.some((w) => !this.#demoIds.has(w.id))) return Promise.resolve();
    const stored = new Set(this.#works.map((w) => w.id));
    const missing = manifest.works.filter((w) => !stored.has(w.id));
    // Pending at once (before the first await): see init.
    return this.#completing('demo', missing.length, async (onWorkDone) => {
      const files = await Promise.all(
        missing.map(async (w) => ({ file: await (await fetch(`demo/${w.file}`)).blob(), name: w.file.split('/').pop()!, id: w.id, title: w.title })),
      );
      await this.addFiles(files, { isNew: false, onWorkDone });
      this.#info = await updateCatalogInfo(await this.db(), (info) => ({ ...info, demoSeeded: true }));
    });
  }
}

let manifest: Promise<DemoManifest> | undefined;
export function fetchDemoManifest(): Promise<DemoManifest> {
  manifest ??= fetch('demo/manifest.json').then((r) => {
    if (!r.ok) throw new Error('The demo files are missing from this build.');
    return r.json() as Promise<DemoManifest>;
  });
  return manifest;
}
