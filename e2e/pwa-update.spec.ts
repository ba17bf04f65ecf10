import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { UPDATE_PORT } from './helpers/env';
import { pageVersion, waitForServiceWorkerControl } from './helpers/pwa';
import { MAIN_DIST, buildApp, startPreview, type Preview } from './helpers/servers';

/** A second build, differing from the main one only in its build id (and so its worker). */
const NEXT_DIST = path.join(os.tmpdir(), `quiver-e2e-update-${process.pid}`);
const NEXT_BUILD_ID = 'e2e-update-next';

let server: Preview | null = null;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await buildApp(NEXT_DIST, NEXT_BUILD_ID);
});

test.afterAll(() => {
  rmSync(NEXT_DIST, { recursive: true, force: true });
});

test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('a new version is offered, and accepting it reloads into it with the open pipeline intact', async ({
  page,
}) => {
  server = await startPreview(MAIN_DIST, UPDATE_PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);
  const firstVersion = await pageVersion(page);
  expect(firstVersion).not.toContain(NEXT_BUILD_ID);
  const name = page.getByRole('textbox', { name: 'Pipeline name' });
  await expect(name).toBeVisible();

  // Deploy the next version on the same origin; the app's periodic check finds it.
  await server.close();
  server = await startPreview(NEXT_DIST, UPDATE_PORT);
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    await registration?.update();
  });

  const prompt = page.getByRole('status', { name: 'Update available' });
  await expect(prompt).toContainText('A new version of Quiver is ready');
  // Edit right before accepting, inside the autosave delay: a step and a new name.
  const steps = page
    .getByRole('application', { name: 'Pipeline canvas' })
    .getByRole('group', { name: /^step / });
  const stepsBefore = await steps.count();
  await page.getByRole('button', { name: 'Add Limit rows' }).click();
  await expect(steps).toHaveCount(stepsBefore + 1);
  const edited = `Trip to the coast ${Date.now()}`;
  await name.fill(edited);
  await prompt.getByRole('button', { name: 'Reload' }).click();

  await expect.poll(() => pageVersion(page), { timeout: 20_000 }).toContain(NEXT_BUILD_ID);
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(edited);
  await expect(steps).toHaveCount(stepsBefore + 1);
  await expect(page.getByRole('status', { name: 'Update available' })).toHaveCount(0);
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(
    /\/sw\.js$/,
  );
});
