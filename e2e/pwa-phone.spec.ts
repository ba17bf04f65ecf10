import { readFileSync } from 'node:fs';
import { devices, expect, test } from '@playwright/test';
import { PHONE_PORT } from './helpers/env';
import { waitForServiceWorkerControl } from './helpers/pwa';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';

// A phone: 412 × 915 CSS px, touch, mobile viewport (Chromium's Pixel 7 profile).
test.use({ ...devices['Pixel 7'] });

/** Data rows of the sample, counted here from the file (no quoted newlines in it). */
const SEATTLE_ROWS =
  readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8').trim().split('\n')
    .length - 1;
/** The limit step's default `count` (modules/limit/limit.json). */
const LIMIT_DEFAULT_COUNT = 100;

let server: Preview | null = null;
test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('on a phone, offline, a pipeline is built by taps and runs', async ({ page, context }) => {
  server = await startPreview(MAIN_DIST, PHONE_PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);
  await server.close();
  server = null;
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Offline' })).toBeVisible();

  await page.getByRole('button', { name: 'Pipelines' }).tap();
  await page.getByRole('button', { name: 'New pipeline' }).tap();
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  await expect(canvas.getByRole('group', { name: /^step / })).toHaveCount(0);

  // Data: the sample becomes a source step and a CSV reader wired to it.
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('seattle-weather.csv');
  await expect(canvas.getByRole('group', { name: /^step / })).toHaveCount(2);

  // Tap-to-add from the palette sheet, then tap-to-connect the reader to it.
  await page.getByRole('button', { name: 'Steps palette' }).tap();
  await page.getByRole('button', { name: 'Add Limit rows' }).tap();
  await expect(canvas.getByRole('group', { name: /^step / })).toHaveCount(3);
  await canvas.getByLabel(/^output out of csv-?\d*$/).tap();
  await canvas.getByLabel(/^input in of limit-?\d*$/).tap();
  await expect(
    canvas.getByRole('group', { name: /^edge from csv\S* out to limit\S* in$/ }),
  ).toHaveCount(1);

  await page.getByRole('button', { name: 'Run', exact: true }).tap();
  const limit = canvas.getByRole('group', { name: /^step limit-?\d*$/ });
  const expected = Math.min(LIMIT_DEFAULT_COUNT, SEATTLE_ROWS).toLocaleString('en-US');
  await expect(limit).toContainText(`✓ ${expected} rows`, { timeout: 60_000 });
});
