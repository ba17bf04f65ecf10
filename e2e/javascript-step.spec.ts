/**
 * The JavaScript step in the editor, on the seattle-weather example: a syntax error shows with
 * its line and column before any run; a new column computed in JavaScript equals DuckDB's SQL
 * for the same; an endless loop fails its own step at its time limit, in words, while the
 * example's other branch finishes.
 */
import { expect, test, type Page } from '@playwright/test';
import {
  dragConnect,
  duckdb,
  port,
  previewRows,
  SAMPLES_DIR,
  sameValue,
  stepNode,
  waitRunEnd,
} from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

const JS = 'javascript-1';

/** Opens the example, adds a JavaScript step after its csv step and selects it. */
async function addJavaScriptStep(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Add JavaScript' }).click();
  await expect(stepNode(page, JS)).toBeVisible();
  await dragConnect(page, port(page, 'output', 'out', 'csv'), port(page, 'input', 'in', JS));
  await stepNode(page, JS).click();
  await expect(page.getByRole('textbox', { name: 'Code' })).toBeVisible();
}

test('a syntax error shows with its line and column before any run', async ({ page }) => {
  await addJavaScriptStep(page);
  await page
    .getByRole('textbox', { name: 'Code' })
    .fill('row => ({\n  ...row,\n  range: row.temp_max - ,\n})');
  await expect(page.locator('.js-error')).toHaveText(/^Line 3, column \d+: SyntaxError: /);
  await expect(page.getByRole('textbox', { name: 'Code' })).toHaveAttribute('aria-invalid', 'true');
  // Nothing ran: no step shows a row count or a failure.
  for (const id of ['csv', JS]) await expect(stepNode(page, id)).not.toContainText(/rows|✗/);
});

test('a new column computed in JavaScript equals DuckDB', async ({ page }) => {
  await addJavaScriptStep(page);
  // The csv step's columns are known before any run (its inference on the file's first 64 KB),
  // so the field already gives the output columns, inferred on a sample row.
  await expect(page.locator('.js-status')).toContainText(
    'inferred on a sample row): date: date32, precipitation: float64',
  );
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, JS)).toContainText('1,461 rows', { timeout: 60_000 });
  await stepNode(page, JS).click();
  await page
    .getByRole('textbox', { name: 'Code' })
    .fill('row => ({ weather: row.weather, range: row.temp_max - row.temp_min })');
  // Before the run, the output columns inferred on a sample row.
  await expect(page.locator('.js-status')).toContainText('weather: utf8, range: float64');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitRunEnd(page);
  await expect(stepNode(page, JS)).toContainText('1,461 rows', { timeout: 60_000 });
  await expect(page.locator('.js-status')).toContainText('weather: utf8, range: float64');
  await stepNode(page, JS).click();
  const got = await previewRows(page, JS);
  expect(got[0]).toEqual(['weather', 'range']);
  const want = await duckdb(
    `select weather, temp_max - temp_min as range from read_csv('${SAMPLES_DIR}/seattle-weather.csv')`,
  );
  const rows = got.slice(1);
  expect(rows.length).toBeGreaterThan(5);
  rows.forEach((row, i) => {
    expect(row[0]).toBe(want[i]!.weather);
    expect(sameValue(row[1]!, want[i]!.range), `range of row ${i}: ${row[1]}`).toBe(true);
  });
});

test('an endless loop times out alone while the sibling branch finishes', async ({ page }) => {
  await addJavaScriptStep(page);
  await page.getByRole('textbox', { name: 'Code' }).fill('row => {\n  for (;;) {}\n}');
  await page.getByRole('spinbutton', { name: 'Time limit (s)' }).fill('1');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, JS)).toContainText(
    'JavaScript step exceeded its time limit of 1000 ms',
    { timeout: 60_000 },
  );
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });
});
