import { readFileSync } from 'node:fs';
import { test, expect, waitForWorks, seriousViolations } from './fixtures';
import { encodeWav, synthMusic } from '../fixtures/audio';

// Accessibility: an axe audit of every screen and state, and a keyboard-only walk.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const RATE = 22050;

function wavFile(name: string, samples: Float32Array) {
  return { name, mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([samples], RATE)) };
}

test('every screen and state passes an axe audit with no serious or critical violation', async ({ page }) => {
  test.setTimeout(120_000);
  const audit = async (state: string) => expect(await seriousViolations(page), state).toEqual([]);

  await page.goto('/');
  await waitForWorks(page, DEMO);
  await audit('check: empty');

  // Booth mode (its live states are audited in listen.spec.ts, with a fake microphone); held Esc leaves it.
  await page.goto('/#/booth');
  await expect(page.getByTestId('booth-works').locator('li')).toHaveCount(DEMO);
  await audit('booth: start screen');
  await page.keyboard.down('Escape');
  await page.waitForTimeout(2300);
  await page.keyboard.up('Escape');
  await expect(page.getByTestId('try-demo')).toBeVisible();

  // A long track, cancelled at once (the check takes a few seconds; an audit first could outlast it).
  const long = wavFile('long.wav', synthMusic(5, 600, RATE));
  await page.getByTestId('check-drop-input').setInputFiles(long);
  await expect(page.getByTestId('check-progress')).toBeVisible();
  await page.getByTestId('cancel-check').click();
  await expect(page.getByTestId('check-cancelled')).toBeVisible();
  await audit('check: cancelled');
  // Running: the same track again, audited while it is checked, then left to finish.
  await page.getByTestId('check-drop-input').setInputFiles(long);
  await expect(page.getByTestId('check-progress')).toBeVisible();
  await audit('check: running');
  await expect(page.getByTestId('no-match')).toBeVisible({ timeout: 60_000 });

  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('segments')).toBeVisible();
  await expect(page.getByTestId('waveform').locator('div').first()).toBeAttached();
  await audit('check: result');

  await page.getByTestId('check-drop-input').setInputFiles(wavFile('unrelated.wav', synthMusic(31337, 20, RATE)));
  await expect(page.getByTestId('no-match')).toBeVisible();
  await audit('check: no match');

  await page.getByTestId('check-drop-input').setInputFiles({ name: 'photo.wav', mimeType: 'audio/wav', buffer: Buffer.from('RIFF....WAVEjunk') });
  await expect(page.getByTestId('check-error')).toBeVisible();
  await audit('check: error');

  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('works')).toBeVisible();
  await audit('catalog: with works');

  await page.getByTestId('catalog-drop-input').setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('not audio '.repeat(200)) });
  await expect(page.getByTestId('import-jobs')).toContainText('could not be decoded as audio');
  await page.getByTestId('import-catalog-input').setInputFiles({ name: 'broken.ttcat', mimeType: 'application/octet-stream', buffer: Buffer.from('TTCAT\r\n\x1a but not really') });
  await expect(page.getByTestId('catalog-notice')).toBeVisible();
  await audit('catalog: import errors');

  for (const w of manifest.works) await page.getByRole('button', { name: `Remove ${w.title}` }).click();
  await expect(page.getByTestId('catalog-empty')).toBeVisible();
  await audit('catalog: empty');
});

test('progress and results are announced through live regions', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  const live = page.locator('[aria-live="polite"]').filter({ has: page.getByTestId('try-demo') }).or(page.locator('.status[aria-live="polite"]'));
  await page.getByTestId('try-demo').click();
  await expect(live.getByTestId('check-progress')).toBeVisible();
  const truthTitles = manifest.track.truth.map((t: { workId: string }) => manifest.works.find((w: { id: string }) => w.id === t.workId).title);
  const announcement = live.getByTestId('check-announcement');
  await expect(announcement).toContainText(`Found in “${manifest.track.file}”`);
  for (const title of truthTitles) await expect(announcement).toContainText(new RegExp(`${title}, \\d+ % of the track`));

  await page.getByTestId('check-drop-input').setInputFiles(wavFile('unrelated.wav', synthMusic(31337, 20, RATE)));
  await expect(announcement).toHaveText('No work from your catalog was found in “unrelated.wav”.');

  // Adding works reports each file's progress and outcome politely, and errors as alerts.
  await page.getByTestId('nav-catalog').click();
  await page.getByTestId('catalog-drop-input').setInputFiles({ name: 'notes.mp3', mimeType: 'audio/mpeg', buffer: Buffer.from('not audio '.repeat(200)) });
  await expect(page.locator('[aria-live="polite"][data-testid="import-jobs"] [role="alert"]')).toContainText('could not be decoded as audio');
});

test('keyboard only: add a work, check a track, reach the result table, export the catalog', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForWorks(page, DEMO);

  /** Presses Tab until the focused element matches `accessibleName` (at most 40 presses). */
  async function tabTo(name: RegExp): Promise<void> {
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const label = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return (el?.getAttribute('aria-label') ?? el?.textContent ?? '').trim();
      });
      if (name.test(label)) {
        // The focus is visible: the focused element draws an outline.
        const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
        expect(outline, `focus ring on “${label}”`).not.toBe('none');
        return;
      }
    }
    throw new Error(`no focusable element named ${name} within 40 Tabs`);
  }

  // To the catalog, and add a work through the keyboard-operable drop zone.
  await tabTo(/^Catalog/);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Your catalog' })).toBeVisible();
  const song = synthMusic(2025, 20, RATE);
  await tabTo(/Add audio files of your works/);
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(wavFile('Keyboard Song.wav', song));
  await waitForWorks(page, DEMO + 1);

  // Back to the check screen; check the demo track with the keyboard.
  await tabTo(/^Check a track/);
  await page.keyboard.press('Enter');
  await tabTo(/Try the demo track/);
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('segments')).toBeVisible();
  // The result can be reached and read: Tab moves on into the result (the player).
  await tabTo(/^Play$/);
  await expect(page.getByTestId('segments').locator('tbody tr')).toHaveCount(manifest.track.truth.length);

  // Export the catalog.
  await tabTo(/^Catalog/);
  await page.keyboard.press('Enter');
  await tabTo(/Export catalog/);
  const download = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await download).suggestedFilename()).toMatch(/\.ttcat$/);
});

test('the A/B player and the History screen pass an axe audit', async ({ page }) => {
  const audit = async (state: string) => expect(await seriousViolations(page), state).toEqual([]);
  await page.goto('/');
  await waitForWorks(page, DEMO);
  await page.getByTestId('try-demo').click();
  await page.getByTestId('segments').getByTestId('ab-open').first().click();
  await expect(page.getByTestId('ab-play')).toBeVisible();
  await audit('check: A/B player');

  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  await audit('history: list');
  await page.getByTestId('history-open').click();
  await expect(page.getByTestId('history-detail')).toBeVisible();
  await audit('history: saved check');
  await page.getByTestId('history-segments').getByTestId('notes-open').click();
  await expect(page.getByTestId('piano-roll')).toBeVisible();
  await audit('history: saved check, piano roll');
  await page.getByTestId('history-delete-open').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
  await audit('history: empty');
});
