/**
 * After one online visit the SQL step works with no network: its engine (DuckDB-Wasm's browser
 * build and duckdb-eh.wasm) comes from the service worker's precache, for both the query check
 * and the run.
 */
import { expect, test } from '@playwright/test';
import { dragConnect, port, stepNode, waitRunEnd } from './editor.helpers';
import { SQL_OFFLINE_PORT } from './helpers/env';
import { waitForServiceWorkerControl } from './helpers/pwa';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';

/** Own port: this test stops its server. */
const PORT = SQL_OFFLINE_PORT;

test.use({ viewport: { width: 1400, height: 900 } });

let server: Preview | null = null;
test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('after one visit, a SQL step checks and runs offline', async ({ page, context }) => {
  server = await startPreview(MAIN_DIST, PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);
  await server.close();
  server = null;
  await context.setOffline(true);

  await page.reload();
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await page.getByRole('button', { name: 'Add SQL', exact: true }).click();
  await dragConnect(
    page,
    port(page, 'output', 'out', 'csv'),
    port(page, 'input', 'input', 'sql-1'),
  );
  await stepNode(page, 'sql-1').click();
  await page
    .getByRole('textbox', { name: 'Query' })
    .fill('SELECT weather, count(*) AS days FROM input GROUP BY weather');
  // Offline the engine still describes the query: its output columns.
  await expect(page.locator('.js-status')).toContainText('gives: weather: VARCHAR, days: BIGINT', {
    timeout: 60_000,
  });
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await waitRunEnd(page);
  await expect(stepNode(page, 'sql-1')).toContainText('5 rows', { timeout: 60_000 });
});
