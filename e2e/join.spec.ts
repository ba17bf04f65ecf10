/**
 * Two inputs in the editor: from an empty canvas, flights (routes with their flight counts,
 * flights-airport.csv) joined with airports on origin = iata, aggregated by state and sorted,
 * built with the palette, the inspector's input selects and column pickers (which offer each
 * side's columns), and checked against DuckDB. The join's input handles carry their names.
 */
import { expect, test, type Page } from '@playwright/test';
import {
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

test('flights ⋈ airports → aggregate by state, built from an empty canvas, matches DuckDB', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page, 'flights by state');
  const samples = page.getByRole('combobox', { name: 'Sample data' });
  await samples.selectOption('flights-airport.csv');
  await expect(stepNode(page, 'csv-1')).toBeVisible();
  await samples.selectOption('airports.csv');
  await expect(stepNode(page, 'csv-2')).toBeVisible();
  await dragFromPalette(page, 'Join', 100, 650);
  await dragFromPalette(page, 'Aggregate', 350, 650);
  await dragFromPalette(page, 'Sort rows', 600, 650);
  await expect(page.locator('.react-flow__node')).toHaveCount(7);
  // The join's two input handles are labelled with their port names.
  await expect(stepNode(page, 'join-1').locator('.port-label.in')).toHaveText(['left', 'right']);
  await expect(port(page, 'input', 'right', 'join-1')).toBeVisible();

  // Wire the steps through the inspector's Inputs section (one select per input port).
  const wire = async (stepId: string, inPort: string, from: string) => {
    await stepNode(page, stepId).click();
    await page.getByRole('combobox', { name: `Input ${inPort} from` }).selectOption(from);
  };
  await wire('join-1', 'left', 'csv-1.out');
  await wire('join-1', 'right', 'csv-2.out');
  await wire('aggregate-1', 'in', 'join-1.out');
  await wire('sort-1', 'in', 'aggregate-1.out');
  await expect(edges(page)).toHaveCount(6);

  await stepNode(page, 'join-1').click();
  const keys = page.getByRole('group', { name: 'Key pairs' });
  // minItems 1: the form starts with one key pair.
  const left = keys.getByRole('combobox', { name: 'Left input column' });
  const right = keys.getByRole('combobox', { name: 'Right input column' });
  await left.fill('origin');
  await right.fill('iata');
  await stepNode(page, 'aggregate-1').click();
  const groupBy = page.getByRole('group', { name: 'Group by' });
  await groupBy.getByRole('button', { name: /Add/ }).click();
  await groupBy.getByRole('combobox').fill('state');
  const aggs = page.getByRole('group', { name: 'Aggregates' });
  const addAggregate = async (name: string, op: string, column?: string) => {
    await aggs.getByRole('button', { name: /Add/ }).last().click();
    await aggs.getByRole('textbox', { name: 'Output name' }).last().fill(name);
    await aggs.getByRole('combobox', { name: 'Operation' }).last().selectOption(op);
    if (column) await aggs.getByRole('combobox', { name: 'Column' }).last().fill(column);
  };
  await addAggregate('routes', 'count');
  await addAggregate('flights', 'sum', 'count');
  await stepNode(page, 'sort-1').click();
  const sortKeys = page.getByRole('group', { name: 'Sort keys' });
  await sortKeys.getByRole('combobox', { name: 'Column' }).first().fill('state');
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await page.screenshot({ path: testInfo.outputPath('join-before-run.png') });

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'sort-1')).toContainText('rows ·', { timeout: 60_000 });
  await stepNode(page, 'sort-1').click();
  const got = await previewRows(page, 'sort-1');
  await page.screenshot({ path: testInfo.outputPath('join-after-run.png') });
  expect(got[0]).toEqual(['state', 'routes', 'flights']);
  const want = await duckdb(
    `select a.state, count(*) as routes, sum(f.count) as flights
     from read_csv('${SAMPLES_DIR}/flights-airport.csv') f
     join read_csv('${SAMPLES_DIR}/airports.csv') a on f.origin = a.iata
     group by a.state order by a.state`,
  );
  await expect(stepNode(page, 'sort-1')).toContainText(`${want.length} rows`);
  // The table is virtualized: every rendered row must be DuckDB's row at that position.
  expect(got.length).toBeGreaterThan(10);
  got.slice(1).forEach((row, i) => {
    const w = want[i]!;
    expect(row[0]).toBe(w.state ?? '∅');
    expect(sameValue(row[1]!, w.routes), `routes of ${row[0]}`).toBe(true);
    expect(sameValue(row[2]!, w.flights), `flights of ${row[0]}: ${row[2]}`).toBe(true);
  });

  // Once the run has read both CSV files, each key picker suggests its own side's columns.
  await stepNode(page, 'join-1').click();
  const options = async (field: typeof left) =>
    page
      .locator(`[id="${await field.getAttribute('list')}"] option`)
      .evaluateAll((els) => els.map((e) => e.getAttribute('value')));
  await expect.poll(() => options(left)).toEqual(['origin', 'destination', 'count']);
  await expect.poll(() => options(right)).toContain('state');
});
