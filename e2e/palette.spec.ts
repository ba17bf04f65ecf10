/**
 * The palette stays findable: searching by other tools' words finds the step they mean, and
 * steps found that way (window, pivot) join the seattle-weather example, run and show rows.
 */
import { expect, test } from '@playwright/test';
import {
  dragConnect,
  dragFromPalette,
  duckdb,
  port,
  previewRows,
  SAMPLES_DIR,
  sameValue,
  stepNode,
} from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

test('search by synonyms: "dedupe" shows distinct, "group by" shows aggregate', async ({
  page,
}) => {
  await page.goto('/');
  const palette = page.getByRole('navigation', { name: 'Steps' });
  const search = palette.getByRole('searchbox', { name: 'Search steps' });
  await search.fill('dedupe');
  await expect(palette.getByRole('button', { name: 'Add Distinct rows' })).toBeVisible();
  await expect(palette.getByRole('button', { name: 'Add Sort rows' })).toHaveCount(0);
  await expect(palette.getByRole('region', { name: 'Rows' })).toBeVisible();
  await search.fill('group by');
  await expect(palette.getByRole('button', { name: 'Add Aggregate' })).toBeVisible();
  await expect(palette.getByRole('button', { name: 'Add Distinct rows' })).toHaveCount(0);
  // Each item carries a one-line summary and, on hover, an example.
  await expect(palette.getByRole('button', { name: 'Add Aggregate' })).toContainText(
    'Group rows and compute',
  );
  await expect(palette.getByRole('button', { name: 'Add Aggregate' })).toHaveAttribute(
    'title',
    /Example: /,
  );
});

test('a window step added to the seattle-weather example runs and shows rows', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('searchbox', { name: 'Search steps' }).fill('running total');
  await dragFromPalette(page, 'Window functions', 700, 700);
  await expect(stepNode(page, 'window-1')).toBeVisible();
  await dragConnect(
    page,
    port(page, 'output', 'out', 'sort'),
    port(page, 'input', 'in', 'window-1'),
  );

  await stepNode(page, 'window-1').click();
  // minItems 1: the form starts with one window column.
  const columns = page.getByRole('group', { name: 'Window columns' });
  await columns.getByRole('textbox', { name: 'Name' }).fill('cumulative_days');
  await columns.getByRole('combobox', { name: 'Function' }).selectOption('running_sum');
  await columns.getByRole('combobox', { name: 'Column' }).fill('days');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'window-1')).toContainText('rows ·', { timeout: 60_000 });
  await stepNode(page, 'window-1').click();
  const rows = await previewRows(page, 'window-1');
  expect(rows[0]).toEqual([
    'weather',
    'days',
    'avg_temp_range',
    'total_precipitation',
    'cumulative_days',
  ]);
  expect(rows.length).toBeGreaterThan(2);
  // A running sum in input order (the sort's order): each row adds its days to the last total.
  let total = 0;
  for (const row of rows.slice(1)) {
    total += Number(row[1]!.replace(/,/g, ''));
    expect(sameValue(row[4]!, total), `cumulative_days ${row[4]} after ${row[0]}`).toBe(true);
  }
});

test('a pivot step fills its pivot values from the input preview, runs, and matches DuckDB', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });

  await page.getByRole('searchbox', { name: 'Search steps' }).fill('crosstab');
  // After a run the output panel fills the bottom of the window: drop above it.
  await dragFromPalette(page, 'Pivot (long to wide)', 600, 120);
  await dragConnect(page, port(page, 'output', 'out', 'csv'), port(page, 'input', 'in', 'pivot-1'));
  await stepNode(page, 'pivot-1').click();
  await page.getByRole('combobox', { name: 'Pivot column' }).fill('weather');
  await page.getByRole('combobox', { name: 'Aggregate' }).selectOption('count');
  await page.getByRole('button', { name: 'Fill pivot values from the input preview' }).click();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'pivot-1')).toContainText('1 row', { timeout: 60_000 });
  await stepNode(page, 'pivot-1').click();
  const [header, row] = await previewRows(page, 'pivot-1');
  expect(header!.length).toBeGreaterThan(1);
  const want = await duckdb(
    `select weather, count(*) as n from read_csv('${SAMPLES_DIR}/seattle-weather.csv') group by weather`,
  );
  header!.forEach((weather, i) => {
    const n = want.find((w) => w.weather === weather)?.n;
    expect(sameValue(row![i]!.replace(/,/g, ''), n), `count of ${weather}: ${row![i]}`).toBe(true);
  });
});
