import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForWorks } from './fixtures';
import { DB_VERSION } from '../../src/storage/schema';

// History: every finished check is kept (its report, never its audio), listed, re-opened and deleted.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;

/** The history store, read straight from IndexedDB: each record's keys, and whether any value in it is a Blob. */
function storedHistory(page: Page) {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const all = await new Promise<unknown[]>((resolve, reject) => {
      const req = db.transaction('history').objectStore('history').getAll();
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    db.close();
    const hasBinary = (v: unknown): boolean =>
      v instanceof Blob || ArrayBuffer.isView(v) || v instanceof ArrayBuffer || (typeof v === 'object' && v !== null && Object.values(v).some(hasBinary));
    return { version: db.version, records: all.map((r) => ({ keys: Object.keys(r as object).sort(), binary: hasBinary(r), fileName: (r as { fileName: string }).fileName, checkedAt: (r as { checkedAt: number }).checkedAt })) };
  });
}

/** The rows of the segment table: work, span in the track, span in the work, confidence. */
async function segmentRows(page: Page, testid: string): Promise<string[][]> {
  const rows = page.getByTestId(testid).locator('tbody tr');
  const out: string[][] = [];
  for (const row of await rows.all()) {
    const cells = await row.locator('td').allInnerTexts();
    out.push([cells[0], cells[1], cells[2], cells[4]].map((c) => c.trim()));
  }
  return out;
}

const withoutTime = (report: Record<string, unknown>) => ({ ...report, generatedAt: undefined });

// The demo track re-plays one demo work's melody (melody evidence): its segment has a Notes button.
const melodyTruth = manifest.track.truth.find((t: { evidence?: string }) => t.evidence === 'melody');
const melodyWork = manifest.works.find((w: { id: string }) => w.id === melodyTruth.workId);

/** Opens the piano roll of the melody segment in the table `testid`: its summary sentence and how many notes of each side it draws. */
async function openNotes(page: Page, testid: string) {
  const segment = page.getByTestId(testid).locator('tbody tr').filter({ hasText: 'your melody' });
  await expect(segment).toHaveCount(1);
  await expect(segment).toContainText(melodyWork.title);
  await segment.getByTestId('notes-open').click();
  const evidence = page.getByTestId('melody-evidence');
  await expect(evidence).toContainText(`Notes: ${melodyWork.title} in the track`);
  const summary = await page.getByTestId('roll-summary').innerText();
  expect(summary).toMatch(/^\d+ of \d+ notes of “.+” line up with the track's notes/);
  return {
    summary,
    workNotes: await page.getByTestId('roll-work-note').count(),
    trackNotes: await page.getByTestId('roll-track-note').count(),
    dashed: await page.locator('[data-testid="roll-work-note"][stroke-dasharray]').count(),
  };
}

test('the demo check is saved to History, survives a reload, re-opens with the same result, and is deleted', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('segments')).toBeVisible();
  const shares = await page.getByTestId('shares').locator('li').allInnerTexts();
  /** Each work's title and percentage as the check screen shows them (the last line is the unattributed rest). */
  const workShares = shares.slice(0, -1).map((line) => {
    const parts = line.split('\n').map((x) => x.trim()).filter(Boolean);
    return { title: parts[0], pct: parts.at(-1)! };
  });
  expect(workShares.map((w) => w.title)).toEqual(expect.arrayContaining(['Night Drive', 'Harbour Lights']));
  const segments = await segmentRows(page, 'segments');
  expect(segments.length).toBeGreaterThanOrEqual(workShares.length);
  // The melody segment's piano roll, as the check screen draws it.
  const liveNotes = await openNotes(page, 'segments');
  expect(liveNotes.workNotes).toBeGreaterThan(0);
  expect(liveNotes.trackNotes).toBeGreaterThan(0);
  const download = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const liveReport = JSON.parse(readFileSync(await (await download).path(), 'utf8'));

  await page.getByTestId('nav-history').click();
  const rows = page.getByTestId('history-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(manifest.track.file);
  await expect(rows.first().getByTestId('history-works-found')).toHaveText(String(workShares.length));
  // The largest shares, with the percentages the check screen showed.
  const topShares = rows.first().getByTestId('history-top-shares');
  for (const { title, pct } of workShares.slice(0, 3)) await expect(topShares).toContainText(`${title} ${pct}`);
  await expect(topShares).toContainText('Flagged'); // no rights entered: clearance unknown
  await page.screenshot({ path: 'test-results/screens/e2e-history-list.png', fullPage: true });

  // The store holds a summary, the report and the melody segment's notes (a few numbers), no audio; it survives a reload.
  const stored = await storedHistory(page);
  expect(stored.version).toBe(DB_VERSION); // the app's current schema (the history store came with version 3)
  expect(stored.records).toEqual([{ keys: ['checkedAt', 'clearance', 'durationSec', 'fileName', 'id', 'melodyNotes', 'report', 'topShares', 'worksFound'], binary: false, fileName: manifest.track.file, checkedAt: expect.any(Number) }]);
  await page.reload();
  await waitForWorks(page, DEMO);
  await expect(rows).toHaveCount(1);

  // Re-opened: the same shares, segments and rights, said to be without waveform and audio.
  await rows.first().getByTestId('history-open').click();
  const detail = page.getByTestId('history-detail');
  await expect(detail.getByRole('heading', { level: 1 })).toHaveText(manifest.track.file);
  expect(await page.getByTestId('history-shares').locator('li').allInnerTexts()).toEqual(shares);
  expect(await segmentRows(page, 'history-segments')).toEqual(segments);
  await expect(page.getByTestId('history-no-audio')).toContainText('never the audio, so there is no waveform and no A/B listening');
  // What was found about content credentials is kept with the check (the demo track has none).
  await expect(page.getByTestId('provenance-none')).toHaveText('This file carries no content credentials (C2PA).');
  await expect(page.getByTestId('clearance-verdict')).toContainText('Flagged');
  for (const { title } of workShares) await expect(page.getByTestId('clearance-verdict')).toContainText(title);
  await expect(page.getByTestId('waveform')).toHaveCount(0);
  await expect(page.locator('audio')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/e2e-history-detail.png', fullPage: true });
  // The melody segment opens the same piano roll, from the notes kept with the check; recording segments have no Notes.
  await expect(page.getByTestId('history-segments').locator('tbody tr').filter({ hasText: 'your recording' }).getByTestId('notes-open')).toHaveCount(0);
  expect(await openNotes(page, 'history-segments')).toEqual(liveNotes);
  await expect(page.getByTestId('melody-evidence')).toContainText('as they were when this check was made');
  await page.getByTestId('melody-evidence').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'test-results/screens/e2e-history-notes.png', fullPage: true });
  await page.getByTestId('notes-close').click();
  await expect(page.getByTestId('melody-evidence')).toHaveCount(0);
  // Its report is the report the check screen exported, but for the moment it was made.
  const saved = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const savedReport = JSON.parse(readFileSync(await (await saved).path(), 'utf8'));
  expect(withoutTime(savedReport)).toEqual(withoutTime(liveReport));
  // And as a spreadsheet, like the Check screen's: one row per segment.
  const csv = page.waitForEvent('download');
  await page.getByTestId('report-csv').click();
  const csvDownload = await csv;
  expect(csvDownload.suggestedFilename()).toBe(`${manifest.track.file.replace(/\.[^.]+$/, '')}.report.csv`);
  expect(readFileSync(await csvDownload.path(), 'utf8')).toContain(savedReport.segments[0].title);

  // Deleted: gone from the list, and still gone after a reload.
  await page.getByTestId('history-back').click();
  await rows.first().getByTestId('history-delete').click();
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('history-empty')).toContainText('No past checks yet');
  await page.reload();
  await waitForWorks(page, DEMO);
  await expect(page.getByTestId('history-empty')).toContainText('No past checks yet');
  expect((await storedHistory(page)).records).toEqual([]);
});

