import { readFileSync } from 'node:fs';
import { test, expect, waitForWorks } from './fixtures';
import { encodeWav, slice, synthMusic, concat } from '../fixtures/audio';

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const RATE = 22050;

test('with “keep audio” off, a work is stored without its audio and still found', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  await page.getByTestId('keep-audio').uncheck();
  const song = synthMusic(8080, 20, RATE);
  await page.getByTestId('catalog-drop-input').setInputFiles({ name: 'no-audio.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([song], RATE)) });
  await waitForWorks(page, DEMO + 1);
  await expect(page.getByTestId('works')).toContainText('no-audio.wav · audio not kept');
  await page.reload();
  await expect(page.getByTestId('keep-audio')).not.toBeChecked();
  await page.getByTestId('nav-check').click();
  await page.getByTestId('check-drop-input').setInputFiles({ name: 'q.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([slice(song, RATE, 5, 15)], RATE)) });
  await expect(page.getByTestId('segments')).toContainText('no-audio');
});

test('a work stored with features of an older core format is analysed again from its audio', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  const song = synthMusic(6060, 20, RATE);
  const wav = Array.from(encodeWav([song], RATE));
  // Write a work as an older Tunetrace would have: format 0 features, audio kept.
  await page.evaluate(async (bytes) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['works', 'features', 'audio'], 'readwrite');
    tx.objectStore('works').put({ id: 'old-song', title: 'Old Song', durationSec: 20, addedAt: 1, sourceName: 'old-song.wav', formatVersion: 0, hashCount: 0, audioBytes: bytes.length, featureBytes: 0 });
    tx.objectStore('features').put({ id: 'old-song', formatVersion: 0, durationSec: 20, frameCount: 0, peakCount: 0, rms: 0, hashes: new Uint32Array(0), hashFrames: new Uint32Array(0) });
    tx.objectStore('audio').put({ id: 'old-song', blob: new Blob([new Uint8Array(bytes)], { type: 'audio/wav' }) });
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
  }, wav);
  await page.reload();
  await waitForWorks(page, DEMO + 1);
  // The stored record counts at once; wait until its re-analysis is done (served from the service
  // worker's cache, the app starts fast enough for a check to begin before it).
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('import-jobs')).toContainText(/old-song\.wav\s*Added/);
  await page.getByTestId('nav-check').click();
  const track = concat(synthMusic(1, 5, RATE), slice(song, RATE, 4, 16));
  await page.getByTestId('check-drop-input').setInputFiles({ name: 't.wav', mimeType: 'audio/wav', buffer: Buffer.from(encodeWav([track], RATE)) });
  await expect(page.getByTestId('segments')).toContainText('Old Song');
});
