import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { playwright } from '@vitest/browser-playwright';
import { CHROMIUM_LAUNCH } from './playwright.config.ts';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['tests/unit/**/*.test.ts', 'tests/wasm/**/*.test.ts'],
          testTimeout: 60_000,
          // Some suites analyse their catalog in beforeAll (12 works of 40 s in the matching suite): on a busy
          // 2-core machine that passed vitest's default 10 s, so hooks get the tests' limit.
          hookTimeout: 60_000,
        },
      },
      {
        // Storage tests run against real IndexedDB in Chromium, not a fake; browser tests need the page's
        // APIs (Web Audio decoding) and Svelte's runes.
        plugins: [svelte()],
        test: {
          name: 'storage',
          include: ['tests/storage/**/*.test.ts', 'tests/browser/**/*.test.ts'],
          testTimeout: 30_000,
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: CHROMIUM_LAUNCH }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
