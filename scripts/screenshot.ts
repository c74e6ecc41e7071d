// Takes screenshots of the built app's screens (npx vite preview must be running on :4173).
// Usage: npx tsx scripts/screenshot.ts [outDir] [viewportWidth]   (e.g. 390 for a phone)
import { chromium } from 'playwright';
import { CHROMIUM_LAUNCH } from '../playwright.config.ts';

const out = process.argv[2] ?? 'test-results/screens';
const width = Number(process.argv[3] ?? 1280);
const browser = await chromium.launch(CHROMIUM_LAUNCH);
const page = await browser.newPage({ viewport: { width, height: 900 } });
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
/** Shoots the whole page; says when it is wider than the viewport (it would scroll sideways). */
async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 0) console.log(`${name}: ${overflow} px wider than the viewport`);
}
await page.goto('http://127.0.0.1:4173/');
await shoot('check-empty');
await page.waitForFunction(() => document.querySelector('.count')?.textContent?.trim() === '5', null, { timeout: 30000 });
await page.getByTestId('try-demo').click();
await page.getByTestId('check-result').waitFor({ timeout: 30000 });
await page.waitForTimeout(800);
await shoot('check-result');
// The melody segment's evidence: its piano roll.
await page.getByRole('button', { name: 'Notes' }).first().click();
await page.waitForTimeout(500);
await shoot('check-notes');
await page.getByTestId('nav-catalog').click();
await page.waitForTimeout(300);
await shoot('catalog');
await page.getByTestId('nav-history').click();
await page.waitForTimeout(300);
await shoot('history');
await browser.close();
