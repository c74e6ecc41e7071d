import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { test, expect, waitForWorks } from './fixtures';
import { parseCsv } from '../../src/report/csv';
import { reportToHtml } from '../../src/report/report-html';

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const titleOf = (id: string) => manifest.works.find((w: { id: string }) => w.id === id).title;
const [first, second] = manifest.track.truth.map((t: { workId: string }) => t.workId);

/** ISWC with its check digit, computed here from the published rule. */
function iswcFor(digits: string): string {
  let s = 1;
  for (let i = 1; i <= 9; i++) s += i * Number(digits[i - 1]);
  return `T-${digits.slice(0, 3)}.${digits.slice(3, 6)}.${digits.slice(6)}-${(10 - (s % 10)) % 10}`;
}

function metadataCsv(): { text: string; iswc: string } {
  const iswc = iswcFor(String(Date.now() % 1e9).padStart(9, '0'));
  const text = [
    'id,title,clearance,isrc,iswc,release,creators,notes',
    `${first},,cleared,GB-A1B-24-00042,${iswc},"Demo, vol. 1","Ana Ruiz [composer] 60%; Ben Ko [performer] 40%","said ""yes"" on
the phone"`,
    // Matched by title, not id.
    `,${titleOf(second).toUpperCase()},not-cleared,,,,Ben Ko [composer] 100%,`,
    'no-such-work,Nobody,cleared,,,,,',
    `${manifest.works[2].id},,unknown,BAD-ISRC,,,,`,
  ].join('\r\n');
  return { text, iswc };
}

