import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { test, expect, waitForWorks, seriousViolations } from './fixtures';
import { DEMO_DECLARATION, encodeMp3, makeTestSigner, signMp3, type C2paDeclaration, type TestSigner } from '../../scripts/make-c2pa-fixture';
import { reportToHtml } from '../../src/report/report-html';

// C2PA content credentials: a signed copy of the demo track is made here (ffmpeg → MP3, then
// @trustnxt/c2pa-ts with a throw-away test certificate), checked in the app, and what it declares
// is shown beside what Tunetrace found; the same file without credentials says so.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const titleOf = (id: string): string => manifest.works.find((w: { id: string }) => w.id === id).title;
/** The catalog works the demo track holds (what Tunetrace finds in it). */
const TRUTH_TITLES: string[] = [...new Set<string>(manifest.track.truth.map((t: { workId: string }) => titleOf(t.workId)))];
/** A demo work that is not in the demo track. */
const ABSENT_TITLE: string = manifest.works.map((w: { title: string }) => w.title).find((t: string) => !TRUTH_TITLES.includes(t));

let plainMp3: Buffer;
let signer: TestSigner;
const signed = new Map<string, Buffer>();

async function signedWith(declaration: C2paDeclaration): Promise<Buffer> {
  const key = JSON.stringify(declaration);
  if (!signed.has(key)) signed.set(key, Buffer.from(await signMp3(new Uint8Array(plainMp3), declaration, signer)));
  return signed.get(key)!;
}

test.beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tt-c2pa-'));
  plainMp3 = Buffer.from(await encodeMp3(new URL(`../../public/demo/${manifest.track.file}`, import.meta.url).pathname, join(dir, 'demo.mp3')));
  signer = await makeTestSigner();
});

async function checkFile(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('check-drop-input').setInputFiles({ name, mimeType: 'audio/mpeg', buffer });
  await expect(page.getByTestId('check-result')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('segments').locator('tbody tr')).toHaveCount(manifest.track.truth.length);
}

async function open(page: Page): Promise<void> {
  await page.goto('/');
  await waitForWorks(page, DEMO);
}

async function collectCspViolations(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.cspViolations.push(`${e.effectiveDirective} ${e.blockedURI}`));
  });
}
const cspViolations = (page: Page) => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

test('a signed file shows what it declares beside what was found, and where they disagree', async ({ page }) => {
  const c2paRequests: string[] = [];
  page.on('request', (r) => { if (/c2pa|read-browser/.test(r.url())) c2paRequests.push(r.url()); });
  await collectCspViolations(page);
  await open(page);
  // Start-up loads nothing of the C2PA reader.
  expect(c2paRequests).toEqual([]);

  await checkFile(page, 'demo-track.c2pa.mp3', await signedWith(DEMO_DECLARATION));
  // The reader (its WASM and worker) was loaded for this check, from the app's own origin.
  expect(c2paRequests.some((u) => u.endsWith('.wasm'))).toBe(true);
  expect(c2paRequests.some((u) => /c2pa_worker-.*\.js$/.test(u))).toBe(true);

  const panel = page.getByTestId('provenance');
  await expect(panel).toBeVisible();
  const { generator, ingredients } = DEMO_DECLARATION;
  await expect(page.getByTestId('provenance-generator')).toHaveText(`${generator.name} ${generator.version}`);
  await expect(page.getByTestId('provenance-signer')).toContainText(signer.commonName);
  // Self-made certificate: valid signature, honestly not trusted.
  await expect(page.getByTestId('provenance-signature')).toHaveAttribute('data-state', 'untrusted');
  await expect(page.getByTestId('provenance-signature')).toHaveText('Signature valid, signer not trusted');
  await expect(page.getByTestId('provenance-ai')).toHaveAttribute('data-ai', 'generated');
  await expect(page.getByTestId('provenance-ai')).toContainText('trainedAlgorithmicMedia');
  await expect(page.getByTestId('provenance-ingredients')).toHaveText(ingredients.join(', '));

  // One row per work found: declared ones agree, the others are flagged.
  const rows = page.getByTestId('provenance-row');
  await expect(rows).toHaveCount(TRUTH_TITLES.length);
  for (const title of TRUTH_TITLES) {
    const row = rows.filter({ hasText: title });
    await expect(row).toHaveAttribute('data-kind', ingredients.includes(title) ? 'agree' : 'disagree');
  }
  const undeclared = TRUTH_TITLES.filter((t) => !ingredients.includes(t));
  expect(undeclared.length).toBeGreaterThan(0);
  await expect(page.getByTestId('provenance-verdict')).toHaveAttribute('data-verdict', 'disagrees');
  for (const title of undeclared) await expect(page.getByTestId('provenance-findings')).toContainText(`Tunetrace found “${title}”`);

  // The panel (colours of agreement and disagreement, the table) passes an axe audit.
  expect(await seriousViolations(page, '[data-testid="provenance"]')).toEqual([]);

  await page.screenshot({ path: '/tmp/tt-provenance-signed.png', fullPage: true });
  await panel.screenshot({ path: '/tmp/tt-provenance-signed-panel.png' });
  expect(await cspViolations(page)).toEqual([]);
});

