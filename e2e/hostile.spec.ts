/**
 * Issue 10, item 4, in the editor: each hostile module (test-fixtures/hostile) fails its own
 * step with a message in words while the sibling branch finishes, the page keeps answering,
 * and the browser's memory comes back once the step's worker is gone.
 *
 * How the modules get in: a few representative fixtures (and the storage fixture) are installed
 * the way a user does — "Add module…", the file chooser, the install card, IndexedDB — and the
 * fixtures the card refuses (not WebAssembly, an import nobody granted) are refused there. To
 * keep the suite quick, the rest are served beside the built-in modules (Playwright routes
 * answer `/modules/index.json` and `/modules/<id>.json|.wasm`) and go through the same catalog,
 * compile, import check and run, without the card.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { HOSTILE_MODULES, NOTES_MODULE, writeModules } from '../test-fixtures/hostile/build';
import { guestDocument } from '../src/cli/hostile.testkit';
import { stepNode } from './editor.helpers';
import { chooseModuleFiles, fileSha256, installThroughCard } from './helpers/install';
import { traceMainThread } from './helpers/mainThread';
import { browserRssBytes } from './helpers/memory';

test.use({ serviceWorkers: 'block', viewport: { width: 1400, height: 900 } });

const MODULES = [...HOSTILE_MODULES, NOTES_MODULE];
const dir = mkdtempSync(path.join(tmpdir(), 'quiver-hostile-e2e-'));
writeModules(dir, MODULES);

/** What each hostile step shows on its node (the same messages as the CLI test). */
const EXPECTED: Record<string, RegExp> = {
  'hostile-loop': /timed out after 1500 ms/,
  'hostile-grow': /memory limit of 64 MiB exceeded/,
  'hostile-trap': /trap: unreachable — the module reached code it marks as impossible/,
  'hostile-fail': /error: column 'price' is missing from the input \(exited with code 3\)/,
  'hostile-garbage': /\/out\/out\.arrow is not an Arrow IPC stream: /,
  'hostile-bigout': /output exceeded 64 MiB in one run/,
  'hostile-escape': /error: all 14 escapes were refused \(exited with code 1\)/,
  'hostile-recurse': /stack overflow: the module called itself too deeply/,
  'hostile-entropy': /"wasi_snapshot_preview1"\."random_get"/,
  'hostile-silent': /the module did not write \/out\/out\.arrow/,
  'hostile-liar': /the module did not write \/out\/summary\.arrow/,
  'hostile-notwasm': /not a WebAssembly module|expected magic word/,
};

/** Fixtures installed through the install card (one of each kind of failure: time, trap, log). */
const THROUGH_CARD = new Set(['hostile-loop', 'hostile-trap', 'hostile-logflood']);

/** The fixture's `.wasm` and `.json`, as a user would choose them. */
const filesOf = (id: string) => [path.join(dir, `${id}.wasm`), path.join(dir, `${id}.json`)];

/** Installs fixture `id` through "Add module…" and the install card. */
async function install(page: Page, id: string): Promise<void> {
  const files = filesOf(id);
  await installThroughCard(page, files, fileSha256(files[0]!));
}

/** Serves the fixture modules beside the built-ins, all but those in `except`. */
async function serveFixtures(page: Page, except: readonly string[] = []): Promise<void> {
  const served = MODULES.filter((m) => !except.includes(m.id));
  await page.route('**/modules/index.json', async (route) => {
    const response = await route.fetch();
    const ids = (await response.json()) as string[];
    await route.fulfill({ response, json: [...ids, ...served.map((m) => m.id)] });
  });
  for (const module of served) {
    for (const ext of ['json', 'wasm']) {
      await page.route(`**/modules/${module.id}.${ext}`, (route) =>
        route.fulfill({
          body: readFileSync(path.join(dir, `${module.id}.${ext}`)),
          contentType: ext === 'json' ? 'application/json' : 'application/wasm',
        }),
      );
    }
  }
}

/** Opens the guest pipeline of `moduleId` through the Pipelines dialog's import. */
async function openGuest(page: Page, moduleId: string, storage = 'none'): Promise<void> {
  const doc = guestDocument(moduleId, {
    storage: storage as 'none',
    clock: 'none',
    random: 'none',
  });
  await page.getByRole('button', { name: 'Pipelines' }).click();
  await page.getByLabel('Pipeline file').setInputFiles({
    name: `${moduleId}.quiver.json`,
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(doc)),
  });
  await expect(stepNode(page, 'guest')).toBeVisible();
}

