/**
 * Building flows fast (issue 14 point 1), on the built app: palette steps link from the selected
 * (or final) step and land beside it without overlap; quick-add with `/`, a double-click and an
 * output's "+"; a step's context menu; a link dropped on a filled input replaces the old one in
 * one undo step; the same on a phone with taps and a long-press.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dragConnect, port, stepNode } from './editor.helpers';
import { PHONE } from './helpers/phone';
import { boxOf, inside, settled, smallestStepText } from './view.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });

async function emptyPipeline(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

/** Every link on the canvas as `from.port->to.port`, sorted. */
async function links(page: Page): Promise<string[]> {
  const labels = await page
    .locator('.react-flow__edge')
    .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
  return labels
    .map((l) => l.replace(/^edge from (\S+) (\S+) to (\S+) (\S+)$/, '$1.$2->$3.$4'))
    .sort();
}

/** No two step nodes' boxes on screen overlap. */
async function expectNoOverlap(page: Page): Promise<void> {
  const boxes = await page
    .locator('.react-flow__node')
    .evaluateAll((els) =>
      els.map((e) => ({ id: e.getAttribute('data-id'), ...e.getBoundingClientRect().toJSON() })),
    );
  for (const [i, a] of boxes.entries()) {
    for (const b of boxes.slice(i + 1)) {
      const apart =
        a.right <= b.left || b.right <= a.left || a.bottom <= b.top || b.bottom <= a.top;
      expect(apart, `${a.id} overlaps ${b.id}`).toBe(true);
    }
  }
}

const add = (page: Page, name: string): Locator =>
  page.getByRole('button', { name: `Add ${name}`, exact: true });

test('four steps from an empty canvas with palette clicks only: a chain, in rows that fit', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page);
  await add(page, 'Filter rows').click();
  await add(page, 'Derive column').click();
  await add(page, 'Sort rows').click();
  await add(page, 'Limit rows').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  expect(await links(page)).toEqual([
    'derive-1.out->sort-1.in',
    'filter-1.out->derive-1.in',
    'sort-1.out->limit-1.in',
  ]);
  await expectNoOverlap(page);
  // Each step sits right of the one it is linked from (links run forwards), or, when the row
  // would no longer fit the canvas at a readable zoom, starts a new row below the others.
  const boxes: { x: number; y: number; height: number }[] = [];
  for (const id of ['filter-1', 'derive-1', 'sort-1', 'limit-1']) {
    const b = (await stepNode(page, id).boundingBox())!;
    const prev = boxes.at(-1);
    if (prev) {
      const lowest = Math.max(...boxes.map((p) => p.y + p.height));
      expect(b.x > prev.x || b.y > lowest, `${id} beside its producer or on a new row`).toBe(true);
    }
    boxes.push(b);
    await expect(stepNode(page, id)).toBeInViewport({ ratio: 0.99 });
  }
  await page.screenshot({ path: testInfo.outputPath('flows-four-steps.png') });

  // A selected step in the middle branches off: the new step goes beside it, below the chain.
  await stepNode(page, 'derive-1').click();
  await page.getByRole('searchbox', { name: 'Search steps' }).fill('dedupe');
  await page.getByRole('searchbox', { name: 'Search steps' }).press('Enter');
  await expect(stepNode(page, 'distinct-1')).toBeVisible();
  expect(await links(page)).toContain('derive-1.out->distinct-1.in');
  await expectNoOverlap(page);
  // The whole chain of adds is undone one step at a time, link and step together.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(4);
  expect(await links(page)).toHaveLength(3);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  expect(await links(page)).toHaveLength(2);
});

test('quick-add with / at the pointer, and with a double-click on the empty canvas', async ({
  page,
}) => {
  await emptyPipeline(page);
  await add(page, 'Filter rows').click();
  const filter = (await stepNode(page, 'filter-1').boundingBox())!;
  // `/` with the pointer on the empty canvas below the step: the search opens there.
  await page.mouse.move(filter.x + 40, filter.y + 300);
  await page.keyboard.press('/');
  const search = page.getByRole('combobox', { name: 'Search steps to add' });
  await expect(search).toBeFocused();
  await search.fill('sort');
  await search.press('Enter');
  await expect(search).toBeHidden();
  await expect(stepNode(page, 'sort-1')).toBeVisible();
  const sort = (await stepNode(page, 'sort-1').boundingBox())!;
  expect(Math.abs(sort.y - (filter.y + 300))).toBeLessThan(120);
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in']);

  // A double-click on the empty canvas opens it too, linking from the step selected before.
  const pane = (await page.locator('.react-flow__pane').boundingBox())!;
  const empty = { x: pane.x + 80, y: pane.y + pane.height - 80 };
  await page.mouse.dblclick(empty.x, empty.y);
  await expect(search).toBeFocused();
  await search.fill('limit');
  await page.getByRole('option', { name: /Limit rows/ }).click();
  await expect(stepNode(page, 'limit-1')).toBeVisible();
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in', 'sort-1.out->limit-1.in']);
  // Escape closes it without adding anything.
  await page.mouse.dblclick(pane.x + pane.width / 2, pane.y + 30);
  await expect(search).toBeFocused();
  await search.press('Escape');
  await expect(search).toBeHidden();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expectNoOverlap(page);
});

