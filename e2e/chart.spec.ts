/**
 * The chart step in the editor, on the seattle-weather example: a chart step added after the
 * csv step, x = weather (count), run; the output panel draws one bar per weather value
 * (DuckDB finds 5), with heights proportional to DuckDB's counts, in light and dark themes,
 * on a desktop and on a phone; and offline after one visit that never drew a chart (Vega's
 * chunk comes from the service worker's precache). Screenshots go to the test's output folder.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { dragConnect, duckdb, edges, port, SAMPLES_DIR, stepNode } from './editor.helpers';
import { CHART_OFFLINE_PORT } from './helpers/env';
import { waitForServiceWorkerControl } from './helpers/pwa';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';
import { PHONE } from './helpers/phone';

const CHART = 'chart-1';

/** Bars of the drawn chart: label (weather) → height in px, read from Vega's SVG paths. */
async function barHeights(page: Page): Promise<Map<string, number>> {
  const bars = page
    .getByRole('figure', { name: 'Chart' })
    .locator('path[aria-roledescription="bar"]');
  await expect(bars.first()).toBeVisible({ timeout: 30_000 });
  const got = await bars.evaluateAll((paths) =>
    paths.map(
      (p) => [p.getAttribute('aria-label') ?? '', p.getBoundingClientRect().height] as const,
    ),
  );
  return new Map(got.map(([label, h]) => [/^[^:]*: ([^;]*)/.exec(label)?.[1] ?? label, h]));
}

/** Checks the bars against DuckDB's count of days per weather. */
async function expectBarsMatchDuckDb(page: Page): Promise<void> {
  const want = await duckdb(
    `select weather, count(*)::int as n from read_csv('${SAMPLES_DIR}/seattle-weather.csv') group by weather`,
  );
  const heights = await barHeights(page);
  expect(heights.size).toBe(want.length);
  expect(want.length).toBe(5);
  const [first] = want;
  const scale = heights.get(String(first!.weather))! / Number(first!.n);
  for (const { weather, n } of want) {
    expect(heights.get(String(weather)), String(weather)).toBeCloseTo(Number(n) * scale, 0);
  }
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

/** Adds a chart step after the csv step (x = weather), runs, and selects it. */
async function chartWeather(page: Page): Promise<void> {
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Add Chart' }).click();
  await expect(stepNode(page, CHART)).toBeVisible();
  await dragConnect(page, port(page, 'output', 'out', 'csv'), port(page, 'input', 'in', CHART));
  await stepNode(page, CHART).click();
  await page.getByRole('combobox', { name: 'X (input column)' }).fill('weather');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, CHART)).toContainText('5 rows', { timeout: 60_000 });
  await stepNode(page, CHART).click();
}

test.describe('desktop', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

  test('a bar chart of days by weather: one bar per value, heights as DuckDB counts', async ({
    page,
  }, testInfo) => {
    await page.goto('/');
    await chartWeather(page);
    await expectBarsMatchDuckDb(page);
    await expect(page.getByRole('button', { name: 'Download SVG' })).toBeEnabled();
    await shoot(page, testInfo, 'desktop-chart-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectBarsMatchDuckDb(page);
    // Vega draws the dark config's background behind the chart.
    await expect(page.locator('.chart-holder svg')).toHaveCSS(
      'background-color',
      'rgb(28, 32, 39)',
    );
    await shoot(page, testInfo, 'desktop-chart-dark');
    // "Edit spec" copies the form's chart into the spec field; the chart stays the same.
    await page.getByRole('button', { name: 'Edit spec' }).click();
    await expect(page.getByRole('textbox', { name: 'Vega-Lite spec (JSON)' })).toHaveValue(
      /"field": "value"/,
    );
    await expectBarsMatchDuckDb(page);
    const download = page.waitForEvent('download');

    await page.getByRole('button', { name: 'Download SVG' }).click();
    expect((await download).suggestedFilename()).toBe(`${CHART}.svg`);
  });
});

test.describe('phone', () => {
  test.use({
    serviceWorkers: 'block',
    ...PHONE,
  });

  test('the chart fits a phone, light and dark', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    // A step added with the csv step selected is linked from it and placed beside it.
    await stepNode(page, 'csv').tap();
    await page.getByRole('button', { name: 'Steps palette' }).tap();
    await page.getByRole('button', { name: 'Add Chart' }).tap();
    await expect(stepNode(page, CHART)).toBeVisible();
    await expect(edges(page)).toHaveCount(6);
    await stepNode(page, CHART).tap();
    await page.getByRole('button', { name: 'Inspector' }).tap();
    await page.getByRole('combobox', { name: 'X (input column)' }).fill('weather');
    await page.getByRole('button', { name: 'Close details' }).tap();
    await page.getByRole('button', { name: 'Run', exact: true }).tap();
    await expect(stepNode(page, CHART)).toContainText('5 rows', { timeout: 60_000 });
    await stepNode(page, CHART).tap();
    await page.getByRole('button', { name: 'Inspector' }).tap();
    await page.getByRole('figure', { name: 'Chart' }).scrollIntoViewIfNeeded();
    await expectBarsMatchDuckDb(page);
    const box = (await page.getByRole('figure', { name: 'Chart' }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    await shoot(page, testInfo, 'phone-chart-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectBarsMatchDuckDb(page);
    await shoot(page, testInfo, 'phone-chart-dark');
  });
});

test.describe('offline', () => {
  test.use({ viewport: { width: 1400, height: 900 } });
  let server: Preview | null = null;
  test.afterEach(async () => {
    await server?.close();
    server = null;
  });

  test('a chart draws offline after one visit that drew none', async ({ page, context }) => {
    test.setTimeout(120_000);
    server = await startPreview(MAIN_DIST, CHART_OFFLINE_PORT);
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    await server.close();
    server = null;
    await context.setOffline(true);
    await page.reload();
    await expect(page.getByRole('status', { name: 'Offline' })).toBeVisible();
    await chartWeather(page);
    await expectBarsMatchDuckDb(page);
  });
});
