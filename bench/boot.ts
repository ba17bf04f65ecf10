/**
 * The editor's start-up, two builds compared: `npx tsx bench/boot.ts <distA> <distB>` (e.g. the
 * build of main and the build of a branch, each made with QUIVER_OUT_DIR=<dir> npx vite build).
 * In Debian's headless Chromium, alternating A B A B BENCH_ROUNDS times (default 10), each in a
 * fresh context (no service worker, empty storage, so the first-visit path: the seattle-weather
 * example opens), it measures
 *   - boot: navigation → the toolbar's Pipelines button (as bench/browser.ts's "boot"), then
 *     the step nodes on the canvas;
 *   - first click: at once after boot, a click on the first step: pointerdown → the frame
 *     showing its parameters form (page clock; the inspector's code may still be on its way if
 *     it is loaded lazily), and how often a loading fallback showed meanwhile;
 *   - later click: one second later, the same on the second step.
 * Prints medians and B ÷ A ratios with the machine's load average.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { newBenchContext } from './browser/context';
import { serveStatic, type StaticServer } from './browser/server';
import { formatTable, loadAverage, median, ms } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);

/** One page's figures, ms: boot on the Node side's clock, clicks on the page's. */
interface BootTimes {
  toolbarMs: number;
  canvasMs: number;
  firstClickMs: number;
  laterClickMs: number;
  /** How many of the two clicks showed the inspector's loading fallback. */
  fallbacks: number;
}

/**
 * Clicks the `n`th step node; resolves with the ms (page clock) from the click's pointerdown to
 * the frame that shows its parameters form, and whether a loading fallback showed meanwhile.
 */
async function clickStep(page: Page, n: number): Promise<{ ms: number; fallback: boolean }> {
  await page.evaluate(() => {
    const form = '.inspector section[aria-label="Parameters"] form';
    const w = window as unknown as { clickTimes: Promise<{ ms: number; fallback: boolean }> };
    w.clickTimes = new Promise((done) => {
      let down = NaN;
      let fallback = false;
      addEventListener('pointerdown', () => (down = performance.now()), {
        capture: true,
        once: true,
      });
      const observer = new MutationObserver(() => {
        fallback ||= document.querySelector('.inspector[aria-busy]') !== null;
        if (!document.querySelector(form)) return;
        observer.disconnect();
        requestAnimationFrame(() => done({ ms: performance.now() - down, fallback }));
      });
      observer.observe(document.body, { subtree: true, childList: true, attributes: true });
    });
  });
  await page.locator('.react-flow__node').nth(n).click();
  return page.evaluate(
    () =>
      (window as unknown as { clickTimes: Promise<{ ms: number; fallback: boolean }> }).clickTimes,
  );
}

async function bootOnce(browser: Browser, origin: string): Promise<BootTimes> {
  const context = await newBenchContext(browser, {
    serviceWorkers: 'block',
    viewport: { width: 1280, height: 800 },
  });
  try {
    const page = await context.newPage();
    const t0 = performance.now();
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'Pipelines' }).waitFor();
    const toolbarMs = performance.now() - t0;
    await page.locator('.react-flow__node').first().waitFor();
    const canvasMs = performance.now() - t0;
    const first = await clickStep(page, 0);
    await page.waitForTimeout(1000);
    const later = await clickStep(page, 1);
    return {
      toolbarMs,
      canvasMs,
      firstClickMs: first.ms,
      laterClickMs: later.ms,
      fallbacks: Number(first.fallback) + Number(later.fallback),
    };
  } finally {
    await context.close();
  }
}

const dists = process.argv.slice(2, 4).map((d) => resolve(d));
if (dists.length !== 2 || !dists.every((d) => existsSync(resolve(d, 'index.html')))) {
  console.error('usage: npx tsx bench/boot.ts <distA> <distB> (two vite builds with index.html)');
  process.exit(2);
}
const servers: StaticServer[] = [];
for (const d of dists) servers.push(await serveStatic({ '/': d }));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
try {
  const times: BootTimes[][] = [[], []];
  // One unrecorded page each first: Chromium's own start-up costs land on no build.
  for (const s of servers) await bootOnce(browser, s.origin);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, s] of servers.entries()) times[i]?.push(await bootOnce(browser, s.origin));
  }
  const keys = ['toolbarMs', 'canvasMs', 'firstClickMs', 'laterClickMs'] as const;
  const [a, b] = times.map((list) => keys.map((k) => median(list.map((t) => t[k]))));
  const rows = keys.map((k, i) => {
    const [x, y] = [a?.[i] ?? NaN, b?.[i] ?? NaN];
    return [k.replace('Ms', ''), ms(x), ms(y), (y / x).toFixed(2)];
  });
  console.log(`A = ${dists[0]}\nB = ${dists[1]}\nMedians of ${ROUNDS} rounds, ms:`);
  console.log(formatTable(['figure', 'A', 'B', 'B ÷ A'], rows));
  const shown = times.map((list) => list.reduce((sum, t) => sum + t.fallbacks, 0));
  console.log(`clicks that showed a loading fallback: A ${shown[0]}, B ${shown[1]}`);
} finally {
  await browser.close();
  for (const s of servers) await s.close();
}
console.log(loadAverage());
