import { afterAll, expect, inject, it } from 'vitest';
import { commands } from 'vitest/browser';
import { deleteDB } from 'idb';
import wasmUrl from '../../build/core.wasm?url';
import { Core, coreBuildId } from '../../src/core/wasm-core';
import { noteLineFromCore } from '../../src/core/note-line';
import { featureBytes, type Fingerprint, type WorkRecord } from '../../src/core/types';
import { openCatalogDb } from '../../src/storage/db';
import { putWorks } from '../../src/storage/works';
import { dropIndexSnapshot } from '../../src/storage/snapshot';
import { loadCatalog, type CatalogLoad, type CatalogLoadProgress } from '../../src/engine/load-catalog';
import type { StoredIndexSnapshot } from '../../src/storage/schema';
import { proxy, wrap } from 'comlink';
import type { MatcherApi } from '../../src/engine/matcher.worker';
import { synthMelody } from '../../tests/fixtures/audio';

// Issue #4's "a synthetic 10,000-work catalog loaded from IndexedDB in < 3 s", in real Chromium
// IndexedDB on disk (a persistent profile, see vitest.bench.config.ts): N works are written with the
// app's putWorks, then loaded. Each run loads twice: from the features (no snapshot stored: every work
// read and added as it arrives, the index built, a snapshot taken), here on the page's thread as the
// matcher worker's loadIndex does (open, loadCatalog), timed step by step; then, once that snapshot is
// stored, from the snapshot (the built index copied back), which is what every start meets until the
// catalog changes again. That load runs in a fresh matcher worker, as the app starts, not on this page
// (which holds the cold load's garbage).
// On that VM most of a load is memory's first touch: writing 500 MB of freshly allocated memory takes
// 1.4–1.9 s there (writing it again 5 ms), so the index's size, not the read, sets the time.
// Run with `npm run bench:catalog` (vitest.bench.config.ts), never by `npm test`.

declare module 'vitest/browser' {
  interface BrowserCommands {
    /** `sync` on the machine running the browser (vitest.bench.config.ts); resolves to its ms. */
    syncDisk: () => Promise<number>;
  }
}

declare module 'vitest' {
  interface ProvidedContext {
    catalogSizes: string;
    catalogRuns: number;
    syncBeforeLoad: boolean;
    gcBeforeLoad: boolean;
    appCycles: number;
    reloadAtOnce: boolean;
  }
}

const SAMPLE_RATE_HZ = 22050;
/** Works per putWorks transaction while the catalog is written. */
const WRITE_BATCH_WORKS = 50;
/** The stored features of the benchmark corpus (bench/results/latest.json): 10.1 MB per hour of audio. */
const CORPUS_FEATURE_BYTES_PER_SEC = 2799;
/** Wait before each load. */
const PAUSE_BEFORE_LOAD_MS = 3000;
/** Loads from the snapshot after each load from the features, each in a fresh worker. */
const WARM_LOADS_PER_RUN = 3;
/** Issue #4: 10,000 works loaded from IndexedDB in under 3 s. */
const TARGET_MS = 3000;

interface LoadRun {
  openMs: number;
  /** Reading every work, with the adds (they run as the works arrive). */
  readMs: number;
  /** Time spent in the adds, within readMs. */
  addMs: number;
  buildMs: number;
  /** Taking the snapshot after the load (a Blob of the core's index; in the background in the app, not in totalMs). */
  snapshotMs: number;
  totalMs: number;
}

/** BENCH_APP_CYCLES: the load from the features in a matcher worker, then a reload after its snapshot is stored. */
interface AppRun {
  /** The first worker's load from the features (creating the worker to its answer). */
  coldMs: number;
  /** From that answer to the snapshot found in the store (taken and written in the background). */
  storedMs: number;
  /** The fresh worker's load from the snapshot, as it reports it, and from creating it to its answer. */
  loadMs: number;
  totalMs: number;
}