test('credentials that declare every work found agree; a declared catalog work that is not there is flagged', async ({ page }) => {
  await open(page);
  await checkFile(page, 'declares-all.mp3', await signedWith({ ...DEMO_DECLARATION, ingredients: TRUTH_TITLES }));
  await expect(page.getByTestId('provenance-verdict')).toHaveAttribute('data-verdict', 'agrees');
  await expect(page.getByTestId('provenance-signature')).toHaveAttribute('data-state', 'untrusted');
  await expect(page.getByTestId('provenance-row')).toHaveCount(TRUTH_TITLES.length);
  for (const row of await page.getByTestId('provenance-row').all()) await expect(row).toHaveAttribute('data-kind', 'agree');

  // Ingredient titles as file names still name the work; one catalog work not in the track is flagged.
  const asFileNames = [TRUTH_TITLES[0].toLowerCase().replace(/ /g, '-') + '.wav', ABSENT_TITLE];
  await checkFile(page, 'declares-absent.mp3', await signedWith({ ...DEMO_DECLARATION, ingredients: asFileNames }));
  await expect(page.getByTestId('provenance-verdict')).toHaveAttribute('data-verdict', 'disagrees');
  await expect(page.getByTestId('provenance-row').filter({ hasText: TRUTH_TITLES[0] })).toHaveAttribute('data-kind', 'agree');
  const absent = page.getByTestId('provenance-row').filter({ hasText: ABSENT_TITLE });
  await expect(absent).toHaveAttribute('data-kind', 'disagree');
  await expect(absent).toContainText('not found');
  await expect(page.getByTestId('provenance-findings')).toContainText(`“${ABSENT_TITLE}” is declared as an ingredient and is in your catalog, but Tunetrace did not find it`);
});

