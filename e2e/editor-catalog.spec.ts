/**
 * Around the editor: the Pipelines dialog says how much this device stores for Quiver, and
 * the palette says so plainly when the module catalog has no steps.
 */
import { expect, test } from '@playwright/test';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

test('the Pipelines dialog shows how much storage Quiver uses', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'Pipelines' }).click();
  const usage = page.getByRole('dialog', { name: 'Pipelines' }).getByRole('status', {
    name: 'Storage used by Quiver',
  });
  await expect(usage).toBeVisible();
  await expect(usage).toContainText(/\d+(\.\d)? (B|KB|MB|GB|TB) on this device/);
});

test('an empty module catalog is reported in the palette, not as "no match"', async ({ page }) => {
  await page.route('**/modules/index.json', (route) =>
    route.fulfill({ contentType: 'application/json', body: '[]' }),
  );
  await page.goto('/');
  const palette = page.getByRole('navigation', { name: 'Steps' });
  await expect(palette.getByRole('alert')).toContainText('Could not load the module catalog');
  await expect(palette).not.toContainText('No step matches');
});
