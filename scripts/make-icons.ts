// Renders the app icons (PNG) for the web app manifest from the same mark as public/favicon.svg,
// with the project's own Chromium, so no image tool is needed. Run once; the PNGs are committed.
// Usage: npx tsx scripts/make-icons.ts
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS } from '../playwright.config.ts';

const svg = readFileSync(new URL('../public/favicon.svg', import.meta.url), 'utf8');
const INK = '#14213d';

// `any` icons are the favicon edge to edge; the maskable one keeps the mark inside the
// central 80 % safe zone on a full-bleed background, as launchers crop it to a circle or squircle.
const icons = [
  { file: 'icon-192.png', sizePx: 192, maskable: false },
  { file: 'icon-512.png', sizePx: 512, maskable: false },
  { file: 'icon-maskable-512.png', sizePx: 512, maskable: true },
];

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
for (const { file, sizePx, maskable } of icons) {
  const page = await browser.newPage({ viewport: { width: sizePx, height: sizePx } });
  const markPx = maskable ? Math.round(sizePx * 0.8) : sizePx;
  await page.setContent(
    `<html><body style="margin:0;display:grid;place-items:center;width:${sizePx}px;height:${sizePx}px;background:${maskable ? INK : 'transparent'}">` +
      `<div style="width:${markPx}px;height:${markPx}px">${svg.replace('<svg ', `<svg width="${markPx}" height="${markPx}" `)}</div></body></html>`,
  );
  await page.screenshot({ path: `public/icons/${file}`, omitBackground: !maskable });
  await page.close();
  console.log(`public/icons/${file}`);
}
await browser.close();
