/**
 * Warm runs in the built app (issue 9): a second Run re-executes only the changed step and its
 * downstream, the rest report "cached" without their modules being started (each node counts
 * its starts in `data-started`); after a reload every status and the output table are back from
 * the OPFS cache with no run; an edited step keeps its previous result, marked outdated.
 * The first run of the flights-by-origin example (a Parquet sample) also shows that the source
 * decodes only the columns its downstream steps read, yet its own preview shows every column of
 * the file, and that the result equals DuckDB's (one run of 3 million rows serves both).
 */
import { expect, test, type Page } from '@playwright/test';
import {
  dragConnect,
  duckdb,
  edges,
  port,
  previewRows,
  SAMPLES_DIR,
  sameValue,
} from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

const canvas = (page: Page) => page.getByRole('application', { name: 'Pipeline canvas' });
const node = (page: Page, id: string) =>
  canvas(page).getByRole('group', { name: `step ${id}`, exact: true });

/** Selects step `id` (retried: a click during the fit-view animation may land on the pane). */
async function select(page: Page, id: string): Promise<void> {
  await expect(async () => {
    await node(page, id).click();
    await expect(page.locator('.inspector')).toContainText(id, { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
}

/** Selects step `id` on the canvas and returns its preview rows, header first. */
async function previewOf(page: Page, id: string): Promise<string[][]> {
  const table = page.getByRole('table', { name: `Output of ${id}` });
  // Retried: a click during the canvas's fit-view animation can land on the pane.
  await expect(async () => {
    await node(page, id).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  return previewRows(page, id);
}

/**
 * Checks the flights-by-origin example after its first run: the projected Parquet source
 * previews every column, the steps before the aggregate saw only the columns read downstream,
 * and the limit's rows equal DuckDB's.
 */
async function expectParquetResult(page: Page): Promise<void> {
  const source = await previewOf(page, 'source');
  expect(source[0]).toEqual(['date', 'delay', 'distance', 'origin', 'destination']);
  expect(source.length).toBeGreaterThan(1);
  expect(source[1]?.every((cell) => cell !== '')).toBe(true);
  // The steps between the source and the aggregate saw only the columns read downstream.
  expect((await previewOf(page, 'filter'))[0]).toEqual(['delay', 'distance', 'origin']);

  const got = await previewOf(page, 'limit');
  expect(got[0]).toEqual(['origin', 'flights', 'avg_delay']);
  const want = await duckdb(
    `select origin, count(*) as flights, avg(delay) as avg_delay
     from '${SAMPLES_DIR}/flights-3m.parquet' where distance > 500
     group by origin order by flights desc, origin limit 20`,
  );
  // The table is virtualized: compare the rows it rendered (most of the 20).
  expect(want.length).toBe(20);
  expect(got.length - 1).toBeGreaterThanOrEqual(10);
  got.slice(1).forEach((cells, i) => {
    const row = want[i] ?? {};
    expect(
      [row.origin, row.flights, row.avg_delay].every((v, c) => sameValue(cells[c] ?? '', v)),
      `row ${i}: ${cells.join(', ')}`,
    ).toBe(true);
  });
}

/** The number of times step `id`'s module was started in this page. */
async function starts(page: Page, id: string): Promise<number> {
  return Number(await page.getByTestId(`step-${id}`).getAttribute('data-started'));
}

test('a projected Parquet source previews every column and matches DuckDB; a warm run re-executes only what changed; a reload shows every result with no run', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('button', { name: 'Open example Flights: busiest origins over 500 miles' })
    .click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(canvas(page).locator('.step-node.state-done')).toHaveCount(5, { timeout: 120_000 });
  const ids = ['source', 'filter', 'aggregate', 'sort', 'limit'];
  for (const id of ids) expect(await starts(page, id)).toBe(1);
  await expectParquetResult(page);
  // Showing the results started nothing.
  for (const id of ids) expect(await starts(page, id)).toBe(1);

  // Change the sort: ascending by flights.
  await select(page, 'sort');
  const descending = page.getByRole('checkbox', { name: /descending/i }).first();
  await descending.uncheck();
  // The sort's input is cached: the live preview re-runs the sort alone; the limit is outdated.
  await expect(page.locator('.canvas')).toHaveAttribute('data-runs', '2', { timeout: 60_000 });
  expect(await starts(page, 'sort')).toBe(2);
  await expect(node(page, 'limit')).toContainText('outdated');
  await expect(node(page, 'aggregate')).not.toContainText('outdated');

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.canvas')).toHaveAttribute('data-runs', '3', { timeout: 60_000 });
  for (const id of ['source', 'filter', 'aggregate', 'sort']) {
    await expect(node(page, id)).toContainText('cached');
    expect(await starts(page, id), `${id} was not started again`).toBe(id === 'sort' ? 2 : 1);
  }
  await expect(node(page, 'limit').locator('.node-status.done')).toBeVisible();
  expect(await starts(page, 'limit'), 'limit ran again').toBe(2);
  await select(page, 'limit');
  const after = await previewRows(page, 'limit');
  expect(after[0]).toEqual(['origin', 'flights', 'avg_delay']);
  // Ascending now: the first row has the fewest flights.
  expect(Number(after[1]?.[1])).toBeLessThanOrEqual(Number(after[2]?.[1]));

  // Reload: the results come back from OPFS, nothing runs.
  await page.reload();
  for (const id of ids) {
    await expect(node(page, id)).toContainText('cached', { timeout: 10_000 });
    expect(await starts(page, id)).toBe(0);
  }
  await select(page, 'limit');
  expect(await previewRows(page, 'limit')).toEqual(after);
});

test('Run skips an unconnected step with its reason and runs the other branch; Run to here runs what a step needs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('button', { name: 'Open example Seattle weather: warm days by weather type' })
    .or(page.getByRole('button', { name: /^Open example Seattle/ }))
    .first()
    .click();
  await expect(node(page, 'sort')).toBeVisible();
  // "Run to here" on the filter: the filter and what it needs run, nothing after it.
  await select(page, 'filter');
  await page.getByRole('button', { name: 'Run to here' }).click();
  await expect(node(page, 'filter').locator('.node-status.done')).toBeVisible({ timeout: 60_000 });
  for (const id of ['source', 'csv', 'filter']) expect(await starts(page, id)).toBe(1);
  for (const id of ['derive', 'aggregate', 'sort']) expect(await starts(page, id)).toBe(0);

  // An unconnected filter on the canvas does not stop the pipeline.
  await page
    .getByRole('button', { name: 'Add Filter rows' })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 600, y: 600 } });
  await expect(page.getByTestId('step-filter-1')).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(node(page, 'sort').locator('.node-status.done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('step-filter-1')).toContainText('cannot run');
  // The steps that ran for "Run to here" came from the cache.
  for (const id of ['source', 'csv', 'filter']) {
    await expect(node(page, id)).toContainText('cached');
    expect(await starts(page, id)).toBe(1);
  }
});

test('a typo in a new filter on a just-added CSV is flagged before any run', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('seattle-weather.csv');
  await expect(page.getByTestId('step-csv-1')).toBeVisible();
  await page
    .getByRole('button', { name: 'Add Filter rows' })
    .dragTo(page.locator('.react-flow__pane'), { targetPosition: { x: 700, y: 500 } });
  await expect(page.getByTestId('step-filter-1')).toBeVisible();
  await dragConnect(
    page,
    port(page, 'output', 'out', 'csv-1'),
    port(page, 'input', 'in', 'filter-1'),
  );
  await expect(edges(page)).toHaveCount(2);
  await select(page, 'filter-1');
  await page.getByRole('textbox', { name: 'Expression' }).fill('temp_mx > 15');
  await expect(
    page.getByText(/unknown column "temp_mx".*did you mean "temp_max"/).first(),
  ).toBeVisible();
  // Nothing ran: the schema came from the first 64 KB of the file.
  expect(await page.locator('.canvas').getAttribute('data-runs')).toBe('0');
  for (const id of ['source-1', 'csv-1', 'filter-1']) expect(await starts(page, id)).toBe(0);
});

test('a bypassed filter passes its input through; switched on again, the result comes from the cache', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('button', { name: /^Open example Seattle/ })
    .first()
    .click();
  await expect(node(page, 'sort')).toBeVisible();
  const run = async () => {
    const runs = Number(await page.locator('.canvas').getAttribute('data-runs'));
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.locator('.canvas')).toHaveAttribute('data-runs', String(runs + 1), {
      timeout: 60_000,
    });
  };
  /** Sum of the sort's `days` column: the rows that reached the aggregate. */
  const days = async () => {
    await select(page, 'sort');
    const rows = await previewRows(page, 'sort');
    const col = rows[0]!.indexOf('days');
    return rows.slice(1).reduce((n, r) => n + Number(r[col]), 0);
  };
  await run();
  const filtered = await days();
  expect(filtered).toBeLessThan(1461);

  await select(page, 'filter');
  await page.getByRole('checkbox', { name: 'Bypass' }).check();
  await run();
  await expect(node(page, 'filter')).toContainText('bypassed');
  expect(await days()).toBe(1461);
  expect(await starts(page, 'derive')).toBe(2);

  await select(page, 'filter');
  await page.getByRole('checkbox', { name: 'Bypass' }).uncheck();
  await run();
  for (const id of ['filter', 'derive', 'aggregate', 'sort'])
    await expect(node(page, id)).toContainText('cached');
  expect(await days()).toBe(filtered);
});

