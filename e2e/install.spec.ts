/**
 * Modules from anyone, in the built app: install from files (a .wasm with its .json) and from a
 * single .wasm whose manifest is embedded (dropped on the canvas); the install card shows the
 * sha256 and the binary's imports; the module runs, works again offline after a reload, updates
 * with a prompt naming the permission it adds, and is removed. A pipeline exported with its
 * module opens in a fresh browser, shows the card, and after install gives the same result.
 *
 * The fixture module is the built-in `limit` under another id (acme.head), so its result can be
 * checked against the built-in's; the embedded-manifest files are made with the one-line
 * `quiver module embed`. Screenshots of the install card go to the test's output directory.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dragConnect, port, previewRows, stepNode } from './editor.helpers';
import { INSTALL_PORT } from './helpers/env';
import { MAIN_DIST, startPreview, type Preview } from './helpers/servers';
import { waitForServiceWorkerControl } from './helpers/pwa';

/** Own port: these tests stop their server to go offline. */
const PORT = INSTALL_PORT;

const dir = mkdtempSync(path.join(tmpdir(), 'quiver-install-'));
const limitWasm = readFileSync('public/modules/limit.wasm');
const limitManifest = JSON.parse(readFileSync('public/modules/limit.json', 'utf8')) as Record<
  string,
  unknown
>;

/** Writes `<name>` and returns its path. */
function fixture(name: string, bytes: Uint8Array | string): string {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  return file;
}

function manifest(id: string, version: string, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    ...limitManifest,
    id,
    name: id === 'acme.head' ? 'Head' : 'Tail end',
    version,
    author: 'Acme Modules <modules@acme.example>',
    description: 'Keeps the first rows (the built-in limit under another name).',
    ...extra,
  });
}

/** `quiver module embed` as a module author would run it; returns the written .wasm. */
function embedded(id: string, version: string, extra: Record<string, unknown> = {}): string {
  const json = fixture(`${id}.json`, manifest(id, version, extra));
  const out = path.join(dir, `${id}-${version}.wasm`);
  execFileSync('node', [
    'bin/quiver.mjs',
    'module',
    'embed',
    'public/modules/limit.wasm',
    json,
    '-o',
    out,
  ]);
  return out;
}

const sha256 = (file: string | Buffer) =>
  createHash('sha256')
    .update(typeof file === 'string' ? readFileSync(file) : file)
    .digest('hex');

let server: Preview | null = null;
test.afterEach(async () => {
  await server?.close();
  server = null;
});

test.use({ viewport: { width: 1400, height: 900 } });

async function newPipeline(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByRole('button', { name: 'New pipeline' }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.getByRole('textbox', { name: 'Pipeline name' }).fill(name);
  await page.getByRole('combobox', { name: 'Sample data' }).selectOption('flights-200k.arrow');
  await expect(stepNode(page, 'source-1')).toBeVisible();
}

/** Adds a step of `name` from the palette and wires source-1 → it. */
async function addAfterSource(page: Page, name: string, stepId: string): Promise<void> {
  await page.getByRole('button', { name: `Add ${name}` }).click();
  await expect(stepNode(page, stepId)).toBeVisible();
  await dragConnect(
    page,
    port(page, 'output', 'out', 'source-1'),
    port(page, 'input', 'in', stepId),
  );
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);
}

async function runAndRead(page: Page, stepId: string): Promise<string[][]> {
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, stepId)).toContainText('100 rows', { timeout: 60_000 });
  await stepNode(page, stepId).click();
  return previewRows(page, stepId);
}

function installDialog(page: Page): Locator {
  return page.getByRole('dialog', { name: /Install module|Update module|Cannot install/ });
}

