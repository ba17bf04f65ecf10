/**
 * The Rust and Go kits' `scale` example (examples/modules/<language>/scale), built from source
 * with its real toolchain, installed in the editor from its .wasm and manifest through the
 * install card, added after the csv step of the seattle-weather example, and run: its temp_max
 * column equals DuckDB's `temp_max * 2` over the same CSV. Part of the kits suite, not of
 * `npm test`: `npm run test:kits` runs it (QUIVER_E2E_KITS=1, playwright.config.ts) after
 * scripts/kits.test.ts has built the examples, which are then reused here when up to date. A
 * language whose toolchain is absent fails, naming the missing tool (`.ci/run` installs them).
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import {
  buildKit,
  KITS,
  missingTool,
  scaleDir,
  scaleManifest,
  scaleWasm,
} from '../scripts/kit-build';
import {
  dragConnect,
  duckdb,
  port,
  previewRows,
  SAMPLES_DIR,
  sameValue,
  stepNode,
} from './editor.helpers';

const FACTOR = 2;
const STEP = 'scale-1';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

/** The newest modification time (ms) of the files under `dir`, `build/` and `target/` aside. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'build' || entry.name === 'target') continue;
    const file = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(file) : statSync(file).mtimeMs);
  }
  return newest;
}

/** Whether `wasm` exists and is newer than every file of its kit (the example and its SDK). */
function upToDate(wasm: string, dir: string): boolean {
  try {
    return statSync(wasm).mtimeMs > newestSource(dir);
  } catch {
    return false;
  }
}

/** Adds the installed scale step from the palette, wires csv → it and sets its params. */
async function addScaleAfterCsv(page: Page, grants: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Add Scale a column' }).click();
  await expect(stepNode(page, STEP)).toBeVisible();
  await dragConnect(page, port(page, 'output', 'out', 'csv'), port(page, 'input', 'in', STEP));
  await expect(page.locator('.react-flow__edge')).toHaveCount(6);
  await stepNode(page, STEP).click();
  await page.getByRole('combobox', { name: 'Column', exact: true }).fill('temp_max');
  await page.getByRole('spinbutton', { name: 'Factor' }).fill(String(FACTOR));
  for (const label of grants) {
    await page.getByRole('combobox', { name: `Permission ${label}` }).selectOption('deterministic');
  }
}

for (const kit of KITS.filter((k) => k.language === 'rust' || k.language === 'go')) {
  const missing = missingTool(kit);
  test(`the ${kit.label} kit has its toolchain on this machine`, () => {
    expect(missing, `${kit.label} toolchain missing: ${missing ?? ''}`).toBeUndefined();
  });

  test.describe(`the ${kit.label} kit's scale`, () => {
    test.skip(missing !== undefined, `${kit.label} toolchain missing: ${missing ?? ''}`);

    test.beforeAll(() => {
      test.setTimeout(600_000);
      if (!upToDate(scaleWasm(kit), path.dirname(scaleDir(kit)))) buildKit(kit);
    });

    test('installs from files, runs after csv, and matches DuckDB', async ({ page }) => {
      const wasm = scaleWasm(kit);
      const json = scaleManifest(kit);
      const manifest = JSON.parse(readFileSync(json, 'utf8')) as {
        permissions: { clock?: boolean; random?: boolean };
      };
      await page.goto('/');
      await expect(stepNode(page, 'csv')).toBeVisible();

      await page.getByRole('button', { name: 'Add module…' }).click();
      await page.getByLabel('From files').setInputFiles([wasm, json]);
      const card = page.getByRole('dialog', { name: 'Install module' });
      await expect(card).toContainText('Scale a column');
      await expect(card).toContainText(
        createHash('sha256').update(readFileSync(wasm)).digest('hex'),
      );
      await card.getByText(/Imports of the binary \(\d+\)/).click();
      const imports = card.getByRole('list', { name: 'Imports' });
      // Both read and write their batches through WASI files; Go's runtime also asks WASI for
      // time and random bytes at start-up, which its manifest declares.
      await expect(imports).toContainText('wasi_snapshot_preview1.fd_read');
      for (const call of ['clock_time_get', 'random_get']) {
        const has = expect(imports);
        await (kit.language === 'go' ? has : has.not).toContainText(
          `wasi_snapshot_preview1.${call}`,
        );
      }
      if (kit.language === 'go')
        expect(manifest.permissions).toEqual({ clock: true, random: true });
      await card.getByRole('button', { name: 'Install' }).click();
      await expect(card).toBeHidden();

      const grants = [
        ...(manifest.permissions.clock ? ['Clock'] : []),
        ...(manifest.permissions.random ? ['Randomness'] : []),
      ];
      await addScaleAfterCsv(page, grants);
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(stepNode(page, STEP)).toContainText('1,461 rows', { timeout: 60_000 });
      await stepNode(page, STEP).click();
      const got = await previewRows(page, STEP);

      const header = got[0]!;
      const at = header.indexOf('temp_max');
      expect(at, `temp_max in ${header.join(', ')}`).toBeGreaterThanOrEqual(0);
      const want = await duckdb(
        `select temp_max * ${FACTOR} as temp_max
         from read_csv('${SAMPLES_DIR}/seattle-weather.csv')`,
      );
      const rows = got.slice(1);
      expect(rows.length).toBeGreaterThan(5);
      rows.forEach((row, i) => {
        expect(sameValue(row[at]!, want[i]!.temp_max), `row ${i}: ${row[at]}`).toBe(true);
      });
    });
  });
}
