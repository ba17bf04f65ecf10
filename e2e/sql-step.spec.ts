/**
 * The SQL step in the editor, on the seattle-weather example: a syntax error shows with its
 * line and column as you type (parsed by DuckDB-Wasm in the page's check worker, before any
 * run); once the input's columns are known, an unknown column too, and the output columns
 * DuckDB describes; a query over the csv step's output, run by DuckDB-Wasm in the step's worker, equals
 * native DuckDB's answer on the same file.
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

const SQL = 'sql-1';
const QUERY = `SELECT weather, count(*) AS days, avg(temp_max - temp_min) AS mean_range
FROM input
GROUP BY weather
ORDER BY weather`;

/** Opens the example, adds a SQL step after its csv step and selects it. */
async function addSqlStep(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Add SQL', exact: true }).click();
  await expect(stepNode(page, SQL)).toBeVisible();
  await dragConnect(page, port(page, 'output', 'out', 'csv'), port(page, 'input', 'input', SQL));
  await stepNode(page, SQL).click();
  await expect(page.getByRole('textbox', { name: 'Query' })).toBeVisible();
}

test('a syntax error shows with its line and column before any run', async ({ page }) => {
  await addSqlStep(page);
  await page
    .getByRole('textbox', { name: 'Query' })
    .fill('SELECT weather,\n  count(*)\nFROM input GRUP BY weather');
  await expect(page.locator('.js-error')).toHaveText(
    'Line 3, column 17: Parser Error: syntax error at or near "BY"',
    { timeout: 60_000 },
  );
  await expect(page.getByRole('textbox', { name: 'Query' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expect(stepNode(page, 'csv')).not.toContainText('rows');
});

test('with the input known: an unknown column before a run, the output columns', async ({
  page,
}) => {
  await addSqlStep(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, SQL)).toContainText('1,461 rows', { timeout: 60_000 });
  await stepNode(page, SQL).click();
  const field = page.getByRole('textbox', { name: 'Query' });
  await field.fill('SELECT weather,\n  nope\nFROM input');
  await expect(page.locator('.js-error')).toHaveText(
    /^Line 2, column 3: Binder Error: Referenced column "nope" not found/,
    { timeout: 60_000 },
  );
  await field.fill(QUERY);
  await expect(page.locator('.js-status')).toHaveText(
    '✓ gives: weather: VARCHAR, days: BIGINT, mean_range: DOUBLE',
  );
});

test('a query run in the editor equals native DuckDB', async ({ page }) => {
  await addSqlStep(page);
  await page.getByRole('textbox', { name: 'Query' }).fill(QUERY);
  // Checked: only parsed while the csv step's columns are being probed, described once known.
  await expect(page.locator('.js-status')).toContainText(/valid syntax|✓ gives/, {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitRunEnd(page);
  await expect(stepNode(page, SQL)).toContainText('5 rows', { timeout: 60_000 });
  await stepNode(page, SQL).click();
  const got = await previewRows(page, SQL);
  expect(got[0]).toEqual(['weather', 'days', 'mean_range']);
  const want = await duckdb(
    QUERY.replace('FROM input', `FROM read_csv('${SAMPLES_DIR}/seattle-weather.csv')`),
  );
  const rows = got.slice(1);
  expect(rows.length).toBe(want.length);
  rows.forEach((row, i) => {
    expect(row[0]).toBe(want[i]!.weather);
    expect(Number(row[1])).toBe(Number(want[i]!.days));
    expect(sameValue(row[2]!, want[i]!.mean_range), `mean_range of row ${i}: ${row[2]}`).toBe(true);
  });
});
