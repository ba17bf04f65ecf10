import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { EXAMPLES_PORT } from './helpers/env';
import { waitForServiceWorkerControl } from './helpers/pwa';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';

interface Example {
  name: string;
  steps: { id: string }[];
  edges: { from: { step: string } }[];
}

function example(file: string): Example {
  return JSON.parse(readFileSync(`examples/${file}`, 'utf8')) as Example;
}

/** The examples the offline evidence names: one CSV sample, one Arrow sample. */
const EXAMPLES = [
  example('seattle-weather.quiver.json'),
  example('flights-delay-by-distance.quiver.json'),
];

/** The step nothing reads from: the example's result. */
function lastStep(ex: Example): string {
  const feeding = new Set(ex.edges.map((e) => e.from.step));
  const last = ex.steps.filter((s) => !feeding.has(s.id));
  if (last.length !== 1)
    throw new Error(`${ex.name}: expected one final step, found ${last.length}`);
  return (last[0] as { id: string }).id;
}

/** Opens the example from the gallery, runs it, and returns its final step's output as text. */
async function runExample(page: Page, ex: Example): Promise<string> {
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: `Open example ${ex.name}` }).click();
  // The gallery opens a copy ("<name> (copy)"), so the example itself stays pristine.
  await expect(page.getByRole('textbox', { name: 'Pipeline name' })).toHaveValue(
    new RegExp(`^${ex.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
  );
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const canvas = page.getByRole('application', { name: 'Pipeline canvas' });
  await expect(canvas.locator('.step-node.state-done')).toHaveCount(ex.steps.length, {
    timeout: 60_000,
  });
  const id = lastStep(ex);
  const output = page.getByRole('region', { name: 'Output' });
  const table = output.getByRole('table', { name: `Output of ${id}` });
  // Selecting shows the step's output; retried, as a click during the canvas's fit-view
  // animation can land on the pane instead.
  await expect(async () => {
    await canvas.getByRole('group', { name: `step ${id}` }).click();
    await expect(table).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  return `${await output.getByRole('status').innerText()}\n${await table.innerText()}`;
}

let server: Preview | null = null;
test.afterEach(async () => {
  await server?.close();
  server = null;
});

test('the seattle-weather and flights-delay-by-distance examples give the same results offline', async ({
  page,
  context,
}) => {
  test.setTimeout(180_000);
  server = await startPreview(MAIN_DIST, EXAMPLES_PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);
  const online: string[] = [];
  for (const ex of EXAMPLES) online.push(await runExample(page, ex));

  // Empty the step-output cache (OPFS), so the offline runs really run rather than reuse it.
  await page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('step-cache', { recursive: true });
  });
  await server.close();
  server = null;
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Offline' })).toBeVisible();
  for (const [i, ex] of EXAMPLES.entries()) {
    const offline = await runExample(page, ex);
    console.log(`${ex.name}, offline: ${offline.split('\n')[0]}`);
    expect(offline, ex.name).toBe(online[i]);
    expect(offline, ex.name).toMatch(/\d+\s+rows/);
  }
});
