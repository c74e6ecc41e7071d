import { CatalogIndex } from '../core/catalog-index';
import type { Core } from '../core/wasm-core';
import type { CatalogDb } from '../storage/db';
import { forEachFeatures } from '../storage/works';
import { dropIndexSnapshot, putIndexSnapshot, readIndexSnapshot } from '../storage/snapshot';
import type { StoredIndexSnapshot } from '../storage/schema';

// Loading the catalog into the matcher's index: from the index snapshot when one of this core and
// this catalog is stored (a copy of the built rows back into the core's memory), else from every
// work's features (add each as it is read, then build), after which a snapshot is taken for the
// next load. The snapshot is a cache (storage/snapshot.ts): anything wrong with it falls back to
// the features. A restored index is the kept one bit for bit, so it answers exactly as that index did.

/**
 * Below this much index, loading from the features takes about a second or less and a snapshot would
 * be mostly the 12 MB of fixed row offsets: none is kept. 48 MB ≈ 900 works of 30 s (those of the catalog bench).
 */
export const SNAPSHOT_MIN_INDEX_BYTES = 48 * 2 ** 20;
/** Bytes of a snapshot read into the core at a time (so the snapshot is never in memory twice). */
const RESTORE_PIECE_BYTES = 32 * 2 ** 20;

export interface CatalogLoadOptions {
  /** Default SNAPSHOT_MIN_INDEX_BYTES. */
  snapshotMinIndexBytes?: number;
  /** Waits before each new try of a snapshot write that failed; default SNAPSHOT_RETRY_DELAYS_MS. */
  snapshotRetryDelaysMs?: readonly number[];
  /** Words of the index copied per task while a snapshot is taken; default SNAPSHOT_PIECE_WORDS. */
  snapshotPieceWords?: number;
  /** Told how far the load is, after each work read from the features or each piece of a snapshot. */
  onProgress?: (progress: CatalogLoadProgress) => void;
}

/** How far a load is: works read from the features, or bytes of the snapshot copied into the core. */
export interface CatalogLoadProgress {
  source: CatalogLoad['source'];
  done: number;
  total: number;
}

/**
 * A snapshot write that threw is made again, with a new Blob, after each of these waits. Chromium
 * refuses a first blob over about 500 MB (storage/snapshot.ts SnapshotPut): 10,000 works of 30 s make
 * 503 MB. In 12 fresh browsers a 520 MB write failed at once every time; made again after 1 s it went
 * through in 3 of 6, after 2 s in 6 of 6 (and 1.1 GB in 2 of 2).
 */
export const SNAPSHOT_RETRY_DELAYS_MS: readonly number[] = [2000, 5000];

export interface CatalogLoad {
  index: CatalogIndex;
  /** Works whose stored features are of another core format and were left out. */
  stale: string[];
  source: 'snapshot' | 'features';
  /** The catalog stamp the index reflects (see storage/snapshot.ts). */
  stamp: string;
  /**
   * After a load from the features: takes a snapshot of the index and stores it (or deletes one this
   * core cannot use). Call it once the load's answer is out: taking the snapshot copies the whole index
   * out of the core's memory (a second or so for 10,000 works), so it is kept off the load itself. It
   * does nothing if the index changed since the load (that change's write made any snapshot of the load
   * stale). Resolves to whether a snapshot was stored; never rejects.
   */
  saveSnapshot?: () => Promise<boolean>;
  /** Where the time went, ms (for the benchmark): reading (with the adds, or the snapshot's copy), the adds alone, the build. */
  timings: { readMs: number; addMs: number; buildMs: number };
  /** Set by saveSnapshot: ms taking the snapshot (copying the index into Blobs, a piece per task). */
  snapshotMs?: number;
}

