/**
 * Data in and out: a TSV file picked with the file dialog becomes a source step and a csv step
 * (tab delimiter); the step's output downloads as CSV, Arrow and Parquet, checked against DuckDB
 * (the Parquet file read back by DuckDB equals DuckDB's own reading of the TSV).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import { duckdb, SAMPLES_DIR, stepNode } from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

test('a picked TSV file becomes source → csv; its output downloads as CSV, Arrow and Parquet', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await page.getByLabel('Data file').setInputFiles(path.join(SAMPLES_DIR, 'unemployment.tsv'));
  await expect(stepNode(page, 'source-1')).toContainText('unemployment.tsv');
  await expect(stepNode(page, 'csv-1')).toBeVisible();

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const [want] = await duckdb(
    `select count(*) as n from read_csv('${SAMPLES_DIR}/unemployment.tsv', delim='\t', header=true)`,
  );
  const rows = Number(want!.n);
  await expect(stepNode(page, 'csv-1')).toContainText(`${rows.toLocaleString('en-US')} rows`, {
    timeout: 60_000,
  });

  await stepNode(page, 'csv-1').click();
  await expect(page.getByRole('status').filter({ hasText: 'rows' })).toContainText(
    `${rows.toLocaleString('en-US')} rows`,
  );
  const csvDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const csvFile = await (await csvDownload).path();
  const text = readFileSync(csvFile, 'utf8');
  expect(text.split('\r\n')[0]).toBe('id,rate');
  expect(text.trimEnd().split('\r\n')).toHaveLength(rows + 1);

  const arrowDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Arrow' }).click();
  const table = tableFromIPC(readFileSync(await (await arrowDownload).path()));
  expect(table.numRows).toBe(rows);
  expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'rate']);

  const parquetDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Parquet' }).click();
  const parquet = await (await parquetDownload).path();
  const tsv = `read_csv('${SAMPLES_DIR}/unemployment.tsv', delim='\t', header=true)`;
  const [diff] = await duckdb(
    `select count(*) as n from ((select * from read_parquet('${parquet}') except all select * from ${tsv})
     union all (select * from ${tsv} except all select * from read_parquet('${parquet}')))`,
  );
  expect(Number(diff!.n)).toBe(0);
  const [back] = await duckdb(`select count(*) as n from read_parquet('${parquet}')`);
  expect(Number(back!.n)).toBe(rows);
});

test('a CSV file dropped on the canvas becomes source → csv and runs', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  const text = 'city,temp\nOslo,3\n"Rome, IT",18\nLima,\n';
  const dataTransfer = await page.evaluateHandle((csv) => {
    const dt = new DataTransfer();
    dt.items.add(new File([csv], 'cities.csv', { type: 'text/csv' }));
    return dt;
  }, text);
  await page.locator('.react-flow__pane').dispatchEvent('drop', { dataTransfer });
  await expect(stepNode(page, 'source-1')).toContainText('cities.csv');
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'csv-1')).toContainText('3 rows', { timeout: 60_000 });
  await stepNode(page, 'csv-1').click();
  await expect(page.getByRole('table', { name: 'Output of csv-1' })).toContainText('Rome, IT');
});
