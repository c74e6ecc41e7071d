import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from '@playwright/test';
import { test as base, expect, waitForWorks } from './fixtures';
import { CHROMIUM_ARGS } from '../../playwright.config';
import { addNoise, encodeWav } from '../fixtures/audio';

// Live listening with the network off: after one online load, the service worker serves the app,
// the analysis and matcher workers, the capture worklet and the WASM core; Chromium's fake capture
// device plays a demo work with a small pitch and tempo change under noise.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const WORK = manifest.works.find((w: { id: string }) => w.id === 'glass-garden') as { id: string; title: string; file: string };
const RATE = 48000;

/** The work decoded by ffmpeg, half a semitone up and 3 % faster (sox), white noise at 15 dB SNR. */
function liveWav(dir: string): string {
  const clean = join(dir, 'clean.wav');
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-i', join('public/demo', WORK.file), '-ac', '1', '-ar', String(RATE), clean]);
  const raw = execFileSync('sox', ['-R', '-D', '-V1', clean, '-t', 'f32', '-c', '1', '-r', String(RATE), '-', 'pitch', '50', 'tempo', '1.03'], { maxBuffer: 64 * 2 ** 20 });
  const music = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  const path = join(dir, `${WORK.id}-live.wav`);
  writeFileSync(path, encodeWav([addNoise(music, 15)], RATE));
  return path;
}

let wavDir: string | undefined;

/**
 * The browser is launched with the capture flags (launch options are per browser), and its
 * context replaces the default one, so fixtures.ts's check of foreign requests watches it.
 */
const test = base.extend<{ context: BrowserContext }>({
  context: async ({ playwright, launchOptions, baseURL }, use) => {
    wavDir ??= mkdtempSync(join(tmpdir(), 'tunetrace-offline-mic-'));
    const wav = liveWav(wavDir);
    const browser = await playwright.chromium.launch({
      ...launchOptions,
      args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`],
    });
    const context = await browser.newContext({ baseURL });
    await use(context);
    await browser.close();
  },
});

test.afterAll(() => {
  if (wavDir) rmSync(wavDir, { recursive: true, force: true });
  wavDir = undefined;
});

test('after one online load, a live check names the demo work with the network off', async ({ page, context }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller?.state === 'activated');

  await context.setOffline(true);
  await page.reload();
  // The network really is off: a file the service worker does not hold cannot be fetched.
  const licence = await page.evaluate(() => fetch('demo/LICENSE.md').then((r) => r.status, (e) => String(e)));
  expect(licence).toMatch(/TypeError|Failed to fetch/);
  await waitForWorks(page, DEMO);

  const startedMs = Date.now();
  await page.getByTestId('listen-start').click();
  await expect(page.getByTestId('listen-status')).toContainText('Listening…');
  const found = page.getByTestId('listen-found');
  await expect(found.locator('.title')).toHaveText(WORK.title, { timeout: 10_000 });
  console.log(`offline live latency: ${((Date.now() - startedMs) / 1000).toFixed(1)} s`);
  await expect(found).toContainText(/faster/);
  // It goes on naming it as the window rolls on.
  const panel = page.getByTestId('listen-panel');
  const checks = Number(await panel.getAttribute('data-checks'));
  await expect.poll(async () => Number(await panel.getAttribute('data-checks'))).toBeGreaterThanOrEqual(checks + 2);
  await expect(found.locator('.title')).toHaveText(WORK.title);
  await page.getByTestId('listen-stop').click();
  await expect(page.getByTestId('listen-start')).toBeVisible();
});
