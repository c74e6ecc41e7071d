import { afterEach, describe, expect, it } from 'vitest';
import { deleteDB } from 'idb';
import type { Engine } from '../../src/bridge/engine-client';
import { CatalogState } from '../../src/state/catalog.svelte';
import { openCatalogDb } from '../../src/storage/db';
import { putWork } from '../../src/storage/works';
import type { IndexStats } from '../../src/engine/ops/matcher';
import { synthMusic } from '../fixtures/audio';
import { analysedWorks } from '../storage/fixtures';
import type { CatalogLoadProgress } from '../../src/engine/load-catalog';

// The Catalog screen's line about the matcher's index follows every load the matcher starts, not only
// the one at start-up: a matcher stopped by a cancelled check loads the catalog again when the next
// check starts it, and the line tells that load (its progress, then its source and time). Real
// IndexedDB in Chromium; the engine is a stand-in whose loads the test starts and finishes.

const DB = 'tunetrace-test-index-status';

interface Load { ready: Promise<IndexStats>; finish: (stats: IndexStats) => void }

function stats(source: 'snapshot' | 'features', ms: number): IndexStats {
  return { works: 1, postings: 10, bytes: 100, formatVersion: 6, stale: [], load: { source, ms } };
}

function fakeEngine() {
  const loadListeners = new Set<(ready: Promise<IndexStats>) => void>();
  const progressListeners = new Set<(p: CatalogLoadProgress) => void>();
  let current: Load | undefined;
  const start = (): Load => {
    let finish!: (s: IndexStats) => void;
    const ready = new Promise<IndexStats>((resolve) => (finish = resolve));
    current = { ready, finish };
    for (const l of loadListeners) l(ready);
    return current;
  };
  const engine = {
    loadIndex: () => (current ?? start()).ready,
    onIndexLoad: (listener: (ready: Promise<IndexStats>) => void) => {
      loadListeners.add(listener);
      if (current) listener(current.ready);
      return () => loadListeners.delete(listener);
    },
    watchIndexLoad: async (ready: Promise<IndexStats>, onProgress: (p: CatalogLoadProgress) => void) => {
      const listener = (p: CatalogLoadProgress) => { if (current?.ready === ready) onProgress(p); };
      progressListeners.add(listener);
      try { return await ready; } finally { progressListeners.delete(listener); }
    },
  } as unknown as Engine;
  return {
    engine,
    /** A new load, as when a stopped matcher is started again. */
    restart: start,
    current: () => current!,
    progress: (p: CatalogLoadProgress) => { for (const l of progressListeners) l(p); },
    listeners: () => loadListeners.size,
  };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

afterEach(async () => {
  await deleteDB(DB);
});

describe('the Catalog screen’s index status', () => {
  it('follows a load started after start-up (a matcher started again), and stops when disposed', async () => {
    // One work that is not a demo work, so init does not seed the demo catalog.
    const { refs } = await analysedWorks([synthMusic(7, 4, 22050)], 22050, () => 0, () => 2);
    const db = await openCatalogDb(DB);
    await putWork(db, refs[0]);
    db.close();

    const fake = fakeEngine();
    const catalog = new CatalogState(fake.engine, DB);
    const init = catalog.init();
    await until(() => catalog.index?.kind === 'loading');
    fake.progress({ source: 'features', done: 1, total: 2 });
    await until(() => catalog.index?.kind === 'loading' && catalog.index.progress?.done === 1);
    fake.current().finish(stats('features', 1500));
    await init;
    await until(() => catalog.index?.kind === 'loaded');
    expect(catalog.index).toEqual({ kind: 'loaded', source: 'features', ms: 1500 });

    // The matcher is stopped (a cancelled check) and the next check starts it: a new load.
    const second = fake.restart();
    await until(() => catalog.index?.kind === 'loading');
    second.finish(stats('snapshot', 800));
    await until(() => catalog.index?.kind === 'loaded');
    expect(catalog.index).toEqual({ kind: 'loaded', source: 'snapshot', ms: 800 });

    catalog.dispose();
    expect(fake.listeners()).toBe(0);
    fake.restart();
    await new Promise((r) => setTimeout(r, 50));
    expect(catalog.index).toEqual({ kind: 'loaded', source: 'snapshot', ms: 800 });
  });
});
