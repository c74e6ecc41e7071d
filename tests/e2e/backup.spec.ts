import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForWorks, seriousViolations } from './fixtures';
import { encodeWav, synthMusic } from '../fixtures/audio';

// After many works are added, the Catalog screen asks for a backup (the .ttcat file): the
// prompt saves one with the catalog's own export, or is dismissed until the next large change.
// What it remembers lives in IndexedDB (the catalog record of the `info` store).

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const RATE = 22050;
/** The prompt's threshold (BACKUP_PROMPT_WORKS in src/state/catalog.svelte.ts). */
const THRESHOLD = 10;
const SCREENSHOT = '/tmp/tunetrace-catalog-backup-prompt.png';

let seed = 5000;
/** `count` short works of different music, with names not used before in this test. */
function works(count: number) {
  return Array.from({ length: count }, () => {
    const n = ++seed;
    return { name: `song-${n}.wav`, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([synthMusic(n, 4, RATE)], RATE)) };
  });
}

/** Adds the files through the drop zone and waits until the catalog holds `total` works and no import runs. */
async function addWorks(page: Page, files: ReturnType<typeof works>, total: number): Promise<void> {
  await page.getByTestId('catalog-drop-input').setInputFiles(files);
  await waitForWorks(page, total);
  await expect(page.getByTestId('import-jobs').getByRole('progressbar')).toHaveCount(0);
  await expect(page.getByTestId('import-jobs')).not.toContainText('Not added');
}

/** The catalog record's backup marker, read straight from IndexedDB. */
function backupRecord(page: Page): Promise<{ lastBackupAt?: number; worksAddedSince: number; dismissedAtWorks?: number } | undefined> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const info = await new Promise<{ backup?: never }>((resolve, reject) => {
      const req = db.transaction('info').objectStore('info').get('catalog');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    return info.backup;
  });
}

/** Records, frame by frame, whether the prompt was ever shown while an import was still running. */
async function watchPromptDuringImport(page: Page): Promise<() => Promise<boolean>> {
  await page.evaluate(() => {
    const w = window as unknown as { promptWhileBusy: boolean; watching: boolean };
    w.promptWhileBusy = false;
    w.watching = true;
    const look = () => {
      const busy = document.querySelector('[data-testid="import-jobs"] [role="progressbar"]');
      if (busy && document.querySelector('[data-testid="backup-prompt"]')) w.promptWhileBusy = true;
      if (w.watching) requestAnimationFrame(look);
    };
    look();
  });
  return () => page.evaluate(() => {
    const w = window as unknown as { promptWhileBusy: boolean; watching: boolean };
    w.watching = false;
    return w.promptWhileBusy;
  });
}

/** Presses Tab until `testId` has the focus (it must be reachable by keyboard alone). */
async function tabTo(page: Page, testId: string): Promise<void> {
  await page.locator('body').focus();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((id) => document.activeElement?.getAttribute('data-testid') === id, testId)) return;
  }
  throw new Error(`${testId} was not reached with Tab`);
}

/** The .ttcat header (magic, u32 LE length, JSON) of a downloaded catalog file. */
function catalogHeader(bytes: Buffer): { works: { id: string }[]; exportedAt: number } {
  expect(bytes.subarray(0, 8).toString('latin1')).toBe('TTCAT\r\n\x1a');
  const length = bytes.readUInt32LE(8);
  return JSON.parse(bytes.subarray(12, 12 + length).toString('utf8').replace(/\0+$/, ''));
}