async function importMetadata(page: import('@playwright/test').Page) {
  const { text, iswc } = metadataCsv();
  await page.getByTestId('import-metadata-input').setInputFiles({ name: 'rights.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  return iswc;
}

test('metadata CSV import: values land on the right works, bad lines are named, and it survives a reload and exports back', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  const iswc = await importMetadata(page);
  const notice = page.getByTestId('metadata-notice');
  await expect(notice).toContainText('Metadata imported for 2 works; 2 rows were not used');
  await expect(notice).toContainText('Row 4: No work in the catalog has the id “no-such-work” or the title “Nobody”');
  await expect(notice).toContainText(`Row 5: “${manifest.works[2].title}”: ISRC`);
  await expect(notice).toContainText('ISRC “BAD-ISRC” is not valid');

  const row = (id: string) => page.getByTestId('work-row').filter({ hasText: titleOf(id) });
  await expect(row(first).getByTestId('clearance-badge')).toHaveText('Cleared for AI use');
  await expect(row(second).getByTestId('clearance-badge')).toHaveText('Not cleared for AI use');
  await page.reload();
  await waitForWorks(page, DEMO);
  await expect(row(first).getByTestId('clearance-badge')).toHaveText('Cleared for AI use');
  await row(first).getByTestId('open-rights').click();
  const editor = page.getByTestId('metadata-editor');
  await expect(editor.getByTestId('md-iswc')).toHaveValue(iswc);
  await expect(editor.getByTestId('md-release')).toHaveValue('Demo, vol. 1');
  await expect(editor.getByTestId('md-notes')).toHaveValue('said "yes" on\nthe phone');
  await expect(editor.getByTestId('md-creator')).toHaveCount(2);
  await expect(editor.getByLabel('Name of creator 1')).toHaveValue('Ana Ruiz');
  await page.screenshot({ path: 'test-results/screens/e2e-catalog-rights.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByTestId('export-metadata').click();
  const rows = parseCsv(readFileSync(await (await download).path(), 'utf8')).map((r) => r.fields);
  expect(rows[0]).toEqual(['id', 'title', 'clearance', 'isrc', 'iswc', 'release', 'creators', 'notes']);
  expect(rows).toHaveLength(DEMO + 1);
  const exported = rows.find((r) => r[0] === first)!;
  expect(exported.slice(2)).toEqual(['cleared', 'GB-A1B-24-00042', iswc, 'Demo, vol. 1', 'Ana Ruiz [composer] 60%; Ben Ko [performer] 40%', 'said "yes" on\nthe phone']);
});

test('the rights editor validates identifiers and splits before it saves', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  const work = manifest.works[3];
  const row = page.getByTestId('work-row').filter({ hasText: work.title });
  await expect(row.getByTestId('clearance-badge')).toHaveText('AI use not recorded');
  await row.getByTestId('open-rights').click();
  const editor = page.getByTestId('metadata-editor');
  const good = iswcFor('123456789');
  const bad = good.slice(0, -1) + ((Number(good.at(-1)) + 3) % 10);
  await editor.getByTestId('md-iswc').fill(bad);
  await editor.getByTestId('md-add-creator').click();
  await editor.getByLabel('Name of creator 1').fill('Cy Twombly');
  await editor.getByLabel('Split of creator 1, percent').fill('60');
  await editor.getByTestId('md-add-creator').click();
  await editor.getByLabel('Name of creator 2').fill('Dee Dee');
  await editor.getByLabel('Split of creator 2, percent').fill('30');
  await editor.getByTestId('md-clearance').selectOption('cleared');
  await editor.getByTestId('md-save').click();
  const issues = editor.getByTestId('md-issues');
  await expect(issues).toContainText('wrong check digit');
  await expect(issues).toContainText('add up to 90 %, not 100 %');
  await expect(row.getByTestId('clearance-badge')).toHaveText('AI use not recorded'); // nothing saved
  await page.screenshot({ path: 'test-results/screens/e2e-rights-editor-errors.png', fullPage: true });
  await editor.getByTestId('md-iswc').fill(good.replace(/[-.]/g, ''));
  await editor.getByLabel('Split of creator 2, percent').fill('40');
  await editor.getByTestId('md-save').click();
  await expect(editor).toHaveCount(0);
  await expect(row.getByTestId('clearance-badge')).toHaveText('Cleared for AI use');
  await row.getByTestId('open-rights').click();
  await expect(page.getByTestId('md-iswc')).toHaveValue(good); // stored in its canonical form
});

test('the demo check shows splits and clearance, and its JSON report holds the shares and segments', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  await importMetadata(page);
  await expect(page.getByTestId('metadata-notice')).toContainText('Metadata imported for 2 works');
  await page.getByTestId('nav-check').click();
  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('check-result')).toBeVisible();

  const verdict = page.getByTestId('clearance-verdict');
  await expect(verdict).toContainText('Flagged');
  await expect(verdict).toContainText(`${titleOf(second)} (not cleared)`);
  await expect(verdict).not.toContainText(titleOf(first));
  const parties = page.getByTestId('parties').locator('tbody tr');
  await expect(parties).toHaveCount(2);
  await expect(page.getByTestId('rights-summary')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/e2e-check-rights.png', fullPage: true });

  const download = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(manifest.track.file.replace(/\.[^.]+$/, '') + '.report.json');
  const report = JSON.parse(readFileSync(await file.path(), 'utf8'));
  expect(report.schema).toBe('tunetrace.check-report');
  // The hash of the very bytes the app was served.
  const served = await (await page.request.get(`/demo/${manifest.track.file}`)).body();
  expect(report.file.sha256).toBe(createHash('sha256').update(served).digest('hex'));
  expect(report.file.sizeBytes).toBe(served.length);
  expect(report.catalog.works).toBe(DEMO);
  expect(report.catalog.id).toMatch(/\S/);
  expect(report.segments.map((s: { workId: string }) => s.workId)).toEqual(manifest.track.truth.map((t: { workId: string }) => t.workId));
  for (const [i, truth] of manifest.track.truth.entries()) {
    const s = report.segments[i];
    // A melody segment ends with its last matched note, and a re-played phrase's last notes fade into the noise
    // unmatched: up to 2.5 s early (the demo's: 1.6 s).
    const [early, late] = truth.evidence === 'melody' ? [2.5, 1.5] : [1.5, 1.5];
    expect(Math.abs(s.queryStartSec - truth.queryStartSec)).toBeLessThan(1.5);
    expect(s.queryEndSec - truth.queryEndSec).toBeGreaterThan(-early);
    expect(s.queryEndSec - truth.queryEndSec).toBeLessThan(late);
    expect(s.confidence).toBeGreaterThan(0.99);
    expect(s.hits).toBeGreaterThan(s.expectedHits);
    const share = report.shares.find((x: { workId: string }) => x.workId === truth.workId);
    expect(Math.abs(share.proportion - (truth.queryEndSec - truth.queryStartSec) / manifest.track.durationSec)).toBeLessThan(0.05);
    expect(share.segments).toContain(i);
  }
  const sumShares = report.shares.reduce((a: number, s: { proportion: number }) => a + s.proportion, 0);
  expect(sumShares + report.unattributedProportion).toBeCloseTo(1, 6);
  const p = (name: string) => report.splits.parties.find((x: { name: string }) => x.name === name).proportion;
  const shareOf = (id: string) => report.shares.find((x: { workId: string }) => x.workId === id).proportion;
  expect(p('Ana Ruiz')).toBeCloseTo(shareOf(first) * 0.6, 9);
  expect(p('Ben Ko')).toBeCloseTo(shareOf(first) * 0.4 + shareOf(second), 9);
  expect(report.clearance.status).toBe('flagged');
  // Every reused work but the one cleared in the CSV is flagged (the others' clearance is unknown or not cleared).
  const flaggedExpected = manifest.track.truth.map((t: { workId: string }) => t.workId).filter((id: string) => id !== first);
  expect(report.clearance.flagged.map((f: { workId: string }) => f.workId).sort()).toEqual([...new Set(flaggedExpected)].sort());

  // Print: the same report, as its own page in a frame.
  await page.getByTestId('report-print').click();
  const frame = page.frameLocator('[data-testid="print-frame"]');
  await expect(frame.locator('h1')).toHaveText(manifest.track.file);
  await expect(frame.locator('.verdict')).toContainText('Flagged');

  // The printable report, rendered by Chromium as it prints it.
  const print = await page.context().newPage();
  await print.setContent(reportToHtml(report));
  await print.emulateMedia({ media: 'print' });
  await expect(print.locator('svg.timeline rect[rx="3"]')).toHaveCount(report.segments.length);
  await print.screenshot({ path: 'test-results/screens/e2e-report-print.png', fullPage: true });
  const pdf = await print.pdf({ format: 'A4', printBackground: true });
  expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
});
