/**
 * `npx tsx bench/wasm-code-cache.ts`: would compiling modules through Cache Storage (so that
 * V8's code cache serves later app starts) beat `WebAssembly.compile`, which the runtime uses
 * (`src/modules/compile-cache.ts`, once per module per session)? For three sizes of module (a
 * built-in step, QuickJS, parquet-wasm) each app start (a new browser process on one
 * persistent profile, as a user reopening the app) compiles each module once, either (A)
 * `WebAssembly.compile(bytes)` or (B) `compileStreaming` of the bytes stored in Cache Storage
 * under their sha256, alternating A/B by start. Prints per-start times and the ratio of
 * medians, B's first start (which fills the cache) left out. Measured (load 21-29): B was not
 * faster (1.0-3.4× A), and a built-in compiles in 1-25 ms, so the runtime keeps A.
 * Serves the build in QUIVER_OUT_DIR (default dist/; build it first).
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../src/runtime/node-host';
import { serveStatic } from './browser/server';
import { formatTable, loadAverage, median, ratio } from './lib';

const OUT_DIR = resolve(REPO_ROOT, process.env.QUIVER_OUT_DIR ?? 'dist');
const STARTS = Number(process.env.BENCH_STARTS ?? 4);

/**
 * The time (ms) of the first compile of one module in a fresh browser process: plain, or
 * through Cache Storage. Only one compile per process, since V8 also shares a module compiled
 * from the same bytes within a process, which would hide the cost of a second method.
 */
async function measure(page: import('playwright-core').Page, path: string, viaCache: boolean) {
  return page.evaluate(
    async ({ path, viaCache }) => {
      const bytes = new Uint8Array(await (await fetch(path)).arrayBuffer());
      const t = performance.now();
      if (!viaCache) {
        await WebAssembly.compile(bytes);
        return { ms: performance.now() - t, bytes: bytes.length };
      }
      const digest = await crypto.subtle.digest('SHA-256', bytes);
      const hash = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      const url = new URL(`wasm-code/${hash}.wasm`, location.href).href;
      const cache = await caches.open('quiver-wasm-code-v1');
      let response = await cache.match(url);
      if (!response) {
        const headers = { 'Content-Type': 'application/wasm' };
        await cache.put(url, new Response(bytes, { headers }));
        response = (await cache.match(url))!;
      }
      await WebAssembly.compileStreaming(response);
      return { ms: performance.now() - t, bytes: bytes.length };
    },
    { path, viaCache },
  );
}

async function main(): Promise<void> {
  const server = await serveStatic({ '/': OUT_DIR });
  const profile = mkdtempSync(join(tmpdir(), 'quiver-code-cache-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      serviceWorkers: 'block',
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
    });
  // QuickJS (~0.5 MB) and parquet-wasm (~5 MB) stand in for bigger installed modules.
  const assets = readdirSync(resolve(OUT_DIR, 'assets')).filter(
    (f) => f.endsWith('.wasm') && !f.startsWith('duckdb'),
  );
  const modules = ['/modules/filter.wasm', ...assets.map((f) => `/assets/${f}`)];
  const times = new Map<string, { plain: number[]; cached: number[]; bytes: number }>();
  // Starts alternate: plain, Cache Storage, plain, … (the first Cache Storage start fills it).
  for (let start = 0; start < 2 * STARTS; start++) {
    const viaCache = start % 2 === 1;
    const context = await launch();
    const page = await context.newPage();
    await page.goto(`${server.origin}/`);
    for (const path of modules) {
      const r = await measure(page, path, viaCache);
      const entry = times.get(path) ?? { plain: [], cached: [], bytes: r.bytes };
      (viaCache ? entry.cached : entry.plain).push(r.ms);
      times.set(path, entry);
    }
    // V8 writes a module's code cache after it has tiered up (or after a timeout): give it time.
    await page.waitForTimeout(3000);
    await context.close();
  }
  const rows = [...times].map(([path, t]) => {
    const later = t.cached.slice(1);
    return [
      path.split('/').pop() ?? path,
      `${(t.bytes / 1024).toFixed(0)} KiB`,
      t.plain.map((x) => x.toFixed(1)).join(' '),
      t.cached.map((x) => x.toFixed(1)).join(' '),
      ratio(median(later), median(t.plain)),
    ];
  });
  console.log(`load average: ${loadAverage()}`);
  console.log(
    formatTable(
      ['module', 'size', 'A: compile, ms per start', 'B: via Cache Storage, ms', 'B (starts 2+)/A'],
      rows,
    ),
  );
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

await main();
