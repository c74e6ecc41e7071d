import { readFileSync } from 'node:fs';
import { test, expect, waitForWorks } from './fixtures';
import { concat, encodeWav, slice, synthMusic, addNoise } from '../fixtures/audio';

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const RATE = 22050;

function wavFile(name: string, samples: Float32Array) {
  return { name, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([samples], RATE)) };
}

test('the demo: bundled catalog loads, one click finds every reused work where it is', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 }); // a laptop: the result appears below the fold
  await page.goto('/');
  await waitForWorks(page, manifest.works.length);
  await page.getByTestId('try-demo').click();
  const result = page.getByTestId('check-result');
  await expect(result).toBeVisible();
  // Brought into view, so the check does not look as if nothing happened.
  await expect(result.getByRole('heading', { level: 2 })).toBeInViewport();
  // No clearance is recorded for the demo works: said as such, not as "not cleared".
  await expect(page.getByTestId('clearance-verdict')).toContainText(`uses ${manifest.track.truth.length} works whose clearance for AI use is not recorded`);
  const rows = page.getByTestId('segments').locator('tbody tr');
  await expect(rows).toHaveCount(manifest.track.truth.length);
  for (const [i, truth] of manifest.track.truth.entries()) {
    const title = manifest.works.find((w: { id: string }) => w.id === truth.workId).title;
    await expect(rows.nth(i)).toContainText(title);
  }
  await expect(page.getByTestId('shares')).toContainText('Night Drive');
  await expect(page.getByTestId('shares')).toContainText('Not from your catalog');
  await expect(page.getByTestId('waveform')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/e2e-demo-result.png', fullPage: true });
});

test('a demo check started before the demo works are stored waits for them and searches them all', async ({ page }) => {
  // Hold one demo work's audio back, so the first run's seeding is still going when the check's analysis ends
  // (a booth visitor clicking at once). Before, the check searched only the works stored by then.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route('**/demo/works/blue-corner.opus', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto('/');
  await expect(page.getByTestId('try-demo')).toBeEnabled();
  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('check-stage')).toContainText(`Adding the demo works to your catalog first (0 of ${manifest.works.length})`);
  // The Catalog screen says so too, and a catalog of demo works being added is no reason for a storage warning.
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('catalog-empty')).toContainText(`Adding the ${manifest.works.length} bundled demo works (0 done)`);
  await expect(page.getByTestId('storage-persisted')).toContainText('Persistent storage not asked for yet');
  await page.getByTestId('nav-check').click();
  release();
  const result = page.getByTestId('check-result');
  await expect(result).toContainText(`searched ${manifest.works.length} works`, { timeout: 60_000 });
  await expect(page.getByTestId('segments').locator('tbody tr')).toHaveCount(manifest.track.truth.length);
  await expect(page.getByTestId('segments')).toContainText('Blue Corner');
  await expect(page.getByTestId('not-searched')).toHaveCount(0);
});

test('a work added to the catalog is found in a track made from it, and survives a reload', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, manifest.works.length);
  const song = synthMusic(2024, 30, RATE);
  await page.getByTestId('catalog-drop-input').setInputFiles(wavFile('My Song_final.wav', song));
  await waitForWorks(page, manifest.works.length + 1);
  await expect(page.getByTestId('works')).toContainText('My Song final');

  // Rename it, then reload: the catalog and the new title are still there.
  await page.getByRole('button', { name: 'My Song final', exact: true }).click();
  const input = page.getByLabel('Title');
  await input.fill('Lighthouse');
  await input.press('Enter');
  await expect(page.getByTestId('works')).toContainText('Lighthouse');
  await page.reload();
  await waitForWorks(page, manifest.works.length + 1);
  await expect(page.getByTestId('works')).toContainText('Lighthouse');

  // A track: 8 s of other music, then 12 s of the song from 10 s, with a little noise.
  const track = concat(synthMusic(77, 8, RATE), addNoise(slice(song, RATE, 10, 22), 20));
  await page.getByTestId('nav-check').click();
  await page.getByTestId('check-drop-input').setInputFiles(wavFile('ai-track.wav', track));
  const rows = page.getByTestId('segments').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Lighthouse');
  const cells = await rows.first().locator('td').allInnerTexts();
  // In this track from ~0:08, in the work from ~0:10.
  expect(cells[1]).toMatch(/^0:0[78]\.\d – 0:(19|20)\.\d$/);
  expect(cells[2]).toMatch(/^0:(09|10)\.\d – /);
});

