/**
 * `npx tsx bench/wasm-code-cache.ts`: what compiling through Cache Storage
 * (`src/modules/wasm-code-cache.ts`) saves on later app starts. For three sizes of module
 * (a built-in step, QuickJS, parquet-wasm) it compiles each, on each of several app starts (a
 * new page in one browser profile), twice: (A) `WebAssembly.compile(bytes)`, what every start
 * did before, and (B) the Cache Storage path (`compileStreaming` of the stored response, the
 * same calls as `compileWithCodeCache`), alternating A/B. Prints per-start times and B/A.
 * Serves the build in QUIVER_OUT_DIR (default dist/; build it first).
 */
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../src/runtime/node-host';
import { serveStatic } from './browser/server';
import { formatTable, loadAverage, median, ratio } from './lib';

const OUT_DIR = resolve(REPO_ROOT, process.env.QUIVER_OUT_DIR ?? 'dist');
const STARTS = Number(process.env.BENCH_STARTS ?? 4);
const ROUNDS = 3;

/** Compile times (ms) of one module in one page: plain, and through Cache Storage. */
async function measure(page: import('playwright-core').Page, path: string) {
  return page.evaluate(
    async ({ path, rounds }) => {
      const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const url = new URL(`wasm-code/${hash}.wasm`, location.href).href;
      const cache = await caches.open('quiver-wasm-code-v1');
      const plain: number[] = [];
      const cached: number[] = [];
      for (let i = 0; i < rounds; i++) {
        let t = performance.now();
        await WebAssembly.compile(bytes);
        plain.push(performance.now() - t);
        t = performance.now();
        let response = await cache.match(url);
        if (!response) {
          await cache.put(
            url,
            new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } }),
          );
          response = (await cache.match(url))!;
        }
        await WebAssembly.compileStreaming(response);
        cached.push(performance.now() - t);
      }
      return { plain, cached, bytes: bytes.length };
    },
    { path, rounds: ROUNDS },
  );
}

async function main(): Promise<void> {
  const server = await serveStatic({ '/': OUT_DIR });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  const context = await browser.newContext({ serviceWorkers: 'block' });
  // QuickJS (~0.5 MB) and parquet-wasm (~5 MB) stand in for bigger installed modules.
  const assets = readdirSync(resolve(OUT_DIR, 'assets')).filter(
    (f) => f.endsWith('.wasm') && !f.startsWith('duckdb'),
  );
  const modules = ['/modules/filter.wasm', ...assets.map((f) => `/assets/${f}`)];
  const rows: (string | number)[][] = [];
  for (let start = 1; start <= STARTS; start++) {
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    for (const path of modules) {
      const r = await measure(page, path);
      const a = median(r.plain);
      const b = median(r.cached);
      rows.push([
        start,
        path.split('/').pop() ?? path,
        `${(r.bytes / 1024).toFixed(0)} KiB`,
        a.toFixed(1),
        b.toFixed(1),
        ratio(b, a),
      ]);
    }
    // V8 writes a module's code cache after it has tiered up (or after a timeout): give it time.
    await page.waitForTimeout(5000);
    await page.close();
  }
  console.log(`load average: ${loadAverage()}`);
  console.log(formatTable(['start', 'module', 'size', 'A compile ms', 'B cache ms', 'B/A'], rows));
  await browser.close();
  await server.close();
}

await main();
