import { readFileSync } from 'node:fs';
import type { Locator } from '@playwright/test';
import { test, expect, waitForWorks, seriousViolations } from './fixtures';
import { composeTune, type Style } from '../../scripts/tunes/compose.ts';
import { renderMidi } from '../../scripts/tunes/render.ts';
import { Midi, songMidi } from '../fixtures/midi.ts';

// Works from MIDI: a songwriter's score (all its tracks, as a DAW exports it) is added as a
// melody-only work, and found in a track where the melody is re-played on another instrument.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
// The demo track re-plays one demo work's melody (melody evidence); its score comes from the same
// seeded composer that made the demo (scripts/make-demo.ts), so the MIDI holds that work's notes.
const melodyTruth = manifest.track.truth.find((t: { evidence?: string }) => t.evidence === 'melody');
const melodyWork = manifest.works.find((w: { id: string }) => w.id === melodyTruth.workId);
const song = composeTune(melodyWork.generator.seed, melodyWork.generator.style as Style, { targetSec: 30 });
const score = renderMidi(song);
const SCORE_TITLE = `${melodyWork.title} (score)`;

/** m:ss.s → seconds */
const seconds = (text: string) => {
  const [m, s] = text.trim().split(':');
  return Number(m) * 60 + Number(s);
};

async function trackSpan(row: Locator): Promise<[number, number]> {
  const cells = await row.locator('td').allInnerTexts();
  const [start, end] = cells[1].split('–').map(seconds);
  return [start, end];
}

/** A MIDI file with one track: the first `noteCount` notes of a seeded tune. */
const oneTrackMidi = (noteCount: number) => Buffer.from(songMidi(7, 30, { melodyOnly: true, melodyLimit: noteCount }));

