/**
 * Editing on the canvas, on the built app: drag steps from the palette, connect by dragging,
 * refused connections with their reason, undo/redo, copy/paste, delete, reload, and the
 * expression field's live errors.
 */
import { expect, test, type Page } from '@playwright/test';
import { dragConnect, dragFromPalette, edges, port, stepNode } from './editor.helpers';

// The service worker's precache (17 MiB) is not what these tests are about; keep runs light.
test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/** Open the app on a new, empty pipeline. */
async function emptyPipeline(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

/**
 * Three steps (filter, sort, limit) dragged onto the canvas, unlinked: a dropped step links
 * from the selected step (the one dropped before), so a click on the empty canvas first
 * clears the selection (auto-linking is in flows.spec.ts).
 */
async function threeSteps(page: Page): Promise<void> {
  for (const [name, x] of [
    ['Filter rows', 250],
    ['Sort rows', 500],
    ['Limit rows', 750],
  ] as const) {
    await page.locator('.react-flow__pane').click({ position: { x: 50, y: 500 } });
    await dragFromPalette(page, name, x, 200);
  }
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(edges(page)).toHaveCount(0);
}

test('drag steps from the palette, connect them, undo and redo each edit', async ({ page }) => {
  await emptyPipeline(page);
  await threeSteps(page);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'filter-1'),
    port(page, 'input', 'in', 'sort-1'),
  );
  await expect(edges(page)).toHaveCount(1);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'sort-1'),
    port(page, 'input', 'in', 'limit-1'),
  );
  await expect(edges(page)).toHaveCount(2);

  const undo = page.getByRole('button', { name: 'Undo' });
  const redo = page.getByRole('button', { name: 'Redo' });
  await undo.click();
  await expect(edges(page)).toHaveCount(1);
  await undo.click();
  await expect(edges(page)).toHaveCount(0);
  await undo.click();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
  await redo.click();
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  // Keyboard: Shift+Ctrl+Z redoes, Ctrl+Z undoes (focus on the canvas, not a field).
  await page.locator('.react-flow__pane').click({ position: { x: 50, y: 500 } });
  await page.keyboard.press('Shift+Control+z');
  await page.keyboard.press('Shift+Control+z');
  await expect(edges(page)).toHaveCount(2);
  await page.keyboard.press('Control+z');
  await expect(edges(page)).toHaveCount(1);
});

test('a connection into a filled input replaces the old one; a cycle is refused with its reason', async ({
  page,
}) => {
  await emptyPipeline(page);
  await threeSteps(page);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'filter-1'),
    port(page, 'input', 'in', 'limit-1'),
  );
  await expect(edges(page)).toHaveCount(1);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'sort-1'),
    port(page, 'input', 'in', 'limit-1'),
  );
  await expect(page.getByRole('status')).toContainText('Replaced the link from filter-1 out');
  await expect(edges(page)).toHaveCount(1);
  // A cycle: limit → sort while sort → limit exists.
  await port(page, 'output', 'out', 'limit-1').click();
  // The second tap only means something once the first has registered, as a person sees it.
  await expect(page.getByText('Now tap an input port')).toBeVisible();
  await port(page, 'input', 'in', 'sort-1').click();
  await expect(page.getByRole('alert')).toContainText('cycle');
  await expect(edges(page)).toHaveCount(1);
});

test('copy and paste keep connections; Delete removes the selection as one undo step', async ({
  page,
}) => {
  await emptyPipeline(page);
  await threeSteps(page);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'filter-1'),
    port(page, 'input', 'in', 'sort-1'),
  );
  await expect(edges(page)).toHaveCount(1);
  await stepNode(page, 'filter-1').click();
  await stepNode(page, 'sort-1').click({ modifiers: ['Shift'] });
  await page.keyboard.press('Control+c');
  await page.keyboard.press('Control+v');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(edges(page)).toHaveCount(2);
  await expect(stepNode(page, 'filter-2')).toBeVisible();
  // The pasted pair is selected: Delete removes both and their edge at once.
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(edges(page)).toHaveCount(1);
  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await expect(edges(page)).toHaveCount(2);
});

test('every edit is saved: after a reload the pipeline is as it was', async ({ page }) => {
  await emptyPipeline(page);
  await page.getByRole('textbox', { name: 'Pipeline name' }).fill('Reload check');
  await threeSteps(page);
  await dragConnect(
    page,
    port(page, 'output', 'out', 'filter-1'),
    port(page, 'input', 'in', 'sort-1'),
  );
  await stepNode(page, 'limit-1').click();
  await page.getByRole('spinbutton', { name: 'Count' }).fill('7');
  await expect(edges(page)).toHaveCount(1);
  // Autosave runs 300 ms after an edit.
  await page.waitForTimeout(800);
  await page.reload();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue('Reload check');
  await expect(page.locator('.react-flow__node')).toHaveCount(3);
  await expect(edges(page)).toHaveCount(1);
  await stepNode(page, 'limit-1').click();
  await expect(page.getByRole('spinbutton', { name: 'Count' })).toHaveValue('7');
});

test('a bad expression shows the error and its position on the form as you type', async ({
  page,
}) => {
  await emptyPipeline(page);
  await dragFromPalette(page, 'Filter rows', 300, 200);
  await stepNode(page, 'filter-1').click();
  const field = page.getByRole('textbox', { name: 'Expression' });
  await field.fill('temp_max > ');
  const status = page.locator('.expr-status');
  await expect(status).toContainText('1:12');
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  await field.fill('temp_max > 20');
  await expect(field).toHaveAttribute('aria-invalid', 'false');
});

test('an imported file of an unknown version is refused and changes nothing', async ({ page }) => {
  await emptyPipeline(page);
  await page.getByRole('textbox', { name: 'Pipeline name' }).fill('Kept');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  const bad = JSON.stringify({
    format: 'quiver-pipeline',
    version: 99,
    id: 'x',
    name: 'Future',
    steps: [],
    edges: [],
  });
  await page.getByLabel('Pipeline file').setInputFiles({
    name: 'future.quiver.json',
    mimeType: 'application/json',
    buffer: Buffer.from(bad),
  });
  await expect(page.getByRole('dialog', { name: 'Pipelines' }).getByRole('alert')).toContainText(
    'version 99',
  );
  await page.getByLabel('Pipeline file').setInputFiles({
    name: 'broken.quiver.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "quiver-pipeline", '),
  });
  await expect(page.getByRole('dialog', { name: 'Pipelines' }).getByRole('alert')).toContainText(
    'invalid JSON',
  );
  await page.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue('Kept');
});
