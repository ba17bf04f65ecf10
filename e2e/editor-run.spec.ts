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
  // The same pipeline as examples/flights-delay-by-distance.quiver.json, built by hand.
  await emptyPipeline(page, 'flights-delay-by-distance');
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('flights-200k.arrow');
  // The source lands in the middle of the view; the other steps go above and below it.
  await expect(stepNode(page, 'source-1')).toBeVisible();
  await dragFromPalette(page, 'Filter rows', 110, 80);
  await dragFromPalette(page, 'Derive column', 300, 80);
  await dragFromPalette(page, 'Aggregate', 490, 80);
  await dragFromPalette(page, 'Sort rows', 150, 600);
  await expect(page.locator('.react-flow__node')).toHaveCount(5);

  // Each dropped step is linked from the one selected before it (the one dropped last).
  const chain = ['source-1', 'filter-1', 'derive-1', 'aggregate-1', 'sort-1'];
  await expect(edges(page)).toHaveCount(chain.length - 1);
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const label = `edge from ${chain[i]} out to ${chain[i + 1]} in`;
    await expect(page.locator(`.react-flow__edge[aria-label="${label}"]`)).toHaveCount(1);
  }

  await stepNode(page, 'filter-1').click();
  await page.getByRole('textbox', { name: 'Expression' }).fill('delay > 0');
  await stepNode(page, 'derive-1').click();
  await page.getByRole('combobox', { name: 'Column' }).fill('band');
  await page.getByRole('textbox', { name: 'Expression' }).fill('floor(distance / 250) * 250');

  await stepNode(page, 'aggregate-1').click();
  const groupBy = page.getByRole('group', { name: 'Group by' });
  await groupBy.getByRole('button', { name: /Add/ }).click();
  await groupBy.getByRole('combobox').fill('band');
  const aggs = page.getByRole('group', { name: 'Aggregates' });
  const addAggregate = async (name: string, op: string, column?: string) => {
    await aggs.getByRole('button', { name: /Add/ }).last().click();
    await aggs.getByRole('textbox', { name: 'Output name' }).last().fill(name);
    await aggs.getByRole('combobox', { name: 'Operation' }).last().selectOption(op);
    if (column) await aggs.getByRole('combobox', { name: 'Column' }).last().fill(column);
  };
  await addAggregate('flights', 'count');
  await addAggregate('avg_delay', 'mean', 'delay');
  await addAggregate('max_delay', 'max', 'delay');

  await stepNode(page, 'sort-1').click();
  // minItems 1: the form starts with one key.
  const keys = page.getByRole('group', { name: 'Sort keys' });
  await keys.getByRole('combobox', { name: 'Column' }).first().fill('band');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await page.screenshot({ path: testInfo.outputPath('desktop-before-run.png') });

  // Ctrl+Enter runs, from anywhere.
  await page.keyboard.press('Control+Enter');
  await expect(stepNode(page, 'sort-1')).toContainText('rows ·', { timeout: 60_000 });
  await expect(stepNode(page, 'source-1')).toContainText('200,000 rows');
  await expect(edges(page).filter({ hasText: '200,000 rows' })).toHaveCount(1);

  await stepNode(page, 'sort-1').click();
  const got = await previewRows(page, 'sort-1');
  await page.screenshot({ path: testInfo.outputPath('desktop-after-run.png') });
  expect(got[0]).toEqual(['band', 'flights', 'avg_delay', 'max_delay']);
  const csv = flightsAsCsv();
  const want = await duckdb(
    `select floor(distance / 250) * 250 as band, count(*) as flights,
            avg(delay) as avg_delay, max(delay) as max_delay
     from read_csv('${csv}') where delay > 0 group by band order by band`,
  );
  expect(got.slice(1)).toHaveLength(want.length);
  got.slice(1).forEach((row, i) => {
    const w = want[i]!;
    expect(sameValue(row[0]!, w.band), `band ${row[0]}`).toBe(true);
    expect(sameValue(row[1]!, w.flights), `flights in band ${row[0]}`).toBe(true);
    expect(sameValue(row[2]!, w.avg_delay), `avg delay in band ${row[0]}: ${row[2]}`).toBe(true);
    expect(sameValue(row[3]!, w.max_delay), `max delay in band ${row[0]}`).toBe(true);
  });
});

test('a failing step shows its message on its node while the other branch finishes', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page, 'failing branch');
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('flights-200k.arrow');
  await dragFromPalette(page, 'Sort rows', 150, 80);
  await dragFromPalette(page, 'Limit rows', 150, 600);
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
