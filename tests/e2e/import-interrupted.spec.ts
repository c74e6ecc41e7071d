import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForWorks } from './fixtures';
import { encodeWav, synthMusic } from '../fixtures/audio';

// A tab closed in the middle of an import leaves every finished work whole and no part of an
// unfinished one: each work is written in one IndexedDB transaction (works, features, audio),
// and a transaction that has not committed when the page goes away is aborted.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const RATE = 22050;

/** What IndexedDB holds, read straight from it (not through the app), store by store. */
interface StoreContents {
  works: { id: string; title: string; formatVersion: number; hashCount: number; audioBytes: number; featureBytes: number }[];
  features: { id: string; formatVersion: number; hashCount: number; featureBytes: number }[];
  audio: { id: string; bytes: number }[];
  metadata: string[];
  info: string[];
  history: string[];
}

function readStores(page: Page): Promise<StoreContents> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = (store: string) =>
      new Promise<{ keys: IDBValidKey[]; values: unknown[] }>((resolve, reject) => {
        const tx = db.transaction(store);
        const keys = tx.objectStore(store).getAllKeys();
        const values = tx.objectStore(store).getAll();
        tx.oncomplete = () => resolve({ keys: keys.result, values: values.result });
        tx.onerror = () => reject(tx.error);
      });
    // Bytes of every typed array in the record, however nested: what the work record says it stored.
    const arrayBytes = (value: unknown): number =>
      ArrayBuffer.isView(value) ? value.byteLength
        : value && typeof value === 'object' ? Object.values(value).reduce((sum: number, v) => sum + arrayBytes(v), 0) : 0;
    const works = (await all('works')).values as StoreContents['works'];
    const features = ((await all('features')).values as { id: string; formatVersion: number; counts: { hashes: number } }[]).map((f) => ({
      id: f.id,
      formatVersion: f.formatVersion,
      hashCount: f.counts.hashes,
      featureBytes: arrayBytes(f),
    }));
    const audio = ((await all('audio')).values as { id: string; blob: Blob }[]).map((a) => ({ id: a.id, bytes: a.blob.size }));
    const out: StoreContents = {
      works: works.map(({ id, title, formatVersion, hashCount, audioBytes, featureBytes }) => ({ id, title, formatVersion, hashCount, audioBytes, featureBytes })),
      features,
      audio,
      metadata: (await all('metadata')).keys.map(String),
      info: (await all('info')).keys.map(String),
      history: (await all('history')).keys.map(String),
    };
    db.close();
    return out;
  });
}

/**
 * Opens a page of the app's origin that does not run the app (its icon), so the stores can be read
 * before the app starts and writes anything.
 */
async function openWithoutApp(page: Page): Promise<void> {
  await page.goto('/favicon.svg');
}

/** Every work record has its features (same format, same size) and its audio if it says so; no record belongs to no work. */
function expectWhole(stores: StoreContents): void {
  const ids = stores.works.map((w) => w.id).sort();
  expect(stores.features.map((f) => f.id).sort(), 'one features record per work, none orphaned').toEqual(ids);
  const features = new Map(stores.features.map((f) => [f.id, f]));
  const audio = new Map(stores.audio.map((a) => [a.id, a]));
  for (const w of stores.works) {
    const f = features.get(w.id)!;
    expect({ id: w.id, formatVersion: f.formatVersion, hashCount: f.hashCount, featureBytes: f.featureBytes }, `features of ${w.id}`)
      .toEqual({ id: w.id, formatVersion: w.formatVersion, hashCount: w.hashCount, featureBytes: w.featureBytes });
    expect(w.hashCount, `${w.id} has hashes`).toBeGreaterThan(0);
    expect(audio.get(w.id)?.bytes ?? 0, `audio of ${w.id}`).toBe(w.audioBytes);
  }
  for (const a of stores.audio) expect(ids, `audio ${a.id} belongs to a work`).toContain(a.id);
  for (const m of stores.metadata) expect(ids, `metadata ${m} belongs to a work`).toContain(m);
  expect(stores.info.every((k) => k === 'catalog'), 'only the catalog record in info').toBe(true);
}

