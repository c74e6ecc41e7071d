import { test as base, expect, type Page } from '@playwright/test';

/**
 * Every e2e test records every request the page (and its workers) makes and
 * fails if any goes to another origin than the app's own: nothing is uploaded,
 * no CDN, no analytics.
 */
export const test = base.extend<{ foreignRequests: string[] }>({
  foreignRequests: [
    async ({ context, baseURL }, use) => {
      const origin = new URL(baseURL!).origin;
      const foreign: string[] = [];
      context.on('request', (req) => {
        const url = req.url();
        if (url.startsWith('data:') || url.startsWith('blob:')) return;
        if (new URL(url).origin !== origin) foreign.push(url);
      });
      await use(foreign);
      expect(foreign, 'requests to other origins').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Waits until the catalog holds `count` works (the header badge). */
export async function waitForWorks(page: Page, count: number): Promise<void> {
  await expect(page.getByTestId('nav-catalog').locator('.count')).toHaveText(String(count), { timeout: 30_000 });
}