interface WarmRun {
  /** In the worker: opening the database and reading the snapshot into the core (and the works' titles), with its checks. */
  loadMs: number;
  /** From creating the worker to its answer (with fetching and compiling the core): what a user waits for. */
  totalMs: number;
}

interface SizeResult {
  works: number;
  workSec: number;
  featureBytesPerWork: number;
  featureMB: number;
  writeSec: number;
  /** Instantiating a fresh core (memory and index) from the compiled module, before each load. */
  coreInstantiateMs: number;
  runs: LoadRun[];
  min: LoadRun;
  median: LoadRun;
  /** Storing the snapshot once taken, after each load from the features (in the background in the app). */
  snapshotWriteMs: number[];
  /** BENCH_SYNC_BEFORE_LOAD: `sync` before each run's first load from the snapshot (empty otherwise). */
  syncMs: number[];
  /** BENCH_GC_BEFORE_LOAD: the page's full collection before each run's first load from the snapshot (empty otherwise). */
  gcMs: number[];
  /** BENCH_APP_CYCLES: the app's own cold load and reload (empty otherwise). */
  appRuns: AppRun[];
  snapshotMB: number;
  warmRuns: WarmRun[];
  warmMin: WarmRun;
  warmMedian: WarmRun;
  indexMB: number;
  /** The core's linear memory after a load: it never shrinks, so it bounds the load's peak from above. */
  memoryMB: number;
  postings: number;
  /** Where the read goes, measured once after the timed runs. */
  profile: { getAllWorksMs: number; getAllFeaturesMs: number; serializeMs: number; deserializeMs: number };
}

const sizes = inject('catalogSizes')
  .split(',')
  .map((s) => s.trim().split('x').map(Number))
  .map(([works, workSec]) => ({ works, workSec }));
const runCount = inject('catalogRuns');
const syncBeforeLoad = inject('syncBeforeLoad');
const gcBeforeLoad = inject('gcBeforeLoad');
const appCycles = inject('appCycles');
const reloadAtOnce = inject('reloadAtOnce');
const results: SizeResult[] = [];

/** A matcher worker, as the app starts one. */
const newMatcher = () => new Worker(new URL('../../src/engine/matcher.worker.ts', import.meta.url), { type: 'module' });

/** The index snapshot stored in `dbName`, if any. */
async function storedSnapshot(dbName: string): Promise<StoredIndexSnapshot | undefined> {
  const db = await openCatalogDb(dbName);
  try {
    return (await db.get('snapshot', 'index')) as StoredIndexSnapshot | undefined;
  } finally {
    db.close();
  }
}

