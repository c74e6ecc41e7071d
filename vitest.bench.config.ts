import { defineConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { BrowserCommand } from 'vitest/node';
import { CHROMIUM_LAUNCH } from './playwright.config.ts';

// `npm run bench:catalog`: the catalog-load benchmark in real Chromium IndexedDB (issue #4: 10,000 works
// loaded in < 3 s). Kept apart from vitest.config.ts so `npm test` never runs it: it writes gigabytes.
//   BENCH_CATALOG_SIZES  works×seconds per catalog, comma-separated (default 10000x30,10000x60)
//   BENCH_CATALOG_RUNS   loads per catalog (default 3)
//   BENCH_SYNC_BEFORE_LOAD=1  flush the OS's dirty pages (`sync`) before the first load from a snapshot,
//                        to tell the write's disk traffic from anything the browser does after it
//   BENCH_GC_BEFORE_LOAD=1    collect the page's garbage (the cold load's records) before that load
//   BENCH_RELOAD_AT_ONCE=1    start each later load from the snapshot as soon as the worker before it ends
//   BENCH_APP_CYCLES=N   then N times the app's own case: the load from the features in a matcher worker,
//                        and a fresh worker's load from the snapshot it stored, 3 s after the store (a reload)
// A fresh browser profile on disk per run: a plain browser context is off the record and keeps
// IndexedDB in memory, which is not what the app meets.
const profileDir = mkdtempSync(join(tmpdir(), 'tunetrace-bench-chromium-'));
process.on('exit', () => rmSync(profileDir, { recursive: true, force: true }));

/** `sync`: waits until the OS has written its dirty pages to disk; resolves to the ms it took. */
const syncDisk: BrowserCommand<[]> = () => {
  const t = performance.now();
  execFileSync('sync');
  return performance.now() - t;
};

export default defineConfig({
  test: {
    include: ['bench/browser/**/*.test.ts'],
    // Writing a catalog of 10,000 works takes minutes.
    testTimeout: 60 * 60_000,
    // One browser session (a persistent context cannot be shared by parallel sessions).
    fileParallelism: false,
    hookTimeout: 10 * 60_000,
    provide: {
      catalogSizes: process.env.BENCH_CATALOG_SIZES ?? '10000x30,10000x60',
      catalogRuns: Number(process.env.BENCH_CATALOG_RUNS ?? 3),
      syncBeforeLoad: process.env.BENCH_SYNC_BEFORE_LOAD === '1',
      gcBeforeLoad: process.env.BENCH_GC_BEFORE_LOAD === '1',
      appCycles: Number(process.env.BENCH_APP_CYCLES ?? 0),
      reloadAtOnce: process.env.BENCH_RELOAD_AT_ONCE === '1',
    },
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: process.env.BENCH_GC_BEFORE_LOAD === '1' ? { ...CHROMIUM_LAUNCH, args: [...CHROMIUM_LAUNCH.args, '--js-flags=--expose-gc'] } : CHROMIUM_LAUNCH,
        persistentContext: profileDir,
      }),
      instances: [{ browser: 'chromium' }],
      commands: { syncDisk },
    },
  },
});