test('a score from MIDI: choose its melody track, stored as a melody, found in the demo track with its notes lining up', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  // Take the work's own recording out, so only its score can find the melody.
  await page.getByRole('button', { name: `Remove ${melodyWork.title}` }).click();
  await waitForWorks(page, DEMO - 1);

  await page.getByTestId('catalog-drop-input').setInputFiles({ name: `${SCORE_TITLE}.mid`, mimeType: 'audio/midi', buffer: Buffer.from(score) });
  const picker = page.getByTestId('midi-track-picker');
  await expect(picker).toBeVisible();
  await expect(picker).toContainText('has 3 tracks with notes. Which one holds the melody?');
  await expect(picker).toContainText('One drum track is left out');
  const select = page.getByTestId('midi-track-select');
  const options = await select.locator('option').allInnerTexts();
  expect(options).toHaveLength(3);
  expect(options.some((o) => /drums/.test(o))).toBe(false);
  // The default is the melody track, preselected.
  expect(await select.locator('option:checked').innerText()).toMatch(/^1 · melody · .* · \d+ notes \(suggested\)$/);
  await expect(page.getByTestId('catalog-summary')).toContainText(`${DEMO - 1} works`);
  expect(await seriousViolations(page, '[data-testid="midi-track-picker"]')).toEqual([]);
  await picker.screenshot({ path: '/tmp/tt-midi-picker.png' });
  // The bass line lies below the melody tracker's range (E3): choosing it warns and says what to do.
  await expect(page.getByTestId('midi-low-warning')).toHaveCount(0);
  await select.selectOption({ index: 2 });
  await expect(page.getByTestId('midi-low-warning')).toContainText(/Most notes of track 3's melody \(\d+ %\) are below E3 \(MIDI 52\)/);
  await expect(page.getByTestId('midi-low-warning')).toContainText('transpose the melody up an octave');
  expect(await seriousViolations(page, '[data-testid="midi-track-picker"]')).toEqual([]);
  await picker.screenshot({ path: '/tmp/tt-midi-picker-low.png' });
  await select.selectOption({ index: 0 });
  await expect(page.getByTestId('midi-low-warning')).toHaveCount(0);
  await page.screenshot({ path: '/tmp/tt-midi-picker-page.png', fullPage: true });
  await page.getByTestId('midi-track-add').click();

  await waitForWorks(page, DEMO);
  const row = page.getByTestId('work-row').filter({ hasText: SCORE_TITLE });
  await expect(row).toContainText(`${SCORE_TITLE}.mid · melody from MIDI`);
  await page.getByTestId('works').screenshot({ path: '/tmp/tt-midi-catalog.png' });

  await page.getByTestId('nav-check').click();
  await page.getByTestId('try-demo').click();
  const segment = page.getByTestId('segments').locator('tbody tr').filter({ hasText: SCORE_TITLE });
  await expect(segment).toHaveCount(1);
  await expect(segment).toContainText('your melody');
  const [start, end] = await trackSpan(segment);
  expect(start).toBeGreaterThan(melodyTruth.queryStartSec - 2);
  expect(start).toBeLessThan(melodyTruth.queryStartSec + 2);
  expect(end).toBeGreaterThan(melodyTruth.queryEndSec - 3);
  expect(end).toBeLessThan(melodyTruth.queryEndSec + 2);
  // Recording evidence has no Notes button; melody evidence does.
  await expect(page.getByTestId('segments').locator('tbody tr').filter({ hasText: 'Night Drive' }).getByTestId('notes-open')).toHaveCount(0);

  // There is no recording of a MIDI work to listen to.
  await segment.getByTestId('ab-open').click();
  await expect(page.getByTestId('ab-no-audio')).toContainText('There is no recording to play');
  await page.getByTestId('ab-close').click();

  // The piano roll: the score's notes moved onto the track line up with the notes heard there.
  await segment.getByTestId('notes-open').click();
  await page.screenshot({ path: '/tmp/tt-check-midi.png', fullPage: true });
  const evidence = page.getByTestId('melody-evidence');
  await expect(evidence).toContainText(`Notes: ${SCORE_TITLE} in the track`);
  const summary = await page.getByTestId('roll-summary').innerText();
  const [, linedUp, total] = summary.match(/^(\d+) of (\d+) notes of “.+” line up with the track's notes/) ?? [];
  expect(Number(total)).toBeGreaterThanOrEqual(10);
  expect(Number(linedUp) / Number(total)).toBeGreaterThan(0.6);
  await expect(page.getByTestId('roll-work-note')).not.toHaveCount(0);
  await expect(page.getByTestId('roll-track-note')).not.toHaveCount(0);
  // The summary is also the picture's text alternative.
  await expect(evidence.getByRole('img')).toHaveAttribute('aria-label', summary);
  expect(await seriousViolations(page, '[data-testid="melody-evidence"]')).toEqual([]);
  await evidence.scrollIntoViewIfNeeded();
  await evidence.screenshot({ path: '/tmp/tt-piano-roll.png' });

  // The work survives a reload as a melody work.
  await page.reload();
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('work-row').filter({ hasText: SCORE_TITLE })).toContainText('melody from MIDI');
});

test('a MIDI file with one track is added at once; too few notes, no notes or not MIDI get a clear message', async ({ page }) => {
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  const drop = page.getByTestId('catalog-drop-input');
  await drop.setInputFiles({ name: 'Whistle tune.mid', mimeType: 'audio/midi', buffer: oneTrackMidi(24) });
  await waitForWorks(page, DEMO + 1);
  await expect(page.getByTestId('midi-track-picker')).toHaveCount(0);
  await expect(page.getByTestId('work-row').filter({ hasText: 'Whistle tune' })).toContainText('melody from MIDI');

  await drop.setInputFiles([
    { name: 'Sketch.mid', mimeType: 'audio/midi', buffer: oneTrackMidi(5) },
    { name: 'Empty.mid', mimeType: 'audio/midi', buffer: Buffer.from(new Midi().toArray()) },
    { name: 'Fake.mid', mimeType: 'audio/midi', buffer: Buffer.from('not a midi file, only text'.repeat(10)) },
  ]);
  const jobs = page.getByTestId('import-jobs');
  await expect(jobs).toContainText('“Sketch.mid” has only 5 notes in its melody line; Tunetrace needs at least 12');
  await expect(jobs).toContainText('“Empty.mid” has no notes');
  await expect(jobs).toContainText('“Fake.mid” could not be read as a MIDI file');
  await expect(page.getByTestId('catalog-summary')).toContainText(`${DEMO + 1} works`);
});

