/**
 * The flights-by-origin example (a Parquet sample) in the editor: the source decodes only the
 * columns its downstream steps read, yet its own preview shows every column of the file, and
 * the result equals DuckDB's.
 */
import { expect, test, type Page } from '@playwright/test';
import { duckdb, previewRows, SAMPLES_DIR, sameValue } from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/** Selects step `id` on the canvas and returns its preview rows, header first. */
async function previewOf(page: Page, id: string): Promise<string[][]> {
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  const table = page.getByRole('table', { name: `Output of ${id}` });
  // Retried: a click during the canvas's fit-view animation can land on the pane.
  await expect(async () => {
    await canvas.getByRole('group', { name: `step ${id}` }).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  return previewRows(page, id);
}

test('a projected Parquet source previews every column; the result matches DuckDB', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('button', { name: 'Open example Flights: busiest origins over 500 miles' })
    .click();
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  await expect(canvas.locator('.step-node.state-done')).toHaveCount(5, { timeout: 90_000 });

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
});
