import { defineConfig, devices } from '@playwright/test';
import { E2E_DIST, E2E_PORT } from './e2e/helpers/env';

/**
 * Chromium comes from Debian (Playwright cannot download browsers here). The flags keep it
 * quiet and deterministic: no sandbox (containers), no GPU, no QUIC, and no background
 * traffic that would muddy the offline tests.
 */
export const CHROMIUM_LAUNCH = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/**
 * End-to-end tests against the production build (`npm run test:e2e` builds first), because
 * the service worker and precache only exist there. Select elements by role and accessible name.
 */
/**
 * The language kits' e2e (Rust and Go examples built from source: minutes of toolchain work)
 * belongs to the kits suite: `npm run test:kits` runs it with QUIVER_E2E_KITS=1, after
 * scripts/kits.test.ts has built the examples; the default run (`npm test`) leaves it out.
 */
const KITS_SPECS = '**/kits-install.spec.ts';
const kitsRun = process.env.QUIVER_E2E_KITS === '1';

export default defineConfig({
  testDir: 'e2e',
  ...(kitsRun ? { testMatch: KITS_SPECS } : { testIgnore: KITS_SPECS }),
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  // Two cores, shared: one worker keeps timings honest; CI gets two.
  workers: process.env.CI ? 2 : 1,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : 'list',
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    trace: 'on-first-retry',
    launchOptions: CHROMIUM_LAUNCH,
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'] } }],
  webServer: {
    command: `npx vite preview --outDir ${JSON.stringify(E2E_DIST)} --port ${E2E_PORT} --strictPort --host 127.0.0.1`,
    url: `http://127.0.0.1:${E2E_PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
