/**
 * Readable at every size (issue 14, point 3) on a 1280×720 laptop: Fit View, Auto-layout and
 * opening a pipeline keep step text at 11 px or more on screen, links stay on the canvas, the
 * output panel and the minimap never hide the selected step, the offline pill covers no data.
 * Phone cases (point 4) are in view-phone.spec.ts.
 */
import { expect, test, type Page } from '@playwright/test';
import { stepNode, waitRunEnd } from './editor.helpers';
import { boxOf, edgeBoxes, inside, intersects, settled, smallestStepText } from './view.helpers';

test.use({
  serviceWorkers: 'block',
  viewport: { width: 1280, height: 720 },
  colorScheme: 'light',
});

const STEPS = ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort'];

/** Every link's path lies on the canvas (React Flow's pane). */
async function expectEdgesOnCanvas(page: Page) {
  const canvas = await boxOf(page.locator('.react-flow'));
  const boxes = await edgeBoxes(page);
  expect(boxes.length).toBeGreaterThan(0);
  for (const e of boxes) expect(inside(e.box, canvas), `${e.id} leaves the canvas`).toBe(true);
}

/** The minimap, when shown, covers no step. */
async function expectMinimapClear(page: Page) {
  const minimap = page.locator('.react-flow__minimap');
  if ((await minimap.count()) === 0) return;
  const m = await boxOf(minimap);
  for (const id of STEPS) {
    const s = await stepNode(page, id).boundingBox();
    if (s) expect(intersects(s, m), `minimap covers ${id}`).toBe(false);
  }
}

test('the example opens readable: text ≥ 11 px, links on the canvas, minimap clear', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await settled(page);
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
  await expectEdgesOnCanvas(page);
  await expectMinimapClear(page);
  await page.screenshot({ path: testInfo.outputPath('desktop-first-open.png') });

  // Zoomed far out, Fit View comes back to a readable zoom.
  for (let i = 0; i < 6; i += 1) {
    await page.getByRole('button', { name: 'Zoom Out' }).click();
  }
  expect(await smallestStepText(page)).toBeLessThan(11);
  await page.getByRole('button', { name: 'Fit View' }).click();
  await settled(page);
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
  await expectEdgesOnCanvas(page);
});

test('Auto-layout stays readable, keeps links on the canvas and the minimap off the steps', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Auto-layout' }).click();
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();
  await settled(page);
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
  await expectEdgesOnCanvas(page);
  await expectMinimapClear(page);
  // The six steps were wrapped into rows that fit: all of them are on screen.
  const canvas = await boxOf(page.locator('.react-flow'));
  for (const id of STEPS) expect(inside(await boxOf(stepNode(page, id)), canvas), id).toBe(true);
  await page.screenshot({ path: testInfo.outputPath('desktop-auto-layout.png') });
});

test('the output panel never hides the selected step, after a run or a click', async ({
  page,
}, testInfo) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await settled(page);
  // Nothing selected: the run ends by showing the final step's output.
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitRunEnd(page);
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });
  await expect(stepNode(page, 'sort')).toHaveClass(/selected/);
  await expect(page.getByRole('table', { name: 'Output of sort' })).toBeVisible();
  for (const id of ['sort', 'csv', 'derive', 'aggregate']) {
    if (id !== 'sort') await stepNode(page, id).click();
    await expect(page.getByRole('table', { name: `Output of ${id}` })).toBeVisible();
    await settled(page);
    const step = await boxOf(stepNode(page, id));
    const panel = await boxOf(page.locator('.data-pane'));
    expect(intersects(step, panel), `output panel covers ${id}`).toBe(false);
    expect(inside(step, await boxOf(page.locator('.react-flow'))), `${id} in sight`).toBe(true);
    expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
    await expectMinimapClear(page);
    if (id === 'sort')
      await page.screenshot({ path: testInfo.outputPath('desktop-after-run.png') });
  }
});

test('the offline pill covers no table data', async ({ page, context }) => {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await stepNode(page, 'csv').click();
  await page.getByRole('button', { name: 'Run to here' }).click();
  await expect(page.getByRole('table', { name: 'Output of csv' })).toBeVisible({
    timeout: 60_000,
  });
  await context.setOffline(true);
  const pill = page.getByRole('status', { name: 'Offline' });
  await expect(pill).toBeVisible();
  const p = await boxOf(pill);
  for (const region of ['.data-pane', '.inspector-pane', '.react-flow']) {
    expect(intersects(p, await boxOf(page.locator(region))), `pill over ${region}`).toBe(false);
  }
  await context.setOffline(false);
});