test('the notes view of a work stored before notes were kept says so', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  // Strip the stored notes of the melody work, as a Tunetrace before this one stored it.
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction('features', 'readwrite');
    const store = tx.objectStore('features');
    const record = await new Promise<Record<string, unknown>>((resolve) => { const r = store.get(id); r.onsuccess = () => resolve(r.result); });
    if (!record.notes) throw new Error('the work was stored without notes');
    delete record.notes;
    store.put(record);
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
  }, melodyWork.id);
  await page.getByTestId('try-demo').click();
  const segment = page.getByTestId('segments').locator('tbody tr').filter({ hasText: melodyWork.title });
  await expect(segment).toContainText('your melody');
  await segment.getByTestId('notes-open').click();
  await expect(page.getByTestId('notes-not-stored')).toContainText(`The notes of “${melodyWork.title}” are not stored`);
  await expect(page.getByTestId('piano-roll')).toHaveCount(0);
});

test('a MIDI work stored with features of an older core format is made again from its .mid, with the same track', async ({ page }) => {
  await page.goto('/');
  await waitForWorks(page, DEMO);
  // As an older Tunetrace would have stored it: format 0 features, the .mid kept, track 3 chosen.
  await page.evaluate(async (bytes) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const tx = db.transaction(['works', 'features', 'audio'], 'readwrite');
    tx.objectStore('works').put({
      id: 'old-score', title: 'Old Score', durationSec: 30, addedAt: 1, sourceName: 'old-score.mid', sourceKind: 'midi', midiTrack: 3,
      formatVersion: 0, hashCount: 0, audioBytes: bytes.length, featureBytes: 0,
    });
    tx.objectStore('features').put({ id: 'old-score', formatVersion: 0, durationSec: 30, frameCount: 0, peakCount: 0, rms: 0, hashes: new Uint32Array(0), hashFrames: new Uint32Array(0) });
    tx.objectStore('audio').put({ id: 'old-score', blob: new Blob([new Uint8Array(bytes)], { type: 'audio/midi' }) });
    await new Promise((resolve, reject) => { tx.oncomplete = resolve; tx.onerror = () => reject(tx.error); });
    db.close();
  }, Array.from(score));
  await page.reload();
  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('import-jobs')).toContainText(/old-score\.mid\s*Added/);
  await expect(page.getByTestId('midi-track-picker')).toHaveCount(0);
  const stored = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open('tunetrace');
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    const get = (store: string) => new Promise<Record<string, unknown>>((resolve) => {
      const r = db.transaction(store).objectStore(store).get('old-score');
      r.onsuccess = () => resolve(r.result);
    });
    const [work, features] = [await get('works'), await get('features')];
    db.close();
    return { work, melodyHashes: (features.counts as { melody: number }).melody, notes: (features.notes as { midi: Float32Array }).midi.length };
  });
  expect(stored.work).toMatchObject({ title: 'Old Score', sourceKind: 'midi', midiTrack: 3 });
  expect(stored.work.formatVersion).not.toBe(0);
  expect(stored.melodyHashes).toBeGreaterThan(0);
  // Track 3 of the score is its bass line: its notes, not the melody's.
  const bass = song.notes.filter((n) => n.part === 'bass');
  const tune = song.notes.filter((n) => n.part === 'melody');
  expect(bass.length).not.toBe(tune.length);
  expect(stored.notes).toBe(bass.length);
});