test('a file without credentials says so, and the check is unchanged', async ({ page }) => {
  await open(page);
  await checkFile(page, 'demo-track.mp3', plainMp3);
  await expect(page.getByTestId('provenance-none')).toHaveText('This file carries no content credentials (C2PA).');
  await expect(page.getByTestId('provenance-verdict')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/tt-provenance-none.png', fullPage: true });

  // An Ogg/Opus file (the demo track) cannot carry them: said so, without loading the reader.
  const c2paRequests: string[] = [];
  const fresh = await page.context().newPage();
  fresh.on('request', (r) => { if (/c2pa|read-browser/.test(r.url())) c2paRequests.push(r.url()); });
  await open(fresh);
  await fresh.getByTestId('try-demo').click();
  await expect(fresh.getByTestId('provenance-none')).toHaveText('This file carries no content credentials (C2PA).');
  await expect(fresh.getByTestId('provenance')).toContainText('Ogg files');
  expect(c2paRequests).toEqual([]);
});

test('malformed or tampered credentials are reported plainly and do not break the check', async ({ page }) => {
  await open(page);
  const good = await signedWith(DEMO_DECLARATION);

  // Zeros over the claim's CBOR: the manifest store cannot be parsed.
  const malformed = Buffer.from(good);
  const claimAt = malformed.indexOf('c2pa.claim');
  expect(claimAt).toBeGreaterThan(0);
  malformed.fill(0, claimAt + 40, claimAt + 240);
  await checkFile(page, 'malformed.mp3', malformed);
  await expect(page.getByTestId('provenance-error')).toContainText('could not be read');
  await expect(page.getByTestId('provenance-error')).toContainText('malformed');
  await expect(page.getByTestId('shares')).toContainText(TRUTH_TITLES[0]);

  // One audio byte changed after signing: the declarations are read, but validation fails.
  const tampered = Buffer.from(good);
  const at = tampered.length - 5000;
  tampered[at] ^= 0x01;
  await checkFile(page, 'tampered.mp3', tampered);
  await expect(page.getByTestId('provenance-signature')).toHaveAttribute('data-state', 'invalid');
  await expect(page.getByTestId('provenance-declared')).toContainText('A signature or hash check failed');
  // …with the reader's reason for it.
  await expect(page.getByTestId('provenance-problems')).toContainText(/\S/);
});

test('the report carries the provenance: JSON, CSV and the printable page', async ({ page }) => {
  await open(page);
  await checkFile(page, 'demo-track.c2pa.mp3', await signedWith(DEMO_DECLARATION));
  await expect(page.getByTestId('provenance-verdict')).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByTestId('report-json').click();
  const report = JSON.parse(readFileSync(await (await download).path(), 'utf8'));
  expect(report.schemaVersion).toBe(2);
  const p = report.provenance;
  expect(p.status).toBe('declared');
  expect(p.declared.generator).toBe(`${DEMO_DECLARATION.generator.name} ${DEMO_DECLARATION.generator.version}`);
  expect(p.declared.signature.state).toBe('untrusted');
  expect(p.declared.signature.failureCodes).toContain('signingCredential.untrusted');
  expect(p.declared.ai).toMatchObject({ use: 'generated', digitalSourceTypes: ['trainedAlgorithmicMedia'] });
  expect(p.declared.ingredients.map((i: { title: string }) => i.title)).toEqual(DEMO_DECLARATION.ingredients);
  expect(p.comparison.verdict).toBe('disagrees');
  const undeclaredIds = report.shares.filter((s: { title: string }) => !DEMO_DECLARATION.ingredients.includes(s.title)).map((s: { workId: string }) => s.workId);
  const flagged = p.comparison.findings.filter((f: { kind: string; topic: string }) => f.kind === 'disagree' && f.topic === 'work').map((f: { workId: string }) => f.workId);
  expect(flagged.sort()).toEqual(undeclaredIds.sort());
  expect(p.comparison.ingredientWorks).toEqual(DEMO_DECLARATION.ingredients.map((t) => ({
    ingredient: t, workId: manifest.works.find((w: { title: string }) => w.title === t).id, found: TRUTH_TITLES.includes(t),
  })));

  const csvDownload = page.waitForEvent('download');
  await page.getByTestId('report-csv').click();
  const csv = readFileSync(await (await csvDownload).path(), 'utf8');
  const provenanceRows = csv.split('\r\n').filter((l) => l.startsWith('provenance'));
  expect(provenanceRows[0]).toContain('untrusted');
  expect(provenanceRows.filter((l) => l.startsWith('provenance-finding,') && l.includes(',disagree,'))).toHaveLength(undeclaredIds.length);

  // The printable page, as Chromium prints it.
  await page.getByTestId('report-print').click();
  const frame = page.frameLocator('[data-testid="print-frame"]');
  await expect(frame.locator('section.provenance')).toContainText('Signature valid, signer not trusted');
  const print = await page.context().newPage();
  await print.setContent(reportToHtml(report));
  await print.emulateMedia({ media: 'print' });
  const section = print.locator('section.provenance');
  await expect(section.locator('tr.disagree')).toHaveCount(undeclaredIds.length);
  await expect(section.locator('tr.agree')).toHaveCount(1);
  await print.setViewportSize({ width: 900, height: 800 });
  await print.screenshot({ path: '/tmp/tt-report-provenance.png', fullPage: true });
  await section.screenshot({ path: '/tmp/tt-report-provenance-section.png' });
});

test('credentials are read with the network off, from the precached reader', async ({ page, context }) => {
  await open(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');
  await context.setOffline(true);
  await page.reload();
  await waitForWorks(page, DEMO);
  await checkFile(page, 'offline.c2pa.mp3', await signedWith(DEMO_DECLARATION));
  await expect(page.getByTestId('provenance-generator')).toHaveText(`${DEMO_DECLARATION.generator.name} ${DEMO_DECLARATION.generator.version}`);
  await expect(page.getByTestId('provenance-signature')).toHaveAttribute('data-state', 'untrusted');
});