/** Loads the catalog of `db` into a fresh index over `core` (whose index must be empty); `coreId` names the core's build. */
export async function loadCatalog(db: CatalogDb, core: Core, coreId: string, options: CatalogLoadOptions = {}): Promise<CatalogLoad> {
  const t0 = performance.now();
  const found = await readIndexSnapshot(db, coreId, core.formatVersion);
  if (found.snapshot) {
    const index = await restoreIndex(core, found.snapshot, found.titles!, options.onProgress);
    const readMs = performance.now() - t0;
    if (index) return { index, stale: found.snapshot.stale, source: 'snapshot', stamp: found.snapshot.stamp, timings: { readMs, addMs: 0, buildMs: 0 } };
  }
  const t1 = performance.now();
  const index = new CatalogIndex(core);
  let addMs = 0;
  const onRead = options.onProgress && ((done: number, total: number) => options.onProgress!({ source: 'features', done, total }));
  const { staleIds, stamp } = await forEachFeatures(db, core.formatVersion, ({ meta, fingerprint }) => {
    const t = performance.now();
    index.add(meta, fingerprint);
    addMs += performance.now() - t;
  }, onRead);
  const t2 = performance.now();
  core.indexBuild();
  const t3 = performance.now();
  const load: CatalogLoad = { index, stale: staleIds, source: 'features', stamp, timings: { readMs: t2 - t1, addMs, buildMs: t3 - t2 } };
  const changesAtLoad = index.changes;
  if (snapshotDue(index, options)) {
    load.saveSnapshot = async () => {
      if (index.changes !== changesAtLoad) return false;
      return storeSnapshot(db, index, coreId, stamp, staleIds, options, (ms) => { load.snapshotMs ??= ms; });
    };
  } else if (found.snapshot || found.unusable) {
    load.saveSnapshot = () => dropIndexSnapshot(db).then(() => false, () => false);
  }
  return load;
}

/** Whether an index this large is worth a snapshot. */
export function snapshotDue(index: CatalogIndex, options: CatalogLoadOptions = {}): boolean {
  return index.core.indexBytes >= (options.snapshotMinIndexBytes ?? SNAPSHOT_MIN_INDEX_BYTES);
}

/**
 * Takes a snapshot of `index`, which must be the catalog at `stamp` (with `stale` left out), and stores it
 * unless the catalog has moved on since. The snapshot is copied out in pieces, a task each, so the worker
 * answers between them; a change to the index meanwhile abandons it (resolves false). A write that fails is
 * made again after each of the retry delays, with a snapshot taken anew, unless the index changed
 * meanwhile. `onTaken` is told how long each snapshot took to take. Never rejects.
 */
export async function storeSnapshot(
  db: CatalogDb, index: CatalogIndex, coreId: string, stamp: string, stale: string[], options: CatalogLoadOptions = {},
  onTaken?: (ms: number) => void,
): Promise<boolean> {
  const delays = options.snapshotRetryDelaysMs ?? SNAPSHOT_RETRY_DELAYS_MS;
  const changes = index.changes;
  for (let attempt = 0; ; attempt++) {
    const t = performance.now();
    const snapshot = await takeSnapshot(index, coreId, stamp, stale, options.snapshotPieceWords ?? SNAPSHOT_PIECE_WORDS);
    if (!snapshot) return false;
    onTaken?.(performance.now() - t);
    const put = await putIndexSnapshot(db, snapshot);
    if (put !== 'failed' || attempt >= delays.length) return put === 'stored';
    await new Promise((resolve) => setTimeout(resolve, delays[attempt]));
    if (index.changes !== changes) return false;
  }
}

/** Words of the index copied into a Blob per task while a snapshot is taken (32 MB: ~0.1 s here, mostly a memory's first touch). */
export const SNAPSHOT_PIECE_WORDS = 8 * 2 ** 20;

/**
 * A snapshot of `index` as it is when called, or undefined when the index changed before it was all
 * copied, or there is no memory left for the copy (it is only a cache).
 */
async function takeSnapshot(
  index: CatalogIndex, coreId: string, stamp: string, stale: string[], pieceWords: number,
): Promise<StoredIndexSnapshot | undefined> {
  const core = index.core;
  const changes = index.changes;
  try {
    const slots = index.slotTable();
    const sectionWords = core.indexSnapshot().map((s) => s.length);
    const parts: Blob[] = [];
    for (const [section, n] of sectionWords.entries()) {
      for (let from = 0; from < n; from += pieceWords) {
        // Views made again after each pause: a match meanwhile may have grown the core's memory (the rows
        // stay where they are unless the index changes, which abandons the snapshot).
        const words = core.indexSnapshot()[section];
        if (words.length !== n) return undefined;
        parts.push(new Blob([words.subarray(from, Math.min(n, from + pieceWords)) as Uint32Array<ArrayBuffer>]));
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (index.changes !== changes) return undefined;
      }
    }
    return { coreId, formatVersion: core.formatVersion, stamp, createdAt: Date.now(), ...slots, stale, sectionWords, data: new Blob(parts) };
  } catch {
    return undefined;
  }
}

