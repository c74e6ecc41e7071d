import { readFileSync } from 'node:fs';
import { test, expect, waitForWorks, seriousViolations } from './fixtures';
import { loadTestCore } from '../fixtures/core';
import { synthMusic } from '../fixtures/audio';
import { encodeCatalogFile } from '../../src/core/catalog-file';
import type { WorkRecord } from '../../src/core/types';

// A label's catalog of hundreds of works: the Catalog screen draws them a page at a time and
// finds a work by what was typed, without freezing the page.

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;
const IMPORTED = 240;

/** A .ttcat of IMPORTED works (one short fingerprint shared by all; titles and files numbered). */
async function bigCatalog(): Promise<Buffer> {
  const core = await loadTestCore();
  const fingerprint = core.analyse({ sampleRateHz: 22050, channels: [synthMusic(7, 3)] });
  const works: WorkRecord[] = Array.from({ length: IMPORTED }, (_, i) => ({
    meta: {
      id: `big-${i}`,
      title: i === 137 ? 'Café Lumière' : `Library cue ${String(i + 1).padStart(3, '0')}`,
      durationSec: fingerprint.durationSec,
      addedAt: Date.UTC(2026, 0, 1) + i * 60_000,
      sourceName: `cue-${i + 1}.wav`,
    },
    fingerprint,
  }));
  return Buffer.from(await encodeCatalogFile({ catalogId: 'big', name: 'Library', createdAt: Date.UTC(2026, 0, 1), works }, core.formatVersion));
}

test('a catalog of hundreds of works is shown a page at a time and searched by title or file', async ({ page }) => {
  test.setTimeout(120_000);
  const file = await bigCatalog();
  await page.goto('/#/catalog');
  await waitForWorks(page, DEMO);
  // The demo's few works: no search field, every work listed.
  await expect(page.getByTestId('work-search')).toHaveCount(0);
  await expect(page.getByTestId('work-row')).toHaveCount(DEMO);

  await page.getByTestId('import-catalog-input').setInputFiles({ name: 'library.ttcat', mimeType: 'application/octet-stream', buffer: file });
  await waitForWorks(page, DEMO + IMPORTED);
  const total = DEMO + IMPORTED;
  await expect(page.getByTestId('work-row')).toHaveCount(100);
  await expect(page.getByTestId('works-found')).toHaveText(`Showing 100 of ${total} works.`);
  await page.getByTestId('show-more-works').click();
  await expect(page.getByTestId('work-row')).toHaveCount(200);
  await expect(page.getByTestId('show-more-works')).toHaveText(`Show ${total - 200} more`);
  await page.getByTestId('show-more-works').click();
  await expect(page.getByTestId('work-row')).toHaveCount(total);
  await expect(page.getByTestId('show-more-works')).toHaveCount(0);

  // Accents and case do not matter; every word must match.
  const search = page.getByLabel('Find a work');
  await search.fill('cafe');
  await expect(page.getByTestId('work-row')).toHaveCount(1);
  await expect(page.getByTestId('work-row')).toContainText('Café Lumière');
  await expect(page.getByTestId('works-found')).toHaveText(`1 of ${total} works match.`);
  expect(await seriousViolations(page), 'catalog: a search').toEqual([]);
  await search.fill('cue 24');
  await expect(page.getByTestId('work-row')).toHaveCount(4); // Library cue 024, 124, 224 and 240
  await search.fill('cue-240.wav');
  await expect(page.getByTestId('work-row')).toHaveCount(1);
  await expect(page.getByTestId('work-row')).toContainText('Library cue 240');
  await search.fill('library cue');
  await expect(page.getByTestId('work-row')).toHaveCount(100); // a new search starts at the first page
  await expect(page.getByTestId('works-found')).toHaveText(`${IMPORTED - 1} of ${total} works match; showing the first 100.`);
  await search.fill('no such work');
  await expect(page.getByTestId('work-row')).toHaveCount(0);
  await expect(page.getByTestId('works-found')).toHaveText('No work matches “no such work”.');
  // A work found can be removed from the search's list.
  await search.fill('lumiere');
  await page.getByRole('button', { name: 'Remove Café Lumière' }).click();
  await waitForWorks(page, total - 1);
  await expect(page.getByTestId('works-found')).toHaveText('No work matches “lumiere”.');
  await search.fill('');
  await expect(page.getByTestId('work-row')).toHaveCount(100);
});
