import { describe, expect, it } from 'vitest';
import { flushSync } from 'svelte';
import type { Engine } from '../../src/bridge/engine-client';
import { AbortedError } from '../../src/bridge/engine-client';
import { CheckState, type CheckStage } from '../../src/state/check.svelte';
import type { PendingWorks } from '../../src/state/catalog.svelte';
import type { Fingerprint, QueryResult } from '../../src/core/types';
import type { CatalogLoadProgress } from '../../src/engine/load-catalog';
import { encodeWav, synthMusic } from '../fixtures/audio';

// A check that finishes its analysis while the matcher is still loading the catalog says so (its own
// stage, with the load's progress), and a cancel then stops the wait without stopping the load. Real decoding (Web Audio) in
// Chromium; the engine is a stand-in whose index load the test releases.

const RATE = 22050;
const wav = () => new Blob([encodeWav([synthMusic(5, 2, RATE)], RATE) as Uint8Array<ArrayBuffer>], { type: 'audio/wav' });
const emptyResult = { matches: [], shares: [] } as unknown as QueryResult;

function fakeEngine(): { engine: Engine; release: () => void; matches: number; waits: number } {
  let release!: () => void;
  const loaded = new Promise<void>((resolve) => (release = resolve));
  const state = { engine: undefined as unknown as Engine, release, matches: 0, waits: 0 };
  let indexLoaded = false;
  void loaded.then(() => (indexLoaded = true));
  state.engine = {
    get indexLoaded() { return indexLoaded; },
    analyse: async () => ({ formatVersion: 6 }) as unknown as Fingerprint,
    waitForIndex: (signal?: AbortSignal, onProgress?: (p: CatalogLoadProgress) => void) => {
      state.waits++;
      onProgress?.({ source: 'features', done: 4200, total: 10000 });
      return new Promise<void>((resolve, reject) => {
        signal?.addEventListener('abort', () => reject(new AbortedError()), { once: true });
        void loaded.then(resolve);
      });
    },
    match: async () => {
      state.matches++;
      return emptyResult;
    },
  } as unknown as Engine;
  return state;
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(cond()).toBe(true);
}

/** Starts a check, cancels it once it reaches `stage`, and expects it cancelled with nothing matched. */
async function expectCancelledIn(stage: CheckStage, check: CheckState, fake: { matches: number }): Promise<void> {
  const done = check.check(wav(), 'a.wav');
  await until(() => check.stage === stage);
  check.cancel();
  await done;
  expect(check.stage).toBe('cancelled');
  expect(fake.matches).toBe(0);
}

describe('a check while the catalog index loads', () => {
  it('shows that it waits for the index, then matches once it is loaded', async () => {
    const fake = fakeEngine();
    const check = new CheckState(fake.engine);
    const done = check.check(wav(), 'a.wav');
    await until(() => check.stage === 'loading-index');
    expect(check.running).toBe(true);
    expect(check.indexLoad).toEqual({ source: 'features', done: 4200, total: 10000 });
    expect(fake.matches).toBe(0);
    fake.release();
    await done;
    flushSync();
    expect(check.stage).toBe('done');
    expect(fake.matches).toBe(1);

    // Once the index is loaded, a check goes straight to matching.
    await check.check(wav(), 'b.wav');
    expect(check.stage).toBe('done');
    expect(fake.waits).toBe(1);
  });

  it('is cancelled during the wait without matching', async () => {
    const fake = fakeEngine();
    await expectCancelledIn('loading-index', new CheckState(fake.engine), fake);
  });
});

describe('a check while the catalog’s own works are still being stored', () => {
  /** A stand-in for CatalogState: one batch of pending works, finished by the test. */
  function pendingCatalog(total: number) {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const catalog = {
      pending: { reason: 'demo' as const, total, finished: 0, done } as PendingWorks | null,
      adding: 0,
    };
    return { catalog, finish: () => { catalog.pending = null; finish(); } };
  }

  it('waits for them before matching, and tells how far they are', async () => {
    const fake = fakeEngine();
    fake.release();
    const { catalog, finish } = pendingCatalog(5);
    const check = new CheckState(fake.engine, catalog);
    const done = check.check(wav(), 'a.wav');
    await until(() => check.stage === 'completing-catalog');
    expect(check.pendingWorks).toMatchObject({ reason: 'demo', total: 5, finished: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.matches).toBe(0);
    finish();
    await done;
    expect(check.stage).toBe('done');
    expect(fake.matches).toBe(1);
    expect(check.notSearched).toBe(0);
  });

  it('is cancelled during the wait without matching', async () => {
    const fake = fakeEngine();
    fake.release();
    await expectCancelledIn('completing-catalog', new CheckState(fake.engine, pendingCatalog(5).catalog), fake);
  });

  it('does not wait for files the user is adding, but says they were not searched', async () => {
    const fake = fakeEngine();
    fake.release();
    const check = new CheckState(fake.engine, { pending: null, adding: 3 });
    await check.check(wav(), 'a.wav');
    expect(check.stage).toBe('done');
    expect(check.notSearched).toBe(3);
  });
});
