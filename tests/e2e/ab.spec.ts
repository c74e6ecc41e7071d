import { readFileSync } from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect, waitForWorks } from './fixtures';
import { concat, encodeWav, slice, synthMusic } from '../fixtures/audio';

// A/B listening: the track's span (A), then the work's matching span (B), each in its own
// <audio> element; X switches at the aligned point; B keeps pace with A through playbackRate.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const RATE = 22050;

interface Media { src: string; currentTime: number; paused: boolean; playbackRate: number }
const media = (page: Page, id: 'ab-audio-a' | 'ab-audio-b'): Promise<Media> =>
  page.getByTestId(id).evaluate((el: HTMLAudioElement) => ({ src: el.src, currentTime: el.currentTime, paused: el.paused, playbackRate: el.playbackRate }));

/** m:ss.s → seconds */
const seconds = (text: string) => {
  const [m, s] = text.trim().split(':');
  return Number(m) * 60 + Number(s);
};

/** A segment row's spans as the table shows them (to 0.1 s). */
async function spans(row: Locator) {
  const cells = await row.locator('td').allInnerTexts();
  const [qs, qe] = cells[1].split('–').map(seconds);
  const [rs, re] = cells[2].split('–').map(seconds);
  return { qs, qe, rs, re, ratio: (qe - qs) / (re - rs) };
}

test('A/B on a demo segment plays the track span, then the work span, and X switches at the aligned point', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForWorks(page, DEMO);
  await page.getByTestId('try-demo').click();
  // The rows of the two demo works whose recordings are in the track (found whatever else is).
  const row = (title: string) => page.getByTestId('segments').locator('tbody tr').filter({ hasText: title }).first();
  await expect(row('Night Drive')).toBeVisible();
  await expect(row('Harbour Lights')).toBeVisible();

  // Night Drive, unchanged.
  const s = await spans(row('Night Drive'));
  await row('Night Drive').getByTestId('ab-open').click();
  const player = page.getByTestId('ab-player');
  await expect(player).toContainText('Listen A/B: Night Drive');
  await expect(player).toContainText('press X while the player has focus');
  await expect(page.getByTestId('ab-play')).toBeFocused();
  const [a0, b0] = [await media(page, 'ab-audio-a'), await media(page, 'ab-audio-b')];
  expect(a0.src).toMatch(/^blob:/);
  expect(b0.src).toMatch(/^blob:/);
  expect(b0.src).not.toBe(a0.src);
  expect(b0.playbackRate).toBe(1);
  await expect(page.getByTestId('ab-rate')).toHaveCount(0);

  // A plays from the segment's start in the track.
  await page.getByTestId('ab-play').click();
  await expect(page.getByTestId('ab-now')).toHaveText('Playing A: the track');
  await expect.poll(async () => (await media(page, 'ab-audio-a')).currentTime).toBeGreaterThan(s.qs + 0.3);
  let a = await media(page, 'ab-audio-a');
  expect(a.paused).toBe(false);
  expect(a.currentTime).toBeLessThan(s.qe);
  expect((await media(page, 'ab-audio-b')).paused).toBe(true);

  // Near A's end (as if the listener scrubbed there), B takes over at the work's span start.
  await page.getByTestId('ab-audio-a').evaluate((el: HTMLAudioElement, t) => { el.currentTime = t; }, s.qe - 0.6);
  await expect(page.getByTestId('ab-now')).toHaveText('Playing B: Night Drive');
  a = await media(page, 'ab-audio-a');
  expect(a.paused).toBe(true);
  expect(a.currentTime).toBeGreaterThan(s.qe - 0.15);
  let b = await media(page, 'ab-audio-b');
  expect(b.paused).toBe(false);
  expect(b.currentTime).toBeGreaterThan(s.rs - 0.1);
  expect(b.currentTime).toBeLessThan(s.rs + 1.5);
  await expect.poll(async () => (await media(page, 'ab-audio-b')).currentTime).toBeGreaterThan(s.rs + 0.5);

  // X: back to A at the same point of the music, and again to B.
  await expect(page.getByTestId('ab-play')).toBeFocused();
  b = await media(page, 'ab-audio-b');
  await page.keyboard.press('x');
  await expect(page.getByTestId('ab-now')).toHaveText('Playing A: the track');
  a = await media(page, 'ab-audio-a');
  expect(a.paused).toBe(false);
  expect((await media(page, 'ab-audio-b')).paused).toBe(true);
  expect(Math.abs(a.currentTime - (s.qs + (b.currentTime - s.rs) * s.ratio))).toBeLessThan(0.35);
  a = await media(page, 'ab-audio-a');
  await page.keyboard.press('x');
  await expect(page.getByTestId('ab-now')).toHaveText('Playing B: Night Drive');
  b = await media(page, 'ab-audio-b');
  expect(b.paused).toBe(false);
  expect((await media(page, 'ab-audio-a')).paused).toBe(true);
  expect(Math.abs(b.currentTime - (s.rs + (a.currentTime - s.qs) / s.ratio))).toBeLessThan(0.35);
  await page.getByTestId('ab-stop').click();
  await expect(page.getByTestId('ab-now')).toHaveText('Stopped at B');
  expect((await media(page, 'ab-audio-a')).paused).toBe(true);
  expect((await media(page, 'ab-audio-b')).paused).toBe(true);

  // Harbour Lights, 5 % faster in the track: B plays at 105 % and stays aligned.
  const h = await spans(row('Harbour Lights'));
  await row('Harbour Lights').getByTestId('ab-open').click();
  await expect(player).toContainText('Listen A/B: Harbour Lights');
  await expect(page.getByTestId('ab-rate')).toContainText('B plays at 105 % speed to line up with A');
  await page.getByTestId('ab-play').click();
  await expect.poll(async () => (await media(page, 'ab-audio-a')).currentTime).toBeGreaterThan(h.qs + 1);
  await page.getByTestId('ab-toggle').click();
  await expect(page.getByTestId('ab-now')).toHaveText('Playing B: Harbour Lights');
  a = await media(page, 'ab-audio-a');
  b = await media(page, 'ab-audio-b');
  expect(b.playbackRate).toBeCloseTo(1.05, 2);
  expect(Math.abs(b.currentTime - (h.rs + (a.currentTime - h.qs) / h.ratio))).toBeLessThan(0.35);
  await page.screenshot({ path: 'test-results/screens/e2e-ab-player.png', fullPage: true });
  await page.getByTestId('ab-close').click();
  await expect(player).toHaveCount(0);
  await expect(page.locator('audio[data-testid^="ab-audio"]')).toHaveCount(0);
});

test('A/B on a work stored without its audio says the audio was not kept', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  await page.getByTestId('keep-audio').uncheck();
  const song = synthMusic(4242, 24, RATE);
  await page.getByTestId('catalog-drop-input').setInputFiles({ name: 'Paper Boats.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([song], RATE)) });
  await waitForWorks(page, DEMO + 1);

  const track = concat(synthMusic(78, 6, RATE), slice(song, RATE, 4, 18));
  await page.getByTestId('nav-check').click();
  await page.getByTestId('check-drop-input').setInputFiles({ name: 'boats-track.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([track], RATE)) });
  const rows = page.getByTestId('segments').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Paper Boats');
  await rows.first().getByTestId('ab-open').click();
  await expect(page.getByTestId('ab-no-audio')).toContainText('Audio not kept: “Paper Boats” was stored without its audio');
  await expect(page.getByTestId('ab-audio-b')).toHaveCount(0);
  await expect(page.getByTestId('ab-play')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/e2e-ab-no-audio.png', fullPage: true });
});