test('the "+" of an output adds the chosen step beside it, linked from that output', async ({
  page,
}) => {
  await emptyPipeline(page);
  await add(page, 'Filter rows').click();
  await add(page, 'Sort rows').click();
  // filter-1 already feeds sort-1: its "+" starts a branch.
  await stepNode(page, 'filter-1').click();
  const plus = page.getByRole('button', { name: 'Add a step after filter-1 out' });
  await expect(plus).toBeVisible();
  await plus.click();
  const box = page.getByRole('dialog', { name: 'Add a step after filter-1 out' });
  await expect(box).toBeVisible();
  // Only steps that take a table are offered (no CSV parser, which reads bytes).
  await box.getByRole('combobox').fill('csv');
  await expect(box.getByRole('option', { name: /Parse CSV/ })).toHaveCount(0);
  await box.getByRole('combobox').fill('limit');
  await box.getByRole('combobox').press('Enter');
  await expect(stepNode(page, 'limit-1')).toBeVisible();
  expect(await links(page)).toEqual(['filter-1.out->limit-1.in', 'filter-1.out->sort-1.in']);
  await expectNoOverlap(page);
  // Keyboard: the "+" of the selected new step is reachable with Tab and opens with Enter.
  await page.getByRole('button', { name: 'Add a step after limit-1 out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('dialog', { name: 'Add a step after limit-1 out' })).toBeVisible();
});

test('sample data, Filter, Aggregate, Sort from an empty canvas: every step stays in view', async ({
  page,
}, testInfo) => {
  await emptyPipeline(page);
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('seattle-weather.csv');
  await add(page, 'Filter rows').click();
  await add(page, 'Aggregate').click();
  await add(page, 'Sort rows').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await settled(page);
  await page.screenshot({ path: testInfo.outputPath('four-steps-desktop.png') });
  // The canvas, below the zoom controls' strip along its top (readableView.ts).
  const canvas = await boxOf(page.locator('.react-flow'));
  const visible = { ...canvas, y: canvas.y + 49, height: canvas.height - 49 };
  const nodes = page.locator('.react-flow__node');
  for (const n of await nodes.all()) {
    const id = await n.getAttribute('data-id');
    expect(inside(await boxOf(n), visible), `${id} is not wholly in view`).toBe(true);
  }
  expect(await smallestStepText(page)).toBeGreaterThanOrEqual(11);
});

test('context menu: duplicate (with its links, Ctrl+D too), rename, bypass, delete, each undoable', async ({
  page,
}) => {
  await emptyPipeline(page);
  await add(page, 'Filter rows').click();
  await add(page, 'Sort rows').click();

  await stepNode(page, 'filter-1').click({ button: 'right' });
  const menu = page.getByRole('menu', { name: 'Step filter-1' });
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await menu.getByRole('menuitem', { name: 'Duplicate' }).click();
  await expect(stepNode(page, 'filter-2')).toBeVisible();
  await expect(menu).toBeHidden();
  await expectNoOverlap(page);

  // Rename through the menu, from the keyboard: Shift+F10 on the selected step.
  await expect(stepNode(page, 'filter-2')).toHaveClass(/selected/);
  await page.locator('.react-flow__pane').focus();
  await page.keyboard.press('Shift+F10');
  const menu2 = page.getByRole('menu', { name: 'Step filter-2' });
  await expect(menu2).toBeVisible();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(menu2.getByRole('menuitem', { name: 'Rename…' })).toBeFocused();
  await page.keyboard.press('Enter');
  await page.getByRole('textbox', { name: 'Step name' }).fill('warm days');
  await page.keyboard.press('Enter');
  await expect(stepNode(page, 'filter-2')).toContainText('warm days');

  await stepNode(page, 'filter-2').click({ button: 'right' });
  await page.getByRole('menuitemcheckbox', { name: 'Bypass' }).click();
  await stepNode(page, 'filter-2').click({ button: 'right' });
  await expect(page.getByRole('menuitemcheckbox', { name: 'Bypass' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(stepNode(page, 'filter-2')).toHaveCount(0);

  const undo = page.getByRole('button', { name: 'Undo' });
  await undo.click(); // delete
  await expect(stepNode(page, 'filter-2')).toContainText('warm days');
  await undo.click(); // bypass
  await undo.click(); // rename
  await expect(stepNode(page, 'filter-2')).not.toContainText('warm days');
  await undo.click(); // duplicate
  await expect(stepNode(page, 'filter-2')).toHaveCount(0);
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in']);

  // A duplicate keeps its incoming link (Ctrl+D, the selected step); one undo takes both away.
  await stepNode(page, 'sort-1').locator('.step-title').click();
  await page.keyboard.press('Control+d');
  await expect(stepNode(page, 'sort-2')).toBeVisible();
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in', 'filter-1.out->sort-2.in']);
  await expectNoOverlap(page);
  await undo.click();
  await expect(stepNode(page, 'sort-2')).toHaveCount(0);
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in']);

  // Several steps together keep the links among them.
  await stepNode(page, 'filter-1').locator('.step-title').click();
  await stepNode(page, 'sort-1')
    .locator('.step-title')
    .click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+d');
  await expect(stepNode(page, 'sort-2')).toBeVisible();
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in', 'filter-2.out->sort-2.in']);
  await expectNoOverlap(page);
});

test('a link dropped on a filled input replaces the old one; one undo brings it back', async ({
  page,
}) => {
  await emptyPipeline(page);
  await add(page, 'Filter rows').click();
  await add(page, 'Sort rows').click();
  await add(page, 'Limit rows').click();
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in', 'sort-1.out->limit-1.in']);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'filter-1'),
    port(page, 'input', 'in', 'limit-1'),
  );
  await expect(page.getByRole('status')).toContainText('Replaced the link from sort-1 out');
  expect(await links(page)).toEqual(['filter-1.out->limit-1.in', 'filter-1.out->sort-1.in']);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect
    .poll(() => links(page))
    .toEqual(['filter-1.out->sort-1.in', 'sort-1.out->limit-1.in']);
  // A cycle is still refused, with its reason.
  await dragConnect(
    page,
    port(page, 'output', 'out', 'limit-1'),
    port(page, 'input', 'in', 'filter-1'),
  );
  await expect(page.getByRole('alert')).toContainText('cycle');
  expect(await links(page)).toEqual(['filter-1.out->sort-1.in', 'sort-1.out->limit-1.in']);
});

test.describe('on a phone', () => {
  test.use({
    ...PHONE,
  });

  test('taps build a chain; the "+" and the menu items are 44 px; long-press opens the menu', async ({
    page,
  }, testInfo) => {
    await emptyPipeline(page);
    for (const name of ['Filter rows', 'Derive column', 'Sort rows', 'Limit rows']) {
      await page.getByRole('button', { name: 'Steps palette' }).tap();
      await add(page, name).tap();
    }
    await expect(page.locator('.react-flow__node')).toHaveCount(4);
    expect(await links(page)).toEqual([
      'derive-1.out->sort-1.in',
      'filter-1.out->derive-1.in',
      'sort-1.out->limit-1.in',
    ]);
    await expectNoOverlap(page);
    await expect(stepNode(page, 'limit-1')).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath('flows-phone-four-steps.png') });

    const plus = page.getByRole('button', { name: 'Add a step after limit-1 out' });
    const p = (await plus.boundingBox())!;
    expect(Math.min(p.width, p.height)).toBeGreaterThanOrEqual(44);

    // Long-press (a still finger for half a second) on a step opens its menu.
    const node = (await stepNode(page, 'sort-1').boundingBox())!;
    const at = { x: node.x + node.width / 2, y: node.y + 12 };
    const init = {
      pointerType: 'touch',
      isPrimary: true,
      clientX: at.x,
      clientY: at.y,
      bubbles: true,
    };
    await stepNode(page, 'sort-1').dispatchEvent('pointerdown', init);
    const menu = page.getByRole('menu', { name: 'Step sort-1' });
    await expect(menu).toBeVisible();
    await stepNode(page, 'sort-1').dispatchEvent('pointerup', init);
    for (const item of await menu.locator('button').all()) {
      expect((await item.boundingBox())!.height).toBeGreaterThanOrEqual(44);
    }
    await menu.getByRole('menuitem', { name: 'Delete' }).tap();
    await expect(stepNode(page, 'sort-1')).toHaveCount(0);
  });
});