type SectionWriter = (section: number, atWord: number, words: Uint32Array) => void;
/** A piece of a snapshot: within one section, at most RESTORE_PIECE_BYTES. */
type Piece = { section: number; fromWord: number; startByte: number; endByte: number };

/** The index of `snapshot`, or undefined (and an empty index in the core) if it cannot be used. */
async function restoreIndex(
  core: Core, snapshot: StoredIndexSnapshot, titles: Promise<Map<string, string>>, onProgress?: (progress: CatalogLoadProgress) => void,
): Promise<CatalogIndex | undefined> {
  const titleOf = titles.catch(() => undefined);
  const { sectionWords, data } = snapshot;
  const words = sectionWords.reduce((sum, n) => sum + n, 0);
  if (data.size !== words * 4) return undefined;
  const pieces: Piece[] = [];
  const sectionStart: number[] = [];
  let at = 0;
  for (const [section, n] of sectionWords.entries()) {
    sectionStart.push(at);
    for (let from = 0; from < n; from += RESTORE_PIECE_BYTES / 4) {
      const count = Math.min(RESTORE_PIECE_BYTES / 4, n - from);
      pieces.push({ section, fromWord: from, startByte: (at + from) * 4, endByte: (at + from + count) * 4 });
    }
    at += n;
  }
  let restored = false;
  try {
    const total = data.size;
    restored = await core.indexRestore(sectionWords, (write) => readPieces(data, pieces, (section, atWord, words) => {
      write(section, atWord, words);
      onProgress?.({ source: 'snapshot', done: Math.min(total, (sectionStart[section] + atWord + words.length) * 4), total });
    }));
  } catch {
    // An unreadable blob (its file gone) or a section that does not fit: load from the features.
    restored = false;
  }
  const titleMap = await titleOf;
  if (restored && titleMap) {
    const index = new CatalogIndex(core);
    if (index.restoreSlots(snapshot, (id) => titleMap.get(id))) return index;
  }
  core.indexClear();
  return undefined;
}

/**
 * Reads `pieces` of `data` in order into the core. Through one reused buffer where the Blob's stream is a
 * byte stream (a BYOB reader: the stream reads ahead, and no new buffer is allocated per piece; 10–20 %
 * faster in the catalog bench than reading slices), else slice by slice, the next read while one is copied.
 */
async function readPieces(data: Blob, pieces: Piece[], write: SectionWriter): Promise<void> {
  let reader: ReadableStreamBYOBReader | undefined;
  try {
    reader = data.stream().getReader({ mode: 'byob' });
  } catch {
    reader = undefined;
  }
  if (reader) {
    try {
      let buffer = new ArrayBuffer(RESTORE_PIECE_BYTES);
      for (const { section, fromWord, startByte, endByte } of pieces) {
        const want = endByte - startByte;
        for (let filled = 0; filled < want;) {
          const { value, done } = await reader.read(new Uint8Array(buffer, filled, want - filled));
          if (done || !value) throw new Error('The index snapshot ends early.');
          // (A read hands the buffer back as a new ArrayBuffer over the same memory.)
          buffer = value.buffer as ArrayBuffer;
          filled += value.byteLength;
        }
        write(section, fromWord, new Uint32Array(buffer, 0, want / 4));
      }
    } finally {
      void reader.cancel().catch(() => undefined);
    }
    return;
  }
  const readPiece = (i: number) => {
    const read = data.slice(pieces[i].startByte, pieces[i].endByte).arrayBuffer();
    read.catch(() => undefined); // (awaited below unless an earlier piece failed)
    return read;
  };
  let next = pieces.length > 0 ? readPiece(0) : undefined;
  for (let i = 0; i < pieces.length; i++) {
    const bytes = await next!;
    if (i + 1 < pieces.length) next = readPiece(i + 1);
    write(pieces[i].section, pieces[i].fromWord, new Uint32Array(bytes));
  }
}