test('live preview: editing a step whose inputs are cached re-runs it alone, without Run', async ({
  page,
}) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('button', { name: /^Open example Seattle/ })
    .first()
    .click();
  await expect(node(page, 'sort')).toBeVisible();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.canvas')).toHaveAttribute('data-runs', '1', { timeout: 60_000 });
  const rowsOf = async (id: string) =>
    Number(
      /([\d,]+) rows/
        .exec(await node(page, id).locator('.node-status.done').innerText())?.[1]
        ?.replaceAll(',', ''),
    );
  const before = await rowsOf('filter');
  await select(page, 'filter');
  const label = page.getByRole('note').filter({ hasText: 'Preview of the first' });
  await expect(page.getByRole('table', { name: 'Output of filter' })).toBeVisible();
  await expect(label).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Expression' }).fill('temp_max > 25');
  await expect(page.locator('.canvas')).toHaveAttribute('data-runs', '2', { timeout: 30_000 });
  const after = await rowsOf('filter');
  expect(after).toBeGreaterThan(0);
  expect(after).toBeLessThan(before);
  // Only the filter ran; its table shows the new rows; the steps after it are outdated.
  expect(await starts(page, 'filter')).toBe(2);
  expect(await starts(page, 'derive')).toBe(1);
  await expect(page.getByRole('table', { name: 'Output of filter' })).toBeVisible();
  await expect(page.locator('.preview-summary')).toContainText(String(after));
  await expect(node(page, 'derive')).toContainText('outdated');
  // The table is labelled as a live preview, not a Run's output, until a Run.
  await expect(label).toHaveText(/^Preview of the first \d+ rows — Run to compute all$/);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(page.locator('.canvas')).toHaveAttribute('data-runs', '3', { timeout: 30_000 });
  await expect(node(page, 'filter')).toContainText('cached');
  await expect(page.getByRole('table', { name: 'Output of filter' })).toBeVisible();
  await expect(label).toHaveCount(0);
});
