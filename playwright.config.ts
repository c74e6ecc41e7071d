import { defineConfig } from '@playwright/test';

// Debian's chromium by default (Playwright cannot download its own browser here);
// set CHROMIUM_PATH to use another, or leave it unset where /usr/bin/chromium is missing.
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** How every test browser here is launched (Playwright e2e, vitest browser mode, the catalog bench). */
export const CHROMIUM_LAUNCH = { executablePath, args: CHROMIUM_ARGS };

// Port and build folder can be moved so two checkouts' e2e runs do not collide on one machine.
const port = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  outputDir: process.env.E2E_OUTPUT_DIR ?? 'test-results',
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    headless: true,
    launchOptions: CHROMIUM_LAUNCH,
    trace: 'retain-on-failure',
  },
  webServer: {
    // `npm test` builds first; the e2e tests run against the built app.
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: `http://127.0.0.1:${port}`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
