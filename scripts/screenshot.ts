// Takes screenshots of the built app's screens (npx vite preview must be running on :4173).
// Usage: npx tsx scripts/screenshot.ts [outDir]
import { chromium } from 'playwright';
import { CHROMIUM_LAUNCH } from '../playwright.config.ts';

const out = process.argv[2] ?? 'test-results/screens';
const browser = await chromium.launch(CHROMIUM_LAUNCH);
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto('http://127.0.0.1:4173/');
await page.screenshot({ path: `${out}/check-empty.png`, fullPage: true });
await page.waitForFunction(() => document.querySelector('.count')?.textContent?.trim() === '5', null, { timeout: 30000 });
await page.getByTestId('try-demo').click();
await page.getByTestId('check-result').waitFor({ timeout: 30000 });
await page.waitForTimeout(800);
await page.screenshot({ path: `${out}/check-result.png`, fullPage: true });
// The melody segment's evidence: its piano roll.
await page.getByRole('button', { name: 'Notes' }).first().click();
await page.waitForTimeout(500);
await page.screenshot({ path: `${out}/check-notes.png`, fullPage: true });
await page.getByTestId('nav-catalog').click();
await page.waitForTimeout(300);
await page.screenshot({ path: `${out}/catalog.png`, fullPage: true });
await browser.close();
