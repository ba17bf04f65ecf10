/**
 * The phone flow (issue 14, point 4) and readable views on a 390×844 touch screen, dark:
 * links run downward between top and bottom handles, tapping a step opens it with its data
 * first and above the sheet, a Run shows the final output, every touch target is ≥ 44 px.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { port, stepNode, waitRunEnd } from './editor.helpers';
import {
  boxOf,
  edgeBoxes,
  intersects,
  phoneArranged,
  settled,
  smallestStepText,
  touchTargets,
} from './view.helpers';
import { PHONE } from './helpers/phone';

test.use({
  serviceWorkers: 'block',
  ...PHONE,
  colorScheme: 'dark',
});

const STEPS = ['source', 'csv', 'filter', 'derive', 'aggregate', 'sort'];

/** Open the example and wait until it has been arranged top to bottom for the phone. */
async function openArranged(page: Page) {
  await page.goto('/');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await phoneArranged(page);
  await settled(page);
}

/**
 * Every touch target on screen is at least 44 × 44 px; `where` names the screen. With
 * `scrolling`, the sheet is scrolled through, a screenful at a time, and each screen checked.
 */
async function expectTouchTargets(page: Page, where: string, scrolling?: Locator) {
  for (let screen = 0; ; screen += 1) {
    // Rounded: a sheet in mid-transform reports 43.99997 px for 44.
    const small = (await touchTargets(page)).filter(
      (t) => Math.round(t.width) < 44 || Math.round(t.height) < 44,
    );
    expect(small, `touch targets under 44 px on ${where}, screen ${screen}`).toEqual([]);
    if (!scrolling) return;
    const moved = await scrolling.evaluate((el) => {
      const before = el.scrollTop;
      el.scrollTop += el.clientHeight * 0.8;
      return el.scrollTop > before;
    });
    if (!moved) {
      await scrolling.evaluate((el) => (el.scrollTop = 0));
      return;
    }
  }
}

test('links run downward from bottom outputs to top inputs, text readable', async ({ page }) => {
  await openArranged(page);
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
  // Node and ports are measured one after the other; polled, so a view still settling (the
  // late phone re-fit) cannot pair a port's box with its node's box from another frame.
  for (const id of ['csv', 'filter']) {
    const offsets = async () => {
      const node = await boxOf(stepNode(page, id));
      const input = await boxOf(port(page, 'input', 'in', id).or(port(page, 'input', 'csv', id)));
      const output = await boxOf(port(page, 'output', 'out', id));
      // Within 2 px: a border's width.
      return {
        inputOnTop: Math.abs(input.y + input.height / 2 - node.y) < 2,
        outputAtBottom: Math.abs(output.y + output.height / 2 - (node.y + node.height)) < 2,
      };
    };
    await expect.poll(offsets, { message: `${id}: input on top, output at the bottom` }).toEqual({
      inputOnTop: true,
      outputAtBottom: true,
    });
  }
  // No link swings out sideways: each stays within the canvas' width.
  const canvas = await boxOf(page.locator('.react-flow'));
  for (const e of await edgeBoxes(page)) {
    expect(e.box.x, e.id).toBeGreaterThanOrEqual(canvas.x);
    expect(e.box.x + e.box.width, e.id).toBeLessThanOrEqual(canvas.x + canvas.width);
  }
  // Layout keeps the text readable too.
  await page.getByRole('button', { name: 'Auto-layout' }).tap();
  await expect(page.getByRole('button', { name: 'Undo', exact: true })).toBeEnabled();
  await settled(page);
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
});

test('tapping a step opens it with its data first, the step in sight above the sheet', async ({
  page,
}, testInfo) => {
  await openArranged(page);
  await expectTouchTargets(page, 'the canvas');
  await stepNode(page, 'filter').tap();
  const sheet = page.locator('.inspector-pane');
  await expect(sheet).toBeInViewport({ ratio: 0.9 });
  const output = sheet.getByRole('region', { name: 'Output' });
  await expect(output).toBeVisible();
  const permissions = sheet.getByRole('group', { name: 'Permissions' });
  expect((await boxOf(output)).y).toBeLessThan((await boxOf(permissions)).y);
  expect((await boxOf(output)).y).toBeLessThan(
    (await boxOf(sheet.getByRole('heading', { name: 'temp_max > 15' }))).y,
  );
  await settled(page);
  const step = await boxOf(stepNode(page, 'filter'));
  expect(intersects(step, await boxOf(sheet)), 'the sheet covers the step').toBe(false);
  expect(step.y).toBeGreaterThanOrEqual((await boxOf(page.locator('.react-flow'))).y);
  await expectTouchTargets(page, 'a step sheet', sheet);
  await page.screenshot({ path: testInfo.outputPath('phone-dark-step-open.png') });

  await page.getByRole('button', { name: 'Close details' }).tap();
  await page.getByRole('button', { name: 'Steps palette' }).tap();
  await expect(page.locator('.palette-pane')).toBeInViewport({ ratio: 0.9 });
  await expectTouchTargets(page, 'the palette sheet', page.locator('.palette-pane'));
});

test('after Run the final output shows, its step above the sheet', async ({ page }, testInfo) => {
  await openArranged(page);
  await page.getByRole('button', { name: 'Run', exact: true }).tap();
  await waitRunEnd(page);
  await expect(stepNode(page, 'sort')).toContainText('rows ·', { timeout: 60_000 });
  const table = page.getByRole('table', { name: 'Output of sort' });
  await expect(table).toBeInViewport();
  await settled(page);
  const step = await boxOf(stepNode(page, 'sort'));
  expect(intersects(step, await boxOf(page.locator('.inspector-pane')))).toBe(false);
  await expect(stepNode(page, 'sort')).toBeInViewport();
  await expectTouchTargets(page, 'the output sheet', page.locator('.inspector-pane'));
  await page.screenshot({ path: testInfo.outputPath('phone-dark-after-run.png') });
  for (const id of STEPS.slice(1)) await expect(stepNode(page, id)).toContainText('rows');
});