test('each check is saved once, newest first, and one deleted from its own page leaves the other', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('try-demo').click();
    await expect(page.getByTestId('segments')).toBeVisible();
    await page.getByTestId('nav-history').click();
    await expect(page.getByTestId('history-row')).toHaveCount(i + 1);
    // Leaving and coming back to the finished check does not save it again.
    await page.getByTestId('nav-check').click();
    await expect(page.getByTestId('segments')).toBeVisible();
  }
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(2);
  const before = (await storedHistory(page)).records.map((r) => r.checkedAt).sort();
  expect(before[1]).toBeGreaterThan(before[0]);
  // The first row is the newest; delete it from its own page.
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  await page.getByTestId('history-delete-open').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  expect((await storedHistory(page)).records.map((r) => r.checkedAt)).toEqual([before[0]]);
});

test("a saved check's piano roll shows the notes as they were, after the work is removed; a check saved before notes were kept says so", async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForWorks(page, DEMO);
  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('segments')).toBeVisible();
  const liveNotes = await openNotes(page, 'segments');
  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);

  // The work goes from the catalog: the saved check still draws its notes.
  await page.getByTestId('nav-catalog').click();
  await page.getByRole('button', { name: `Remove ${melodyWork.title}` }).click();
  await waitForWorks(page, DEMO - 1);
  await page.getByTestId('nav-history').click();
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  expect(await openNotes(page, 'history-segments')).toEqual(liveNotes);

  // A record as History saved it before notes were kept (no melodyNotes) re-opens, and its Notes say they were not kept.
  await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const store = db.transaction('history', 'readwrite').objectStore('history');
    await new Promise<void>((resolve, reject) => {
      const req = store.openCursor();
      req.onsuccess = () => {
        const cursor = req.result;
        if (!cursor) return resolve();
        const record = { ...cursor.value };
        delete record.melodyNotes;
        cursor.update(record);
        cursor.continue();
      };
      req.onerror = () => reject(req.error);
    });
    db.close();
  });
  expect((await storedHistory(page)).records[0].keys).not.toContain('melodyNotes');
  await page.reload();
  await waitForWorks(page, DEMO - 1);
  await page.getByTestId('history-row').first().getByTestId('history-open').click();
  const segment = page.getByTestId('history-segments').locator('tbody tr').filter({ hasText: 'your melody' });
  await expect(segment).toHaveCount(1);
  await segment.getByTestId('notes-open').click();
  await expect(page.getByTestId('notes-not-kept')).toContainText('The notes were not kept with this check');
  await expect(page.getByTestId('piano-roll')).toHaveCount(0);
});
