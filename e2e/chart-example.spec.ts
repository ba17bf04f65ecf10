/**
 * The gallery's SQL-and-chart example (examples/flights-delay-by-state.quiver.json): flights-3m
 * joined with the airports in a SQL step, mean delay by state, then a bar chart. Opened from the
 * gallery: before any run the SQL step's output columns are known (a misspelt chart column is
 * an error naming the right one); run, the output panel draws one bar per state DuckDB finds,
 * and the chart step's node shows a thumbnail in a box that kept its size. Screenshots (desktop
 * light, phone dark) go to the test's output folder.
 */
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { duckdb, SAMPLES_DIR, stepNode } from './editor.helpers';
import { PHONE } from './helpers/phone';

const NAME = 'Flights: mean delay by state (SQL and a chart)';
const STEPS = 5;

/** Number of states with flights, as native DuckDB joins them ("NA" is a null state). */
async function duckStates(): Promise<number> {
  const [row] = await duckdb(
    `select count(distinct a.state)::int as n
     from read_parquet('${SAMPLES_DIR}/flights-3m.parquet') f
     join read_csv('${SAMPLES_DIR}/airports.csv', nullstr = ['', 'NA', 'NULL', 'null']) a
       on f.origin = a.iata
     where a.state is not null`,
  );
  return Number(row!.n);
}

async function openExample(page: Page, tap: boolean): Promise<void> {
  await page.goto('/');
  const press = async (name: string) => {
    const button = page.getByRole('button', { name });
    await (tap ? button.tap() : button.click());
  };
  await press('Pipelines');
  await press(`Open example ${NAME}`);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(/^Flights: mean/);
  await expect(page.locator('.react-flow__node')).toHaveCount(STEPS);
}

/** Runs the pipeline and waits until every step is done. */
async function runAll(page: Page, tap: boolean): Promise<void> {
  const run = page.getByRole('button', { name: 'Run', exact: true });
  await (tap ? run.tap() : run.click());
  await expect(page.locator('.step-node.state-done')).toHaveCount(STEPS, { timeout: 240_000 });
}

async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

test.describe('desktop', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });

  test('opened from the gallery: SQL columns known before Run, then a bar per state and a thumbnail', async ({
    page,
  }, testInfo) => {
    test.setTimeout(360_000);
    await openExample(page, false);
    // Before any run: the SQL step's columns come from DuckDB, so a misspelt x is an error.
    const x = page.getByRole('combobox', { name: 'X (input column)' });
    // Retried: a click during the canvas's fit-view animation can land on the pane (a missed
    // click cost the test its whole timeout, then a retry).
    await expect(async () => {
      await stepNode(page, 'chart').click();
      await expect(x).toBeVisible({ timeout: 2_000 });
    }).toPass({ timeout: 30_000 });
    await x.fill('stat');
    // The node carries a badge; its accessible name holds the message.
    const badge = stepNode(page, 'chart').locator('.step-badge');
    await expect(badge).toHaveAttribute('aria-label', /did you mean "state"/, {
      timeout: 120_000,
    });
    await x.fill('state');
    await expect(badge).toHaveCount(0);
    const thumb = page.getByTestId('chart-thumb-chart');
    await expect(thumb).toContainText('chart after a run');
    const offset = async () => {
      const node = (await stepNode(page, 'chart').boundingBox())!;
      const box = (await thumb.boundingBox())!;
      return { top: box.y - node.y, width: box.width, height: box.height };
    };
    const before = await offset();

    await runAll(page, false);
    await stepNode(page, 'chart').click();
    const bars = page
      .getByRole('figure', { name: 'Chart' })
      .locator('path[aria-roledescription="bar"]');
    await expect(bars.first()).toBeVisible({ timeout: 30_000 });
    expect(await bars.count()).toBe(await duckStates());
    await expect(thumb.locator('img')).toBeVisible({ timeout: 30_000 });
    // The thumbnail filled a box the node already had: same size and place in the node.
    const after = await offset();
    for (const key of ['top', 'width', 'height'] as const) {
      expect(after[key], key).toBeCloseTo(before[key], 0);
    }
    await shoot(page, testInfo, 'example-desktop-light');
    await thumb.screenshot({ path: testInfo.outputPath('thumb-light.png') });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('.chart-holder svg')).toHaveCSS(
      'background-color',
      'rgb(28, 32, 39)',
    );
    await thumb.screenshot({ path: testInfo.outputPath('thumb-dark.png') });
  });
});

test.describe('phone', () => {
  test.use({
    serviceWorkers: 'block',
    ...PHONE,
    colorScheme: 'dark',
  });

  test('the example runs on a phone in the dark theme, chart and thumbnail drawn', async ({
    page,
  }, testInfo) => {
    test.setTimeout(360_000);
    await openExample(page, true);
    await runAll(page, true);
    await expect(page.getByTestId('chart-thumb-chart').locator('img')).toBeVisible({
      timeout: 30_000,
    });
    await shoot(page, testInfo, 'example-phone-dark-canvas');
    await stepNode(page, 'chart').tap();
    await page.getByRole('button', { name: 'Inspector' }).tap();
    const figure = page.getByRole('figure', { name: 'Chart' });
    await figure.scrollIntoViewIfNeeded();
    await expect(figure.locator('path[aria-roledescription="bar"]').first()).toBeVisible({
      timeout: 30_000,
    });
    await shoot(page, testInfo, 'example-phone-dark-chart');
  });
});
