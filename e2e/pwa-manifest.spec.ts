import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { MAIN_DIST } from './helpers/servers';
import { precacheFiles, waitForServiceWorkerControl } from './helpers/pwa';

interface Icon {
  src: string;
  sizes: string;
  type: string;
  purpose?: string;
}

/** Width and height from a PNG's IHDR chunk (PNG spec §11.2.2), read independently of the build. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (!bytes.subarray(0, 8).equals(signature)) throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

test('the web app manifest is linked, complete, and its icons are reachable at their sizes', async ({
  page,
  request,
}) => {
  await page.goto('/');
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBe('/manifest.webmanifest');
  const res = await request.get(href as string);
  expect(res.ok()).toBe(true);
  const m = await res.json();

  expect(m.name).toContain('Quiver');
  expect(m.short_name).toBe('Quiver');
  expect(m.description.length).toBeGreaterThan(20);
  expect(m.display).toBe('standalone');
  expect(m.start_url).toBe('/');
  expect(m.scope).toBe('/');
  expect(m.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  expect(await page.locator('meta[name="theme-color"]').getAttribute('content')).toBe(
    m.theme_color,
  );

  const icons = m.icons as Icon[];
  const want = [
    { sizes: '192x192', purpose: 'any' },
    { sizes: '512x512', purpose: 'any' },
    { sizes: '512x512', purpose: 'maskable' },
  ];
  for (const w of want) {
    expect(icons.some((i) => i.sizes === w.sizes && (i.purpose ?? 'any') === w.purpose)).toBe(true);
  }
  for (const icon of icons) {
    const body = await request.get(icon.src);
    expect(body.ok(), icon.src).toBe(true);
    expect(body.headers()['content-type']).toBe(icon.type);
    const [w, h] = icon.sizes.split('x').map(Number);
    expect(pngSize(await body.body()), icon.src).toEqual({ width: w, height: h });
  }

  expect(m.shortcuts.map((s: { url: string }) => s.url)).toEqual([
    '/?action=new',
    '/?action=examples',
  ]);
  const accepted = Object.values(m.file_handlers[0].accept as Record<string, string[]>).flat();
  expect(accepted.sort()).toEqual(['.arrow', '.csv', '.parquet', '.quiver.json', '.tsv']);
  expect(m.share_target).toMatchObject({
    action: '/share-target',
    method: 'POST',
    enctype: 'multipart/form-data',
    params: { files: [{ name: 'files' }] },
  });
});

test('the service worker controls the page after a reload', async ({ page }) => {
  await page.goto('/');
  await waitForServiceWorkerControl(page);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toMatch(
    /\/sw\.js$/,
  );
});

test('the precache holds every built-in module and sample (none dropped for size)', () => {
  const urls = new Set(precacheFiles(MAIN_DIST).map((f) => f.url));
  // Every file the module build wrote (public/modules/*.wasm, *.json incl. index.json).
  const moduleFiles = readdirSync(path.join(MAIN_DIST, 'modules'));
  expect(moduleFiles).toContain('index.json');
  for (const f of moduleFiles) expect(urls, f).toContain(`modules/${f}`);
  const samples = JSON.parse(
    readFileSync(path.join(MAIN_DIST, 'samples', 'index.json'), 'utf8'),
  ) as { file: string }[];
  for (const s of samples) expect(urls, s.file).toContain(`samples/${s.file}`);
  expect(urls).toContain('samples/flights-3m.parquet');
  expect(urls).toContain('index.html');
  // Every script (app and worker chunks) and every WebAssembly file anywhere in the build.
  const built = readdirSync(MAIN_DIST, { recursive: true, encoding: 'utf8' }).map((f) =>
    f.split(path.sep).join('/'),
  );
  const needed = built.filter((f) => /\.(js|wasm)$/.test(f) && f !== 'sw.js');
  expect(needed.length).toBeGreaterThan(0);
  for (const f of needed) expect(urls, f).toContain(f);
});
