/**
 * The editor on a phone-sized screen with touch: the palette and the inspector are bottom
 * sheets, steps are added by tapping, ports are connected by tapping one then the other, and
 * the seattle-weather aggregation gives DuckDB's numbers.
 */
import { expect, test } from '@playwright/test';
import {
  duckdb,
  edges,
  port,
  SAMPLES_DIR,
  sameValue,
  stepNode,
  previewRows,
  zoomOf,
} from './editor.helpers';
import { PHONE } from './helpers/phone';
import { phoneArranged } from './view.helpers';

test.use({
  serviceWorkers: 'block',
  ...PHONE,
});

test('an example opens readable on a phone: steps top to bottom, full width, no undo step', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  // Re-arranged top to bottom: each step sits below the one feeding it.
  await expect
    .poll(async () => {
      const ys: number[] = [];
      for (const id of ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort']) {
        ys.push((await stepNode(page, id).boundingBox())?.y ?? Number.NaN);
      }
      return ys.every((y, i) => i === 0 || y > ys[i - 1]!);
    })
    .toBe(true);
  await expect.poll(() => zoomOf(page)).toBeGreaterThanOrEqual(0.8);
  // Nothing runs off either side, and the pipeline's start is on screen.
  for (const id of ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort']) {
    const box = (await stepNode(page, id).boundingBox())!;
    expect(box.x, id).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, id).toBeLessThanOrEqual(390);
  }
  await expect(stepNode(page, 'source')).toBeInViewport();
  // Arranging for the screen is not the user's edit: nothing to undo.
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('phone-example-open.png') });

  // After a run the final step is selected and scrolled into view with its row count.
  await expect(stepNode(page, 'sort')).not.toBeInViewport();
  await page.getByRole('button', { name: 'Run', exact: true }).tap();
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });
  await expect(stepNode(page, 'sort')).toHaveClass(/selected/);
  await expect(stepNode(page, 'sort')).toBeInViewport();
});

test('seattle-weather on a phone: tap to add, tap to connect, run, DuckDB agrees', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).tap();
  await page.getByRole('button', { name: 'New pipeline' }).tap();
  // Data and steps are added from the palette sheet.
  await page.getByRole('button', { name: 'Steps palette' }).tap();
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('seattle-weather.csv');
  await expect(page.locator('.react-flow__node')).toHaveCount(2);

  // Tap to add: open the palette sheet, tap the step.
  await page.getByRole('button', { name: 'Steps palette' }).tap();
  await page.getByRole('button', { name: 'Add Aggregate' }).tap();
  await expect(stepNode(page, 'aggregate-1')).toBeVisible();

  // Touch targets: toolbar buttons are at least 44 px high.
  for (const name of ['Run', 'Undo', 'Pipelines', 'Steps palette']) {
    const box = await page.getByRole('button', { name, exact: true }).boundingBox();
    expect(box?.height, name).toBeGreaterThanOrEqual(44);
  }

  // Tap to connect: the csv step's output, then the aggregate's input.
  await port(page, 'output', 'out', 'csv-1').tap();
  await expect(page.getByText('Now tap an input port')).toBeVisible();
  await port(page, 'input', 'in', 'aggregate-1').tap();
  await expect(edges(page)).toHaveCount(2);

  // Fill the aggregate in the inspector sheet.
  await stepNode(page, 'aggregate-1').tap();
  await page.getByRole('button', { name: 'Inspector' }).tap();
  const groupBy = page.getByRole('group', { name: 'Group by' });
  await groupBy.getByRole('button', { name: /Add/ }).tap();
  await groupBy.getByRole('combobox').fill('weather');
  const aggs = page.getByRole('group', { name: 'Aggregates' });
  await aggs.getByRole('button', { name: /Add/ }).last().tap();
  await aggs.getByRole('textbox', { name: 'Output name' }).fill('days');
  await aggs.getByRole('button', { name: /Add/ }).last().tap();
  await aggs.getByRole('textbox', { name: 'Output name' }).nth(1).fill('mean_max');
  await aggs.getByRole('combobox', { name: 'Operation' }).nth(1).selectOption('mean');
  await aggs.getByRole('combobox', { name: 'Column' }).nth(1).fill('temp_max');
  await page.getByRole('button', { name: 'Close details' }).tap();
  // Let the sheet finish sliding away (0.2 s transition) before the screenshot.
  await expect(page.locator('.inspector-pane')).not.toBeInViewport();
  await page.screenshot({ path: testInfo.outputPath('phone-before-run.png') });

  await page.getByRole('button', { name: 'Run', exact: true }).tap();
  await expect(stepNode(page, 'aggregate-1')).toContainText('5 rows', { timeout: 60_000 });
  await page.screenshot({ path: testInfo.outputPath('phone-after-run.png') });

  await stepNode(page, 'aggregate-1').tap();
  await page.getByRole('button', { name: 'Inspector' }).tap();
  const got = await previewRows(page, 'aggregate-1');
  await page.screenshot({ path: testInfo.outputPath('phone-preview.png') });
  expect(got[0]).toEqual(['weather', 'days', 'mean_max']);
  const want = await duckdb(
    `select weather, count(*) as days, avg(temp_max) as mean_max
     from read_csv('${SAMPLES_DIR}/seattle-weather.csv') group by weather`,
  );
  const body = got.slice(1).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
  want.sort((a, b) => String(a.weather).localeCompare(String(b.weather)));
  expect(body).toHaveLength(want.length);
  body.forEach((row, i) => {
    const w = want[i]!;
    expect(row[0]).toBe(w.weather);
    expect(sameValue(row[1]!, w.days), `days of ${row[0]}`).toBe(true);
    expect(sameValue(row[2]!, w.mean_max), `mean_max of ${row[0]}: ${row[2]}`).toBe(true);
  });
});

test('pinch zooms the canvas', async ({ page }) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await phoneArranged(page);
  await expect(stepNode(page, 'source')).toBeInViewport();
  const viewport = page.locator('.react-flow__viewport');
  const scaleOf = () =>
    viewport.evaluate((el) => new DOMMatrixReadOnly(getComputedStyle(el).transform).a);
  const before = await scaleOf();
  const box = await page.locator('.react-flow__pane').boundingBox();
  if (!box) throw new Error('no canvas');
  // Beside the column of steps, on the empty pane, fingers moving apart vertically.
  const cx = box.x + 24;
  const cy = box.y + box.height / 2;
  // Two fingers moving apart, through the DevTools protocol (Playwright has no pinch API).
  const cdp = await page.context().newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', d: number) =>
    cdp.send('Input.dispatchTouchEvent', {
      type,
      touchPoints:
        type === 'touchEnd'
          ? []
          : [
              { x: cx, y: cy - d, id: 1 },
              { x: cx, y: cy + d, id: 2 },
            ],
    });
  await touch('touchStart', 30);
  for (let d = 40; d <= 150; d += 10) await touch('touchMove', d);
  await touch('touchEnd', 0);
  await expect.poll(scaleOf).toBeGreaterThan(before * 1.5);
});