test('after many works are added the Catalog screen asks for a backup; saving one or dismissing it hides it', async ({ page }) => {
  test.setTimeout(180_000);
  const prompt = page.getByTestId('backup-prompt');
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  // The demo is not the user's work: nothing to back up yet.
  await expect(page.getByTestId('work-row')).toHaveCount(DEMO);
  await expect(prompt).toHaveCount(0);

  // One short of the threshold: no prompt.
  let total = DEMO;
  await addWorks(page, works(THRESHOLD - 1), (total += THRESHOLD - 1));
  await expect(prompt).toHaveCount(0);
  expect(await backupRecord(page)).toEqual({ worksAddedSince: THRESHOLD - 1 });

  // One more (a second import): the catalog has changed by THRESHOLD works since the last backup.
  const promptWhileBusy = await watchPromptDuringImport(page);
  await addWorks(page, works(1), (total += 1));
  await expect(prompt).toBeVisible();
  await expect(prompt).toContainText(`You added ${THRESHOLD} works since your last backup. Save a backup (.ttcat catalog file) so clearing the browser cannot lose them.`);
  await expect(prompt).toContainText('No backup saved from this browser yet.');
  expect(await promptWhileBusy(), 'shown only once the import is over').toBe(false);
  // Announced through a live region that was in the page before (and holds only the sentence).
  await expect(page.getByTestId('backup-announcement')).toHaveText(`You added ${THRESHOLD} works since your last backup. Save a backup (.ttcat catalog file) so clearing the browser cannot lose them.`);
  await expect(page.getByTestId('backup-announcement')).toHaveAttribute('role', 'status');
  expect(await seriousViolations(page), 'catalog: backup prompt').toEqual([]);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // It is remembered in IndexedDB, not in the tab: a reload still asks.
  await page.reload();
  await waitForWorks(page, total);
  await expect(prompt).toContainText(`You added ${THRESHOLD} works since your last backup.`);
  expect(await page.evaluate(() => localStorage.length)).toBe(0);

  // Save a backup, by keyboard: the catalog file is downloaded with every work, and the prompt goes.
  await tabTo(page, 'backup-save');
  const beforeMs = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
  expect(download.suggestedFilename()).toMatch(/\.ttcat$/);
  const header = catalogHeader(readFileSync(await download.path()));
  expect(header.works).toHaveLength(total);
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('backup-saved')).toContainText(`Backup saved with the ${THRESHOLD} new works.`);
  await expect(page.getByTestId('backup-announcement')).toContainText(`Backup saved with the ${THRESHOLD} new works.`);
  // Focus stays where the prompt was, not thrown back to the top of the page.
  await expect(page.getByTestId('backup-status')).toBeFocused();
  const afterBackup = await backupRecord(page);
  expect(afterBackup?.worksAddedSince).toBe(0);
  expect(afterBackup?.lastBackupAt).toBeGreaterThanOrEqual(beforeMs);
  expect(afterBackup?.lastBackupAt).toBeLessThanOrEqual(Date.now());
  await page.reload();
  await waitForWorks(page, total);
  await expect(prompt).toHaveCount(0);

  // Another large import asks again, with the date of the last backup.
  await addWorks(page, works(THRESHOLD), (total += THRESHOLD));
  await expect(prompt).toContainText(`You added ${THRESHOLD} works since your last backup.`);
  await expect(prompt).toContainText('Last backup:');

  // Dismiss, by keyboard: gone, and still gone after a reload and after a small addition.
  await tabTo(page, 'backup-dismiss');
  await page.keyboard.press('Enter');
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('backup-dismissed')).toContainText('Backup reminder dismissed');
  await expect(page.getByTestId('backup-status')).toBeFocused();
  expect(await backupRecord(page)).toEqual({ lastBackupAt: afterBackup!.lastBackupAt, worksAddedSince: THRESHOLD, dismissedAtWorks: THRESHOLD });
  await page.reload();
  await waitForWorks(page, total);
  await expect(prompt).toHaveCount(0);
  await addWorks(page, works(THRESHOLD - 1), (total += THRESHOLD - 1));
  await expect(prompt).toHaveCount(0);

  // The next large change brings it back, counting every work not in a backup.
  await addWorks(page, works(1), (total += 1));
  await expect(prompt).toContainText(`You added ${2 * THRESHOLD} works since your last backup.`);

  // "Export catalog…" is a backup too (and the last action's note does not come back with it).
  await page.getByTestId('export-catalog').click();
  await expect(prompt).toHaveCount(0);
  await expect(page.getByTestId('backup-status')).toHaveCount(0);
  expect((await backupRecord(page))?.worksAddedSince).toBe(0);
});
