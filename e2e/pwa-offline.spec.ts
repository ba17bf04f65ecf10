import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';
import { OFFLINE_PORT } from './helpers/env';
import { precacheFiles, waitForServiceWorkerControl } from './helpers/pwa';

/** Own port: this test stops its server to prove nothing comes from the network. */
const PORT = OFFLINE_PORT;

let server: Preview | null = null;
test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('after one visit, the app, every module and every sample load with no network', async ({
  page,
  context,
}) => {
  const files = precacheFiles(MAIN_DIST);
  const totalBytes = files.reduce((sum, f) => sum + f.sizeBytes, 0);
  const largest = [...files].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 5);
  console.log(
    `precache: ${files.length} files, ${(totalBytes / 1e6).toFixed(2)} MB; largest: ` +
      largest.map((f) => `${f.url} ${(f.sizeBytes / 1e6).toFixed(2)} MB`).join(', '),
  );

  server = await startPreview(MAIN_DIST, PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);

  // No server and no network: whatever loads now comes from the service worker's cache.
  await server.close();
  server = null;
  await context.setOffline(true);

  await page.reload();
  await expect(page).toHaveTitle('Quiver');
  // The editor opened: its toolbar and canvas (which need the module catalog) are there.
  await expect(page.getByRole('toolbar', { name: 'Pipeline' })).toBeVisible();
  await expect(page.getByRole('application', { name: 'Pipeline canvas' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Offline' })).toBeVisible();
  // performance.now() counts from navigation start; read as soon as the editor is visible,
  // so editorMs is an upper bound of the time to a usable editor.
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    return {
      editorMs: performance.now(),
      domContentLoadedMs: nav.domContentLoadedEventEnd,
      loadMs: nav.loadEventEnd,
    };
  });
  console.log(
    `offline open: DOMContentLoaded ${timing.domContentLoadedMs.toFixed(0)} ms, ` +
      `load ${timing.loadMs.toFixed(0)} ms, editor visible by ${timing.editorMs.toFixed(0)} ms ` +
      'after navigation start',
  );

  // The inspector, a lazily loaded chunk (src/editor/lazyParts.tsx), comes from the cache too.
  await page.locator('.react-flow__node').first().click();
  await expect(page.getByRole('region', { name: 'Parameters' })).toBeVisible();

  // Every built module and sample, fetched by the page offline, with its on-disk size.
  const expected = [
    ...readdirSync(path.join(MAIN_DIST, 'modules')).map((f) => `modules/${f}`),
    ...readdirSync(path.join(MAIN_DIST, 'samples')).map((f) => `samples/${f}`),
  ].map((url) => ({ url, sizeBytes: statSync(path.join(MAIN_DIST, url)).size }));
  const fetched = await page.evaluate(
    async (urls) => {
      return Promise.all(
        urls.map(async (url) => {
          const res = await fetch(`/${url}`);
          return { url, ok: res.ok, sizeBytes: (await res.arrayBuffer()).byteLength };
        }),
      );
    },
    expected.map((e) => e.url),
  );
  expect(fetched).toEqual(expected.map((e) => ({ ...e, ok: true })));

  // A deep link (manifest shortcut) opens offline too.
  await page.goto(`http://127.0.0.1:${PORT}/?action=examples`);
  await expect(page).toHaveTitle('Quiver');
});
