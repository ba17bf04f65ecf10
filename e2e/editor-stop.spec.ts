/**
 * A long run (3 million Parquet rows) keeps the editor responsive, shows progress on its
 * nodes, and Stop cancels it.
 */
import { expect, test } from '@playwright/test';
import { stepNode } from './editor.helpers';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

test('Stop cancels a running pipeline; the editor stays responsive meanwhile', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: /Open example Flights: busiest origins/ }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(5);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const stop = page.getByRole('button', { name: 'Stop' });
  await expect(stop).toBeVisible();
  // Responsive: selecting a step shows its inspector while the run goes on.
  await stepNode(page, 'aggregate').click();
  await expect(page.getByRole('heading', { name: 'by origin', exact: true })).toBeVisible();
  await stop.click();
  await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeVisible();
  // Nothing is left running or waiting; the steps that did not finish say so.
  await expect(page.locator('.node-status.running, .node-status.waiting')).toHaveCount(0);
  await expect(page.locator('.node-status.skipped, .node-status.failed').first()).toBeVisible();
});
