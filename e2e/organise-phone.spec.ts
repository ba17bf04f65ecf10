/**
 * Canvas overlays never cover steps (issue 14): on a phone's first open (390×844 touch, dark)
 * the organise bar stands in the left strip kept free of steps; "Add note" puts the note, and
 * its colour swatches, where they cover no step, on a phone and on a laptop.
 */
import { expect, test, type Page } from '@playwright/test';
import { stepNode, waitRunEnd } from './editor.helpers';
import { PHONE } from './helpers/phone';
import { boxOf, intersects, settled } from './view.helpers';

/** Ids of the steps `box` (screen px) overlaps. */
async function stepsUnder(
  page: Page,
  box: { x: number; y: number; width: number; height: number },
) {
  const steps = page.locator(
    '.react-flow__node:not(.react-flow__node-note):not(.react-flow__node-stepGroup)',
  );
  const hit: string[] = [];
  for (const s of await steps.all()) {
    if (intersects(await boxOf(s), box)) hit.push((await s.getAttribute('data-id')) ?? '?');
  }
  return hit;
}

async function addNoteOffSteps(page: Page) {
  await page.getByRole('button', { name: 'Add note' }).click();
  const note = page.getByTestId('note-note:1');
  await expect(note).toBeVisible();
  await settled(page);
  expect(await stepsUnder(page, await boxOf(note)), 'steps under the note').toEqual([]);
  const swatches = page.locator('.note-colors');
  await expect(swatches).toBeVisible();
  expect(await stepsUnder(page, await boxOf(swatches)), 'steps under the swatches').toEqual([]);
  // The note and its swatches are in sight, inside the canvas (not under the toolbar).
  const canvas = await boxOf(page.locator('.react-flow'));
  for (const b of [await boxOf(note), await boxOf(swatches)]) {
    expect(b.y).toBeGreaterThanOrEqual(canvas.y);
    expect(b.y + b.height).toBeLessThanOrEqual(canvas.y + canvas.height);
  }
}

test.describe('phone', () => {
  test.use({ serviceWorkers: 'block', ...PHONE, colorScheme: 'dark' });

  test('the organise bar and a new note cover no step', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    await settled(page);
    const bar = page.getByRole('toolbar', { name: 'Organise the canvas' });
    expect(await stepsUnder(page, await boxOf(bar)), 'steps under the organise bar').toEqual([]);
    await addNoteOffSteps(page);
  });

  test('the pipeline name has the first row; the "+" of a step covers no status line', async ({
    page,
  }) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    // Beside Run only: most of the phone's width (it shared it with + and ☰ before).
    const name = await boxOf(page.getByRole('textbox', { name: 'Pipeline name' }));
    expect(name.width).toBeGreaterThan(260);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await waitRunEnd(page);
    const sort = stepNode(page, 'sort');
    await expect(sort.locator('.port-add')).toBeVisible();
    const plus = await boxOf(sort.locator('.port-add'));
    expect(intersects(plus, await boxOf(sort.locator('.node-status')))).toBe(false);
  });
});

test.describe('laptop', () => {
  test.use({ serviceWorkers: 'block', viewport: { width: 1280, height: 800 } });

  test('a new note and its swatches cover no step', async ({ page }) => {
    await page.goto('/');
    await expect(page.locator('.react-flow__node')).toHaveCount(6);
    await settled(page);
    await addNoteOffSteps(page);
  });
});