test('a track with none of the catalog in it says so plainly', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, manifest.works.length);
  await page.getByTestId('check-drop-input').setInputFiles(wavFile('unrelated.wav', synthMusic(31337, 20, RATE)));
  await expect(page.getByTestId('no-match')).toContainText('No work from your catalog was found in this track');
  await expect(page.getByTestId('no-match')).toContainText(`${manifest.works.length} works`);
});

test('a check can be cancelled mid-run, and the next check still works', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, manifest.works.length);
  // 10 minutes of audio: long enough to catch it running.
  const long = synthMusic(5, 600, RATE);
  await page.getByTestId('check-drop-input').setInputFiles(wavFile('long.wav', long));
  await expect(page.getByTestId('check-progress')).toBeVisible();
  await page.getByTestId('cancel-check').click();
  await expect(page.getByTestId('check-cancelled')).toBeVisible();
  await expect(page.getByTestId('check-result')).toHaveCount(0);
  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('segments').locator('tbody tr')).toHaveCount(manifest.track.truth.length);
});

test('bad files get a clear message and leave the catalog as it was', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, manifest.works.length);
  const drop = page.getByTestId('catalog-drop-input');
  await drop.setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('definitely not audio '.repeat(200)) });
  await expect(page.getByTestId('import-jobs')).toContainText('could not be decoded as audio');
  await drop.setInputFiles({ name: 'empty.wav', mimeType: 'audio/wav', buffer: Buffer.alloc(0) });
  await expect(page.getByTestId('import-jobs')).toContainText('is empty (0 bytes)');
  await drop.setInputFiles(wavFile('silence.wav', new Float32Array(RATE * 5)));
  await expect(page.getByTestId('import-jobs')).toContainText('is silent');
  await drop.setInputFiles(wavFile('blip.wav', synthMusic(1, 1, RATE)));
  await expect(page.getByTestId('import-jobs')).toContainText('only 1.0 s long');
  await expect(page.getByTestId('work-row')).toHaveCount(manifest.works.length);

  // A damaged catalog file is refused whole.
  await page.getByTestId('import-catalog-input').setInputFiles({ name: 'broken.ttcat', mimeType: 'application/octet-stream', buffer: Buffer.from('TTCAT\r\n\x1a but not really') });
  await expect(page.getByTestId('catalog-notice')).toContainText(/not a Tunetrace catalog|damaged/);
  await expect(page.getByTestId('work-row')).toHaveCount(manifest.works.length);

  // The check screen refuses a non-audio file the same way.
  await page.getByTestId('nav-check').click();
  await page.getByTestId('check-drop-input').setInputFiles({ name: 'photo.wav', mimeType: 'audio/wav', buffer: Buffer.from('RIFF....WAVEjunk') });
  await expect(page.getByTestId('check-error')).toContainText('could not be decoded as audio');
  await page.screenshot({ path: 'test-results/screens/e2e-bad-input.png', fullPage: true });
  await waitForWorks(page, manifest.works.length);
  // Another action on the screen (listening) puts the old message away.
  await page.getByTestId('listen-start').click();
  await expect(page.getByTestId('check-error')).toHaveCount(0);
});

test('export and re-import of the catalog round-trips every work', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, manifest.works.length);
  const download = page.waitForEvent('download');
  await page.getByTestId('export-catalog').click();
  const file = await (await download).path();
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 5).toString()).toBe('TTCAT');
  // Remove one work, then import the export: it comes back.
  await page.getByRole('button', { name: 'Remove Glass Garden' }).click();
  await waitForWorks(page, manifest.works.length - 1);
  await page.getByTestId('import-catalog-input').setInputFiles({ name: 'backup.ttcat', mimeType: 'application/octet-stream', buffer: bytes });
  await expect(page.getByTestId('catalog-notice')).toContainText(`Imported ${manifest.works.length} works`);
  await waitForWorks(page, manifest.works.length);
});