/** Screenshots of the card: desktop and phone, light and dark. */
async function shootCard(page: Page, outputPath: (name: string) => string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.screenshot({ path: outputPath(`install-card-desktop-${scheme}.png`) });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: outputPath(`install-card-phone-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1400, height: 900 });
}

test('install from files, run, run again offline, update with a prompt, remove', async ({
  page,
  context,
}, testInfo) => {
  const wasm = fixture('head.wasm', limitWasm);
  const json = fixture('acme.head.json', manifest('acme.head', '1.0.0'));
  server = await startPreview(MAIN_DIST, PORT);
  await page.goto(server.url);
  await waitForServiceWorkerControl(page);
  await newPipeline(page, 'uses head');

  // A manifest with a bad field: the card names the field.
  await page.getByRole('button', { name: 'Add module…' }).click();
  const bad = fixture('bad/acme.head.json'.replace('/', '-'), manifest('acme.head', 'one'));
  await page.getByLabel('From files').setInputFiles([wasm, bad]);
  const refused = installDialog(page);
  await expect(refused).toContainText('version');
  await expect(refused.getByRole('list', { name: 'Manifest errors' })).toContainText(
    'must match pattern',
  );
  await refused.getByRole('button', { name: 'Close', exact: true }).first().click();

  await page.getByRole('button', { name: 'Add module…' }).click();
  await page.getByLabel('From files').setInputFiles([wasm, json]);
  const card = installDialog(page);
  await expect(card).toContainText('Head');
  await expect(card).toContainText('1.0.0');
  await expect(card).toContainText('Acme Modules');
  await expect(card).toContainText(sha256(wasm));
  await expect(card).toContainText('separate .json');
  await card.getByText(/Imports of the binary \(\d+\)/).click();
  await expect(card.getByRole('list', { name: 'Imports' })).toContainText(
    'wasi_snapshot_preview1.fd_write',
  );
  await shootCard(page, (n) => testInfo.outputPath(n));
  await card.getByRole('button', { name: 'Install' }).click();
  await expect(card).toBeHidden();

  await addAfterSource(page, 'Head', 'acme.head-1');
  const first = await runAndRead(page, 'acme.head-1');
  // The preview renders what fits (virtualized); the node says 100 rows.
  expect(first[0]).toEqual(['delay', 'distance', 'time']);
  expect(first.length).toBeGreaterThan(5);

  // Offline: no server, no network; the installed module comes from IndexedDB.
  await server.close();
  server = null;
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Offline' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add Head' })).toBeVisible();
  expect(await runAndRead(page, 'acme.head-1')).toEqual(first);

  // An update that asks for the clock: the card says so before anything changes.
  const v2 = embedded('acme.head', '1.1.0', { permissions: { clock: true } });
  await page.getByRole('button', { name: 'Update Head' }).click();
  await page.getByLabel('From files').setInputFiles([v2]);
  const update = page.getByRole('dialog', { name: 'Update module' });
  await expect(update).toContainText('Updates the installed 1.0.0 to 1.1.0');
  await expect(update.getByRole('list').filter({ hasText: '+ clock' })).toBeVisible();
  await expect(update).toContainText('embedded in the .wasm');
  await update.getByRole('button', { name: 'Update' }).click();
  await expect(update).toBeHidden();
  expect(await runAndRead(page, 'acme.head-1')).toEqual(first);

  // Remove: the dialog lists the pipeline that uses it; the step is then flagged.
  await page.getByRole('button', { name: 'Remove Head' }).click();
  const remove = page.getByRole('dialog', { name: 'Remove acme.head' });
  await expect(remove.getByRole('list', { name: 'Pipelines using the module' })).toContainText(
    'uses head',
  );
  await remove.getByRole('button', { name: 'Remove acme.head' }).click();
  await expect(page.getByRole('button', { name: 'Add Head' })).toBeHidden();
  await stepNode(page, 'acme.head-1').click();
  await expect(page.getByRole('alert', { name: 'Module not available' })).toContainText(
    'module "acme.head" 1.1.0',
  );
});

test('a pipeline exported with its module opens in a fresh browser and gives the same result', async ({
  page,
  browser,
}, testInfo) => {
  const wasm = embedded('acme.tail', '2.0.0');
  server = await startPreview(MAIN_DIST, PORT);
  await page.goto(server.url);
  await newPipeline(page, 'carried');

  // One .wasm with its manifest inside, dropped on the canvas.
  const bytes = [...readFileSync(wasm)];
  const drop = await page.evaluateHandle((b) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(b)], 'tail.wasm', { type: 'application/wasm' }));
    return dt;
  }, bytes);
  await page.locator('.canvas').dispatchEvent('drop', { dataTransfer: drop });
  const card = installDialog(page);
  await expect(card).toContainText('Tail end');
  await expect(card).toContainText('embedded in the .wasm');
  await expect(card).toContainText(sha256(wasm));
  await card.getByRole('button', { name: 'Install' }).click();
  await addAfterSource(page, 'Tail end', 'acme.tail-1');
  const original = await runAndRead(page, 'acme.tail-1');

  await page.getByRole('button', { name: 'Pipelines' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export with modules' }).click();
  const file = path.join(dir, 'carried.quiver.json');
  await (await download).saveAs(file);
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { modules?: { sha256: string }[] };
  expect(doc.modules?.map((m) => m.sha256)).toEqual([sha256(wasm)]);

  // A fresh browser: nothing installed. Importing shows the card; after install it runs.
  const fresh = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const other = await fresh.newPage();
  await other.goto(server.url);
  await other.getByRole('button', { name: 'Pipelines' }).click();
  // The Pipelines dialog's import (the toolbar's File… takes .json data files too).
  await other
    .getByRole('dialog', { name: 'Pipelines' })
    .locator('input[type=file]')
    .setInputFiles(file);
  const offered = installDialog(other);
  await expect(offered).toContainText('Tail end');
  await expect(offered).toContainText(sha256(wasm));
  await offered.getByRole('button', { name: 'Install' }).click();
  await expect(offered).toBeHidden();
  expect(await runAndRead(other, 'acme.tail-1')).toEqual(original);
  await other.screenshot({ path: testInfo.outputPath('imported-run.png') });
  await fresh.close();
});

test('install from a URL (a built-in id refused); a pipeline pinned to another binary is flagged and refused until re-pinned', async ({
  page,
}) => {
  const json = manifest('acme.head', '1.0.0');
  await page.route('https://modules.example/**', (route) => {
    const url = route.request().url();
    if (url.endsWith('/acme.head.json'))
      return route.fulfill({ body: json, contentType: 'application/json' });
    if (url.endsWith('/acme.head.wasm') || url.endsWith('/limit.wasm'))
      return route.fulfill({ body: limitWasm, contentType: 'application/wasm' });
    if (url.endsWith('/limit.json'))
      return route.fulfill({
        body: JSON.stringify(limitManifest),
        contentType: 'application/json',
      });
    return route.fulfill({ status: 404 });
  });
  server = await startPreview(MAIN_DIST, PORT);
  await page.goto(server.url);
  await newPipeline(page, 'from a url');

  await page.getByRole('button', { name: 'Add module…' }).click();
  await page.getByLabel('From a URL').fill('https://modules.example/m/limit.json');
  await page.getByRole('button', { name: 'Fetch' }).click();
  const refused = page.getByRole('dialog', { name: 'Cannot install' });
  await expect(refused).toContainText('id: "limit" is a built-in module\'s id');
  await refused.getByRole('button', { name: 'Close', exact: true }).first().click();

  await page.getByRole('button', { name: 'Add module…' }).click();
  await page.getByLabel('From a URL').fill('https://modules.example/m/acme.head.json');
  await page.getByRole('button', { name: 'Fetch' }).click();
  const card = installDialog(page);
  await expect(card).toContainText(sha256(limitWasm));
  await card.getByRole('button', { name: 'Install' }).click();
  await addAfterSource(page, 'Head', 'acme.head-1');
  const viaUrl = await runAndRead(page, 'acme.head-1');

  // A pipeline pinned to another binary of acme.head: flagged, and refused when run.
  const other = 'f'.repeat(64);
  const pinned = {
    format: 'quiver-pipeline',
    version: 2,
    id: 'p-other',
    name: 'pinned elsewhere',
    steps: [
      {
        id: 'source-1',
        moduleId: 'source',
        params: { uri: 'sample:flights-200k.arrow' },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 300000, maxMemoryMiB: 2048 },
        position: { x: 0, y: 0 },
      },
      {
        id: 'acme.head-1',
        moduleId: 'acme.head',
        params: { count: 100 },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 30000, maxMemoryMiB: 1024 },
        position: { x: 300, y: 0 },
        pin: { version: '0.9.0', sha256: other },
      },
    ],
    edges: [
      {
        id: 'source-1.out->acme.head-1.in',
        from: { step: 'source-1', port: 'out' },
        to: { step: 'acme.head-1', port: 'in' },
      },
    ],
  };
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page
    .getByRole('dialog', { name: 'Pipelines' })
    .locator('input[type=file]')
    .setInputFiles(fixture('pinned.quiver.json', JSON.stringify(pinned)));
  await stepNode(page, 'acme.head-1').click();
  await expect(page.getByRole('alert', { name: 'Module not available' })).toContainText(
    'module "acme.head" 0.9.0 (sha256 ffffffff…) is pinned, but the installed one is 1.0.0',
  );
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await expect(stepNode(page, 'acme.head-1').locator('.node-status.failed')).toContainText(
    'refused',
    { timeout: 60_000 },
  );
  // Choosing the installed binary knowingly pins the step to it; then it runs.
  await page.getByRole('button', { name: 'Use installed 1.0.0' }).click();
  await expect(page.getByRole('alert', { name: 'Module not available' })).toBeHidden();
  expect(await runAndRead(page, 'acme.head-1')).toEqual(viaUrl);

  // The same pipeline with the built-in limit gives the same rows.
  await newPipeline(page, 'built-in');
  await addAfterSource(page, 'Limit rows', 'limit-1');
  expect(await runAndRead(page, 'limit-1')).toEqual(viaUrl);
});
