/**
 * First visit: the app opens on the seattle-weather example; Run gives the aggregate table
 * DuckDB computes for the same query. Screenshots before and after the run.
 */
import { expect, test } from '@playwright/test';
import {
  duckdb,
  edges,
  previewRows,
  SAMPLES_DIR,
  sameValue,
  stepNode,
  zoomOf,
} from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

test('opens fresh on the seattle-weather example; Run matches DuckDB', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    'Seattle weather: warm days by weather',
  );
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(edges(page)).toHaveCount(5);
  // The example opens readable: the view is not zoomed out below 0.8 to fit it.
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.8);
  await page.screenshot({ path: testInfo.outputPath('desktop-seattle-before-run.png') });

  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // While it runs the toolbar offers Stop; afterwards Run again.
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
  await expect(stepNode(page, 'csv')).toContainText('1,461 rows');

  // When the run ends the final step is selected, so its table shows without a click.
  await expect(stepNode(page, 'sort')).toHaveClass(/selected/);
  // Showing the step in the inspector fills in the form's defaults but is no edit.
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  // The output panel takes room from the canvas; the view follows so every step stays in sight.
  for (const id of ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort']) {
    await expect(stepNode(page, id)).toBeInViewport({ ratio: 0.95 });
  }
  const got = await previewRows(page, 'sort');
  await page.screenshot({ path: testInfo.outputPath('desktop-seattle-after-run.png') });
  expect(got[0]).toEqual(['weather', 'days', 'avg_temp_range', 'total_precipitation']);
  const want = await duckdb(
    `select weather, count(*) as days, avg(temp_max - temp_min) as avg_temp_range,
            sum(precipitation) as total_precipitation
     from read_csv('${SAMPLES_DIR}/seattle-weather.csv')
     where temp_max > 15 group by weather order by days desc`,
  );
  expect(got.slice(1)).toHaveLength(want.length);
  got.slice(1).forEach((row, i) => {
    const w = want[i]!;
    expect(row[0]).toBe(w.weather);
    expect(sameValue(row[1]!, w.days), `days of ${row[0]}`).toBe(true);
    expect(sameValue(row[2]!, w.avg_temp_range), `avg_temp_range of ${row[0]}: ${row[2]}`).toBe(
      true,
    );
    expect(
      sameValue(row[3]!, w.total_precipitation),
      `total_precipitation of ${row[0]}: ${row[3]}`,
    ).toBe(true);
  });
  // The preview header shows each column's Arrow type.
  await expect(page.getByRole('columnheader').filter({ hasText: 'days' })).toContainText('int64');
});