/** The import list as the page shows it, read in one go in the page (no await between the counts). */
async function waitUntilPartlyImported(page: Page, total: number): Promise<{ done: string[]; unfinished: number; started: number }> {
  const handle = await page.waitForFunction((total) => {
    const jobs = [...document.querySelectorAll('[data-testid="import-jobs"] li.job')];
    const done = jobs.filter((j) => j.classList.contains('done'));
    const running = jobs.filter((j) => !j.classList.contains('done') && !j.classList.contains('failed'));
    // At least one work finished, one still being added with its progress shown.
    if (jobs.length !== total || done.length < 1 || !running.some((j) => j.querySelector('[role="progressbar"]'))) return null;
    // Jobs past 'queued' (as many as there are analysis workers) may reach their commit before the page is gone.
    const started = running.filter((j) => !j.textContent!.includes('Waiting…')).length;
    return { done: done.map((j) => j.querySelector('.name')!.textContent!.trim()), unfinished: running.length, started };
  }, total, { polling: 'raf', timeout: 60_000 });
  return (await handle.jsonValue())!;
}

test('a tab closed in the middle of an import keeps every finished work whole and no half-written one', async ({ context }) => {
  test.setTimeout(120_000);
  const page = await context.newPage();
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  const before = await readStores(page);
  expectWhole(before);

  // Long enough that each takes a while to decode and analyse, so the page can close between two.
  const files = Array.from({ length: 6 }, (_, i) => ({
    name: `interrupted-${i + 1}.wav`,
    mimeType: 'audio/wav',
    buffer: Buffer.from(encodeWav([synthMusic(7100 + i, 40, RATE)], RATE)),
  }));
  await page.getByTestId('catalog-drop-input').setInputFiles(files);
  const seen = await waitUntilPartlyImported(page, files.length);
  await page.close();
  expect(seen.unfinished).toBeGreaterThanOrEqual(1);

  const reopened = await context.newPage();
  await openWithoutApp(reopened);
  const after = await readStores(reopened);
  await reopened.goto('/#/catalog');
  const added = after.works.filter((w) => !before.works.some((b) => b.id === w.id));
  // Every work seen finished is there; a work being added as the tab closed may or may not have
  // committed, but whatever was stored is whole, and the works never started are not there.
  for (const name of seen.done) expect(added.map((w) => `${w.id}.wav`), `${name} kept`).toContain(name);
  expect(added.length).toBeGreaterThanOrEqual(seen.done.length);
  expect(added.length).toBeLessThan(files.length);
  expect(added.length).toBeLessThanOrEqual(seen.done.length + seen.started);
  expectWhole(after);
  // The demo works are untouched.
  expect(after.works.filter((w) => before.works.some((b) => b.id === w.id))).toEqual(before.works);

  // The screen lists exactly the stored works, and starts no import of its own.
  await waitForWorks(reopened, DEMO + added.length);
  await expect(reopened.getByTestId('work-row')).toHaveCount(DEMO + added.length);
  const titles = await reopened.getByTestId('work-row').locator('button.title').allInnerTexts();
  expect(titles.sort()).toEqual(after.works.map((w) => w.title).sort());
  await expect(reopened.getByTestId('import-jobs')).toHaveCount(0);
});

test('a tab closed while the demo is first being added gets the whole demo on the next start', async ({ context }) => {
  const page = await context.newPage();
  await page.goto('/#/catalog');
  // Close as soon as some, not all, demo works are stored.
  await page.waitForFunction((demo) => {
    const count = Number(document.querySelector('[data-testid="nav-catalog"] .count')?.textContent ?? 0);
    return count >= 1 && count < demo;
  }, DEMO, { polling: 'raf', timeout: 30_000 });
  await page.close();

  const reopened = await context.newPage();
  await openWithoutApp(reopened);
  const partial = await readStores(reopened);
  expectWhole(partial);
  await reopened.goto('/#/catalog');
  expect(partial.works.length, 'the first start was really interrupted').toBeLessThan(DEMO);
  await waitForWorks(reopened, DEMO);
  await expect(reopened.getByTestId('work-row')).toHaveCount(DEMO);
  const stores = await readStores(reopened);
  expect(stores.works.map((w) => w.id).sort()).toEqual(manifest.works.map((w: { id: string }) => w.id).sort());
  expectWhole(stores);
  // And only once: a further start adds nothing.
  await reopened.reload();
  await waitForWorks(reopened, DEMO);
  await expect(reopened.getByTestId('work-row')).toHaveCount(DEMO);
});
