import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect, waitForWorks } from './fixtures';

// A phone-width window (390 px): no screen scrolls sideways, and the result's segments are still
// read with their column names (the tables stack each row under its labels).

const manifest = JSON.parse(readFileSync(new URL('../../public/demo/manifest.json', import.meta.url), 'utf8'));
const DEMO = manifest.works.length;

/** How many px the page is wider than the window (0 when it fits). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

test.use({ viewport: { width: 390, height: 844 } });

test('at 390 px every screen fits the width and segments read with their labels', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/');
  await waitForWorks(page, DEMO);
  expect(await overflow(page), 'check: empty').toBe(0);

  await page.getByTestId('try-demo').click();
  await expect(page.getByTestId('check-result')).toBeVisible({ timeout: 60_000 });
  expect(await overflow(page), 'check: result').toBe(0);
  // The column headers are hidden at this width, so each cell names its column.
  const firstRow = page.getByTestId('segments').locator('tbody tr').first();
  const label = await firstRow.locator('td[data-label="How it was changed"]').evaluate((td) => getComputedStyle(td, '::before').content);
  expect(label).toBe('"How it was changed"');

  await page.getByRole('button', { name: 'Notes' }).first().click();
  expect(await overflow(page), 'check: notes').toBe(0);

  await page.getByTestId('nav-catalog').click();
  await expect(page.getByTestId('work-row')).toHaveCount(DEMO);
  expect(await overflow(page), 'catalog').toBe(0);
  await page.getByTestId('open-rights').first().click();
  expect(await overflow(page), 'catalog: rights editor').toBe(0);

  await page.getByTestId('nav-history').click();
  await expect(page.getByTestId('history-row')).toHaveCount(1);
  expect(await overflow(page), 'history').toBe(0);
  await page.getByTestId('history-open').click();
  expect(await overflow(page), 'history: a check re-opened').toBe(0);
});
