/**
 * Running pipelines in the built app: build flights-delay-by-distance from an empty canvas and
 * check it against DuckDB; a failing step shows its message on its node while the other
 * branch finishes. Screenshots before and after a run go to the test's output directory.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { tableFromIPC } from 'apache-arrow';
import {
  dragConnect,
  dragFromPalette,
  duckdb,
  edges,
  port,
  previewRows,
  SAMPLES_DIR,
  sameValue,
  stepNode,
} from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

async function emptyPipeline(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Pipeline name' }).fill(name);
}

/** flights-200k.arrow's delay and distance as a CSV file DuckDB can read (no Arrow extension offline). */
function flightsAsCsv(): string {
  const table = tableFromIPC(readFileSync(path.join(SAMPLES_DIR, 'flights-200k.arrow')));
  const delay = table.getChild('delay');
  const distance = table.getChild('distance');
  if (!delay || !distance) throw new Error('flights-200k.arrow has no delay/distance column');
  const lines = ['delay,distance'];
  for (let i = 0; i < table.numRows; i += 1) {
    lines.push(`${delay.get(i) ?? ''},${distance.get(i) ?? ''}`);
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'quiver-e2e-')), 'flights.csv');
  writeFileSync(file, lines.join('\n'));
  return file;
}

test('flights-delay-by-distance built from an empty canvas matches DuckDB', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page, 'flights-delay-by-distance');
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('flights-200k.arrow');
  await expect(stepNode(page, 'source-1')).toBeVisible();
  await dragFromPalette(page, 'Derive column', 120, 120);
  await dragFromPalette(page, 'Aggregate', 380, 120);
  await dragFromPalette(page, 'Sort rows', 640, 120);
  await expect(page.locator('.react-flow__node')).toHaveCount(4);

  await dragConnect(
    page,
    port(page, 'output', 'out', 'source-1'),
    port(page, 'input', 'in', 'derive-1'),
  );
  await dragConnect(
    page,
    port(page, 'output', 'out', 'derive-1'),
    port(page, 'input', 'in', 'aggregate-1'),
  );
  await dragConnect(
    page,
    port(page, 'output', 'out', 'aggregate-1'),
    port(page, 'input', 'in', 'sort-1'),
  );
  await expect(edges(page)).toHaveCount(3);

  await stepNode(page, 'derive-1').click();
  await page.getByRole('combobox', { name: 'Column' }).fill('distance_band');
  await page.getByRole('textbox', { name: 'Expression' }).fill('floor(distance / 500) * 500');

  await stepNode(page, 'aggregate-1').click();
  const groupBy = page.getByRole('group', { name: 'Group by' });
  await groupBy.getByRole('button', { name: /Add/ }).click();
  await groupBy.getByRole('combobox').fill('distance_band');
  const aggs = page.getByRole('group', { name: 'Aggregates' });
  await aggs.getByRole('button', { name: /Add/ }).last().click();
  await aggs.getByRole('textbox', { name: 'Output name' }).fill('flights');
  await aggs.getByRole('button', { name: /Add/ }).last().click();
  await aggs.getByRole('textbox', { name: 'Output name' }).nth(1).fill('mean_delay');
  await aggs.getByRole('combobox', { name: 'Operation' }).nth(1).selectOption('mean');
  await aggs.getByRole('combobox', { name: 'Column' }).nth(1).fill('delay');

  await stepNode(page, 'sort-1').click();
  const keys = page.getByRole('group', { name: 'Sort keys' });
  // minItems 1: the form starts with one key.
  await keys.getByRole('combobox', { name: 'Column' }).first().fill('distance_band');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await page.screenshot({ path: testInfo.outputPath('desktop-before-run.png') });

  // Ctrl+Enter runs, from anywhere.
  await page.keyboard.press('Control+Enter');
  await expect(stepNode(page, 'sort-1')).toContainText('rows ·', { timeout: 60_000 });
  await expect(stepNode(page, 'source-1')).toContainText('200,000 rows');
  await expect(edges(page).filter({ hasText: '200,000 rows' })).toHaveCount(2);

  await stepNode(page, 'sort-1').click();
  const got = await previewRows(page, 'sort-1');
  await page.screenshot({ path: testInfo.outputPath('desktop-after-run.png') });
  expect(got[0]).toEqual(['distance_band', 'flights', 'mean_delay']);
  const csv = flightsAsCsv();
  const want = await duckdb(
    `select floor(distance / 500) * 500 as distance_band, count(*) as flights,
            avg(delay) as mean_delay
     from read_csv('${csv}') group by distance_band order by distance_band`,
  );
  expect(got.slice(1)).toHaveLength(want.length);
  got.slice(1).forEach((row, i) => {
    const w = want[i]!;
    expect(sameValue(row[0]!, w.distance_band), `band ${row[0]}`).toBe(true);
    expect(sameValue(row[1]!, w.flights), `flights in band ${row[0]}`).toBe(true);
    expect(sameValue(row[2]!, w.mean_delay), `mean delay in band ${row[0]}: ${row[2]}`).toBe(true);
  });
});

test('a failing step shows its message on its node while the other branch finishes', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page, 'failing branch');
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('flights-200k.arrow');
  await dragFromPalette(page, 'Sort rows', 500, 120);
  await dragFromPalette(page, 'Limit rows', 500, 450);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'source-1'),
    port(page, 'input', 'in', 'sort-1'),
  );
  await dragConnect(
    page,
    port(page, 'output', 'out', 'source-1'),
    port(page, 'input', 'in', 'limit-1'),
  );
  await stepNode(page, 'sort-1').click();
  const keys = page.getByRole('group', { name: 'Sort keys' });
  await keys.getByRole('combobox', { name: 'Column' }).first().fill('delay');
  // 1 MiB cannot hold 200,000 rows: the sort step must fail, alone.
  await page.getByRole('spinbutton', { name: 'Memory limit (MiB)' }).fill('1');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const failed = stepNode(page, 'sort-1').locator('.node-status.failed');
  await expect(failed).toBeVisible({ timeout: 60_000 });
  await expect(failed).toContainText(/memory|MiB/i);
  await expect(stepNode(page, 'limit-1')).toContainText('100 rows');
  await page.screenshot({ path: testInfo.outputPath('desktop-failed-step.png') });
  // The full message and log open from the node.
  await failed.click();
  await expect(page.getByRole('region', { name: 'Output' }).getByRole('alert')).toContainText(
    /memory|MiB/i,
  );
});