/** Drops the stored snapshot, as any change of the catalog does. */
async function dropSnapshot(dbName: string): Promise<void> {
  const db = await openCatalogDb(dbName);
  try {
    await dropIndexSnapshot(db);
  } finally {
    db.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pick = <R extends object>(runs: R[], f: (xs: number[]) => number): R =>
  Object.fromEntries(Object.keys(runs[0]).map((k) => [k, f(runs.map((r) => r[k as keyof R] as number))])) as R;

/** Copy `i` of the piece: hashes remapped by a per-copy xor mask, as bench/run.ts syntheticCatalog makes them. */
function copyOf(base: Fingerprint, i: number): Fingerprint {
  const mask = i === 0 ? 0 : ((i * 2654435761) >>> 0) & 0x1fffff;
  // Triplet masks leave the probed bits (octave band, t13 band, ratio) alone. syntheticCatalog leaves
  // melody hashes as they are; here they get the triplet mask too (same layout), so that the melody
  // index's postings are spread over its rows like those of different works.
  const tripletMask = mask & 0x3ff;
  return {
    ...base,
    hashes: base.hashes.map((h) => h ^ mask),
    triplets: base.triplets.map((h) => h ^ tripletMask),
    melody: base.melody.map((h) => h ^ tripletMask),
  };
}

/** Times V8's serialisation (postMessage) and deserialisation (first read of event.data) of `value`. */
async function cloneThroughChannel(value: unknown): Promise<{ serializeMs: number; deserializeMs: number }> {
  const { port1, port2 } = new MessageChannel();
  const received = new Promise<number>((resolve) => {
    port2.onmessage = (e) => {
      const t = performance.now();
      void e.data;
      resolve(performance.now() - t);
    };
  });
  const t0 = performance.now();
  port1.postMessage(value);
  const t1 = performance.now();
  const deserializeMs = await received;
  port1.close();
  port2.close();
  return { serializeMs: t1 - t0, deserializeMs };
}

/**
 * What loadIndex (src/engine/ops/matcher.ts) does, timed: open the database, loadCatalog; then, after
 * a load from the features, store its snapshot (in the background in the app; timed apart here).
 */
async function loadOnce(dbName: string, core: Core, coreId: string, works: number): Promise<{ openMs: number; totalMs: number; saveMs: number; load: CatalogLoad }> {
  const t0 = performance.now();
  const db = await openCatalogDb(dbName);
  const t1 = performance.now();
  let load: CatalogLoad;
  let saveMs = 0;
  let t2: number;
  try {
    load = await loadCatalog(db, core, coreId);
    t2 = performance.now();
    if (load.saveSnapshot) {
      expect(await load.saveSnapshot()).toBe(true);
      saveMs = performance.now() - t2;
    }
  } finally {
    db.close();
  }
  expect(load.stale).toEqual([]);
  expect(load.index.size).toBe(works);
  return { openMs: t1 - t0, totalMs: t2 - t0, saveMs, load };
}

for (const { works, workSec } of sizes) {
  it(`loads ${works} works of ${workSec} s`, async () => {
    const module = await WebAssembly.compileStreaming(fetch(wasmUrl));
    const analysisCore = await Core.load(module);
    const audio = synthMelody(4, workSec, SAMPLE_RATE_HZ, { accompaniment: true });
    // Stored as the app stores a recording: features and the melody's notes.
    const base: Fingerprint = { ...analysisCore.analyse({ sampleRateHz: SAMPLE_RATE_HZ, channels: [audio] }), notes: noteLineFromCore(analysisCore) };
    const bytesPerWork = featureBytes(base);
    const dbName = `tunetrace-bench-catalog-${crypto.randomUUID()}`;
    try {
      const db = await openCatalogDb(dbName);
      const tw = performance.now();
      try {
        for (let from = 0; from < works; from += WRITE_BATCH_WORKS) {
          const items: { record: WorkRecord }[] = [];
          for (let i = from; i < Math.min(works, from + WRITE_BATCH_WORKS); i++) {
            const meta = { id: `work-${String(i).padStart(5, '0')}`, title: `Work ${i}`, durationSec: workSec, addedAt: Date.now(), sourceName: `work-${i}.wav` };
            items.push({ record: { meta, fingerprint: copyOf(base, i) } });
          }
          await putWorks(db, items);
        }
      } finally {
        db.close();
      }
      const writeSec = (performance.now() - tw) / 1000;

      const coreId = await coreBuildId(await (await fetch(wasmUrl)).arrayBuffer());
      const runs: LoadRun[] = [];
      const warmRuns: WarmRun[] = [];
      const snapshotWriteMs: number[] = [];
      /** BENCH_SYNC_BEFORE_LOAD: how long `sync` took before each run's first load from the snapshot. */
      const syncMs: number[] = [];
      /** BENCH_GC_BEFORE_LOAD: how long the page's full collection took before each run's first load from the snapshot. */
      const gcMs: number[] = [];
      let snapshotBytes = 0;
      let coreInstantiateMs = Infinity;
      let indexBytes = 0;
      let memoryBytes = 0;
      let postings = 0;
      const query = analysisCore.analyse({ sampleRateHz: SAMPLE_RATE_HZ, channels: [audio.subarray(5 * SAMPLE_RATE_HZ, 15 * SAMPLE_RATE_HZ)] }, { role: 'query' });
      const pause = () => new Promise((resolve) => setTimeout(resolve, PAUSE_BEFORE_LOAD_MS));
      for (let r = 0; r < runCount; r++) {
        // From the features: first drop the snapshot a previous run stored (as any change of the catalog does).
        await dropSnapshot(dbName);
        // Each load starts from a database no connection holds (Chromium keeps an unused one open for a
        // moment), and not in the middle of the write's aftermath.
        await pause();
        // A fresh core per load, as a matcher worker that starts has: its memory grows during the load.
        const tc = performance.now();
        const coldCore = await Core.load(module);
        coreInstantiateMs = Math.min(coreInstantiateMs, performance.now() - tc);
        const cold = await loadOnce(dbName, coldCore, coreId, works);
        expect(cold.load.source).toBe('features');
        const { readMs, addMs, buildMs } = cold.load.timings;
        const snapshotMs = cold.load.snapshotMs!;
        runs.push({ openMs: cold.openMs, readMs, addMs, buildMs, snapshotMs, totalMs: cold.totalMs });
        snapshotWriteMs.push(cold.saveMs - snapshotMs);
        indexBytes = coldCore.indexBytes;
        memoryBytes = coldCore.memoryBytes;
        postings = coldCore.indexPostingCount;
        // The loaded index works: an excerpt of the piece finds copy 0 (its hashes are unmasked).
        const coldAnswer = r === runCount - 1 ? cold.load.index.match(query) : undefined;
        if (coldAnswer) expect(coldAnswer.matches.map((m) => m.workId)).toContain('work-00000');

        // From the snapshot just stored, as the app starts: each load in a fresh matcher worker (its own
        // heap, not this page's, which still holds the cold load's garbage) that fetches and compiles the
        // core and loads. Several loads, as a page is reloaded: on the 2-core VM of the README's figures the
        // first, 3 s after the snapshot's write, took 4.5–5.7 s where the later ones took 2.3–3.1 s.
        for (let w = 0; w < WARM_LOADS_PER_RUN; w++) {
          if (w === 0 && syncBeforeLoad) syncMs.push(await commands.syncDisk());
          if (w === 0 && gcBeforeLoad) {
            const gc = (globalThis as { gc?: () => void }).gc;
            if (!gc) throw new Error('BENCH_GC_BEFORE_LOAD needs Chromium started with --expose-gc');
            const tg = performance.now();
            gc();
            gcMs.push(performance.now() - tg);
          }
          // BENCH_RELOAD_AT_ONCE: a later worker starts as soon as the one before is ended, as on a reload.
          if (!(reloadAtOnce && w > 0)) await pause();
          const tw = performance.now();
          const worker = newMatcher();
          try {
            const matcher = wrap<MatcherApi>(worker);
            let told: CatalogLoadProgress | undefined;
            const stats = await matcher.loadIndex(dbName, {}, proxy((p: CatalogLoadProgress) => { told = p; }));
            const totalMs = performance.now() - tw;
            expect(stats.load?.source).toBe('snapshot');
            expect(stats.works).toBe(works);
            expect(stats.postings).toBe(postings);
            // (The last progress message may land just after the answer.)
            await new Promise((resolve) => setTimeout(resolve, 50));
            expect(told && told.source === 'snapshot' && told.done === told.total).toBe(true);
            warmRuns.push({ loadMs: stats.load!.ms, totalMs });
            if (coldAnswer && w === 0) expect(await matcher.matchQuery(query)).toEqual(coldAnswer);
          } finally {
            worker.terminate();
          }
        }
        snapshotBytes = (await storedSnapshot(dbName))!.data.size;
      }

      // The app's own case (BENCH_APP_CYCLES): the load from the features runs in a matcher worker, which
      // then stores the snapshot in the background; the page is reloaded PAUSE_BEFORE_LOAD_MS after the
      // snapshot is stored (that worker ends), and a fresh worker loads the snapshot at once.
      const appRuns: AppRun[] = [];
      for (let c = 0; c < appCycles; c++) {
        await dropSnapshot(dbName);
        await pause();
        const t0 = performance.now();
        let coldMs = 0;
        let storedMs = 0;
        const first = newMatcher();
        try {
          const stats = await wrap<MatcherApi>(first).loadIndex(dbName);
          coldMs = performance.now() - t0;
          expect(stats.load?.source).toBe('features');
          for (;;) {
            if (await storedSnapshot(dbName)) break;
            if (performance.now() - t0 > 300_000) throw new Error('the matcher stored no snapshot within 5 minutes');
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          storedMs = performance.now() - t0 - coldMs;
          await pause();
        } finally {
          first.terminate();
        }
        const tw = performance.now();
        const second = newMatcher();
        try {
          const stats = await wrap<MatcherApi>(second).loadIndex(dbName);
          expect(stats.load?.source).toBe('snapshot');
          expect(stats.works).toBe(works);
          appRuns.push({ coldMs, storedMs, loadMs: stats.load!.ms, totalMs: performance.now() - tw });
        } finally {
          second.terminate();
        }
      }

      // Where the read goes (one more read of each kind): the small works records alone; the features
      // in one getAll (how readAllFeatures read them before); and V8's structured clone of those
      // records, serialised and deserialised through a MessageChannel in this thread.
      const db2 = await openCatalogDb(dbName);
      let profile: SizeResult['profile'];
      try {
        let t = performance.now();
        await db2.getAll('works');
        const getAllWorksMs = performance.now() - t;
        t = performance.now();
        const features = await db2.getAll('features');
        const getAllFeaturesMs = performance.now() - t;
        profile = { getAllWorksMs, getAllFeaturesMs, ...(await cloneThroughChannel(features)) };
      } finally {
        db2.close();
      }

      results.push({
        works, workSec, featureBytesPerWork: bytesPerWork, featureMB: (bytesPerWork * works) / 2 ** 20, writeSec, coreInstantiateMs,
        runs, min: pick(runs, (xs) => Math.min(...xs)), median: pick(runs, median),
        snapshotWriteMs, syncMs, gcMs, appRuns, snapshotMB: snapshotBytes / 2 ** 20, warmRuns, warmMin: pick(warmRuns, (xs) => Math.min(...xs)), warmMedian: pick(warmRuns, median), indexMB: indexBytes / 2 ** 20, memoryMB: memoryBytes / 2 ** 20, postings, profile,
      });
    } finally {
      await deleteDB(dbName);
    }
  });
}

afterAll(async () => {
  if (results.length === 0) return;
  const ms = (x: number) => x.toFixed(0).padStart(6);
  const lines = [
    `Catalog load from IndexedDB (${navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium'}, ${navigator.hardwareConcurrency} cores); ${runCount} loads each, min / median ms (median: the middle run, the later of two)`,
    'from the features (no snapshot stored: the first load after a change): read ms includes the adds (each work is added as it arrives),',
    'add ms is their share of it; snap ms is taking the snapshot after the load (a Blob of the built index; in the app, in the background once the index is ready), not in total',
    `synthetic works: one piece of synthMelody with accompaniment, ${(results[0].featureBytesPerWork / results[0].workSec).toFixed(0)} B/s of features (benchmark corpus: ${CORPUS_FEATURE_BYTES_PER_SEC} B/s), hash-remapped per copy`,
    '',
    ' works  s/work  features MB  write s |  open ms (min/med) |  read ms (min/med) |   add ms (min/med) | build ms (min/med) |  snap ms (min/med) | total ms (min/med) | index MB | memory MB',
  ];
  for (const r of results) {
    const col = (k: keyof LoadRun) => `${ms(r.min[k])} / ${ms(r.median[k])}`;
    lines.push(
      `${String(r.works).padStart(6)}  ${String(r.workSec).padStart(6)}  ${r.featureMB.toFixed(0).padStart(11)}  ${r.writeSec.toFixed(1).padStart(7)} | ` +
        `${col('openMs').padStart(18)} | ${col('readMs').padStart(18)} | ${col('addMs').padStart(18)} | ${col('buildMs').padStart(18)} | ${col('snapshotMs').padStart(18)} | ${col('totalMs').padStart(18)} | ${r.indexMB.toFixed(0).padStart(8)} | ${r.memoryMB.toFixed(0).padStart(9)}`,
    );
  }
  lines.push(
    '',
    `from the snapshot (every later load, until the catalog changes), ${WARM_LOADS_PER_RUN} after each of the above, each in a fresh matcher worker as the app starts: load ms is the worker's (opening the database,`,
    'reading the snapshot into the core, its checks); total ms runs from creating the worker to its answer (with fetching and compiling the core); store s: writing each snapshot',
    ' works  s/work  snapshot MB  store s (each run) |  load ms (min/med) | total ms (min/med)',
  );
  for (const r of results) {
    const col = (k: keyof WarmRun) => `${ms(r.warmMin[k])} / ${ms(r.warmMedian[k])}`;
    lines.push(
      `${String(r.works).padStart(6)}  ${String(r.workSec).padStart(6)}  ${r.snapshotMB.toFixed(0).padStart(11)}  ${r.snapshotWriteMs.map((x) => (x / 1000).toFixed(1)).join(', ').padStart(18)} | ` +
        `${col('loadMs').padStart(18)} | ${col('totalMs').padStart(18)}`,
    );
  }
  lines.push('', `issue #4: 10,000 works in < ${TARGET_MS / 1000} s; median total under it: ${results.map((r) => `${r.works} × ${r.workSec} s from the features ${r.median.totalMs < TARGET_MS ? 'yes' : 'no'}, from the snapshot ${r.warmMedian.totalMs < TARGET_MS ? 'yes' : 'no'}`).join('; ')}`);
  for (const r of results) {
    lines.push(
      `${r.works} × ${r.workSec} s: getAll(works) ${r.profile.getAllWorksMs.toFixed(0)} ms; one getAll(features) ${r.profile.getAllFeaturesMs.toFixed(0)} ms; ` +
        `structured clone of the features in memory: serialise ${r.profile.serializeMs.toFixed(0)} ms, deserialise ${r.profile.deserializeMs.toFixed(0)} ms; core instantiate ${r.coreInstantiateMs.toFixed(1)} ms; ` +
        `runs (total ms) from the features ${r.runs.map((x) => x.totalMs.toFixed(0)).join(', ')}, from the snapshot ${r.warmRuns.map((x) => x.totalMs.toFixed(0)).join(', ')}` +
        (r.syncMs.length ? `; sync before each run's first load from the snapshot ${r.syncMs.map((x) => x.toFixed(0)).join(', ')} ms` : '') +
        (r.gcMs.length ? `; the page's gc() before it ${r.gcMs.map((x) => x.toFixed(0)).join(', ')} ms` : '') +
        (r.appRuns.length ? `; the app's case (cold load in a worker / snapshot stored after / reload ${PAUSE_BEFORE_LOAD_MS / 1000} s later: load, total ms) ${r.appRuns.map((a) => `${a.coldMs.toFixed(0)} / ${a.storedMs.toFixed(0)} / ${a.loadMs.toFixed(0)}, ${a.totalMs.toFixed(0)}`).join('; ')}` : ''),
    );
  }
  console.log(lines.join('\n'));
  const json = { date: new Date().toISOString(), userAgent: navigator.userAgent, cores: navigator.hardwareConcurrency, runsPerSize: runCount, results };
  await commands.writeFile('bench/results/catalog-load.json', JSON.stringify(json, null, 2) + '\n');
});