/** Rows of seattle-weather.csv with temp_max > 15 (the sibling's oracle, in plain JS). */
function warmDays(): number {
  const lines = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n');
  const col = lines[0]?.split(',').indexOf('temp_max') ?? -1;
  return lines.slice(1).filter((line) => Number(line.split(',')[col]) > 15).length;
}

/**
 * Runs the open pipeline and, until both the guest and the sibling have settled (and for at
 * least 40 answers), measures the page's answer time (a `page.evaluate` round trip, every
 * 25 ms), its main thread's tasks (`helpers/mainThread.ts`) and the browser's memory.
 */
async function runWatching(page: Page) {
  const answers: number[] = [];
  let peakBytes = 0;
  // Long tasks: what the page's own main thread spent without answering (over 50 ms each).
  await page.evaluate(() => {
    const w = window as unknown as { longTasksMs: number[] };
    w.longTasksMs = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.longTasksMs.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
  const stopTrace = await traceMainThread(page);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  const settled = async () =>
    (await stepNode(page, 'guest').locator('.node-status.failed, .node-status.done').count()) > 0 &&
    (await stepNode(page, 'warm').locator('.node-status.done').count()) > 0;
  const deadline = Date.now() + 90_000;
  // At least 40 answers (about 2 s), so that one slow answer is a percentile, not the whole.
  while ((answers.length < 40 || !(await settled())) && Date.now() < deadline) {
    const t0 = performance.now();
    await page.evaluate(() => 0);
    answers.push(performance.now() - t0);
    peakBytes = Math.max(peakBytes, browserRssBytes());
    await page.waitForTimeout(25);
  }
  const main = await stopTrace();
  answers.sort((a, b) => a - b);
  const p95Ms = answers[Math.floor(answers.length * 0.95)] ?? 0;
  const longTasksMs = await page.evaluate(
    () => (window as unknown as { longTasksMs: number[] }).longTasksMs,
  );
  const longestTaskMs = Math.max(0, ...longTasksMs);
  const blockedMs = longTasksMs.reduce((sum, ms) => sum + ms, 0);
  const slowestMs = answers[answers.length - 1] ?? 0;
  return { slowestMs, p95Ms, longestTaskMs, blockedMs, peakBytes, main };
}

const MiB = 1024 * 1024;

for (const module of HOSTILE_MODULES) {
  test(`${module.what}: ${module.id} fails alone in the editor`, async ({ page }, testInfo) => {
    test.setTimeout(150_000);
    const viaCard = THROUGH_CARD.has(module.id);
    await serveFixtures(page, viaCard ? [module.id] : []);
    await page.goto('/');
    if (viaCard) await install(page, module.id);
    // The peer, measured the same way just before: a well-behaved module in the same pipeline
    // (notes without its storage grant passes its input through).
    await openGuest(page, 'notes');
    const peer = await runWatching(page);
    await expect(stepNode(page, 'guest').locator('.node-status.done')).toContainText('1,461 rows');
    await openGuest(page, module.id);
    const before = browserRssBytes();
    const run = await runWatching(page);
    const warm = stepNode(page, 'warm').locator('.node-status.done');
    await expect(warm).toContainText(`${warmDays()} rows`);
    const guest = stepNode(page, 'guest');
    if (module.id === 'hostile-logflood') {
      await expect(guest.locator('.node-status.done')).toContainText('1,461 rows');
    } else {
      await expect(guest.locator('.node-status.failed')).toContainText(EXPECTED[module.id] ?? /^$/);
    }
    await page.waitForTimeout(500);
    const after = browserRssBytes();
    const line =
      `${module.id}: main thread blocked ${run.blockedMs.toFixed(0)} ms (peer ` +
      `${peer.blockedMs.toFixed(0)} ms), longest task ${run.longestTaskMs.toFixed(0)} ms; ` +
      `answers p95 ${run.p95Ms.toFixed(1)} ms (peer ${peer.p95Ms.toFixed(1)} ms), slowest ` +
      `${run.slowestMs.toFixed(1)} ms; main thread's longest task ${run.main.longestCpuMs.toFixed(0)} ms ` +
      `of CPU (peer ${peer.main.longestCpuMs.toFixed(0)} ms), ${run.main.longestWallMs.toFixed(0)} ms of ` +
      `wall time; browser RSS before ${(before / MiB).toFixed(0)} MiB, ` +
      `peak ${(run.peakBytes / MiB).toFixed(0)} MiB, after ${(after / MiB).toFixed(0)} MiB`;
    console.log(line);
    testInfo.annotations.push({ type: 'measured', description: line });
    // The page keeps answering: no task of the editor's main thread, in the page's first run
    // (the peer) or in the hostile module's, takes 100 ms of CPU, so input never waits that
    // long for the editor's own work. Wall times are logged, not asserted: on this shared
    // 2-core machine (load 15-35) they mostly measure waits for a core (helpers/mainThread.ts).
    expect(peer.main.longestCpuMs).toBeLessThan(100);
    expect(run.main.longestCpuMs).toBeLessThan(100);
    // Nothing the module does reaches the main thread as work: its long tasks (over 50 ms of
    // wall time) may exceed the peer's by under 3 s, while a flood that reached the main
    // thread (3 million log lines, each a message) would add tens of seconds.
    expect(run.blockedMs - peer.blockedMs).toBeLessThan(3000);
    // Memory returns: a failed step's worker is terminated with everything it held (a finished
    // one goes back to the pool, its heap collected when V8 decides; hence the margin).
    expect(after - before).toBeLessThan(128 * MiB);
  });
}

test('the install card refuses a file that is not WebAssembly and an import nobody granted', async ({
  page,
}) => {
  await serveFixtures(page, ['hostile-notwasm', 'hostile-entropy']);
  await page.goto('/');
  for (const [id, message] of [
    ['hostile-notwasm', /hostile-notwasm\.wasm: not a WebAssembly module/],
    ['hostile-entropy', /refused: .*"wasi_snapshot_preview1"\."random_get"/],
  ] as const) {
    const card = await chooseModuleFiles(page, filesOf(id));
    await expect(card).toContainText(message);
    await expect(card.getByRole('button', { name: 'Install', exact: true })).toHaveCount(
      id === 'hostile-notwasm' ? 0 : 1,
    );
    if (id === 'hostile-entropy') {
      await expect(card.getByRole('button', { name: 'Install', exact: true })).toBeDisabled();
    }
    await card
      .getByRole('button', { name: /Cancel|Close/ })
      .first()
      .click();
    await expect(card).toBeHidden();
  }
});

test('storage granted in the inspector to a module installed through the card: write, reload, read back, clear', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await serveFixtures(page, ['notes']);
  await page.goto('/');
  await install(page, 'notes');
  await openGuest(page, 'notes');
  await stepNode(page, 'guest').click();
  await page.getByRole('combobox', { name: /Permission Storage/ }).selectOption('readwrite');
  const runAndCount = async (rows: number) => {
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(stepNode(page, 'guest').locator('.node-status.done')).toBeVisible({
      timeout: 60_000,
    });
    await stepNode(page, 'guest').click();
    const stored = page.getByRole('list', { name: 'Stored files' });
    await expect(stored).toContainText(`runs.txt ${String(rows).length + 1} B`);
    const count = await page.evaluate(async () => {
      const top = await navigator.storage.getDirectory();
      const dirHandle = await (
        await top.getDirectoryHandle('module-data')
      ).getDirectoryHandle('notes');
      return (await (await dirHandle.getFileHandle('runs.txt')).getFile()).text();
    });
    expect(count).toBe(`${rows}\n`);
  };
  await runAndCount(1);
  // After a reload the module comes from IndexedDB, the grant from the saved pipeline, and the
  // second run reads back what the first stored.
  await page.reload();
  await expect(stepNode(page, 'guest')).toBeVisible();
  await stepNode(page, 'guest').click();
  await expect(page.getByRole('combobox', { name: /Permission Storage/ })).toHaveValue('readwrite');
  await runAndCount(2);
  await page.getByRole('button', { name: 'Clear stored data' }).click();
  await expect(page.getByRole('region', { name: 'Stored data' })).toContainText(
    'This module has stored nothing.',
  );
});
