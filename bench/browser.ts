/**
 * `npm run bench:browser`: the three examples in the built editor (A) and the same SQL in
 * DuckDB-Wasm (B), in Debian's headless Chromium, alternating A B A B BENCH_ROUNDS times
 * (default 3), each in a fresh browser context; prints medians and ratios with the load average.
 *
 * The production build goes to QUIVER_OUT_DIR (default dist/), as for the e2e tests; pass
 * `--reuse-build` to serve the one already there, `--warm-only` to time only the warm loop and
 * the live previews. One local server serves the build at `/`, the DuckDB-Wasm page (bundled
 * by esbuild into a temporary directory) at `/duckdb/`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { EXAMPLES, type ExampleName } from '../src/runtime/examples-oracle';
import { REPO_ROOT } from '../src/runtime/node-host';
import { bundleDuckdbPage, duckdbJob, runDuckdb } from './browser/duckdb';
import type { DuckdbTimes } from './browser/duckdb-job';
import {
  livePreviewInEditor,
  runInEditor,
  warmLoopInEditor,
  warmRunsInEditor,
  type EditorTimes,
  type WarmLoopTimes,
} from './browser/editor';
import { serveStatic } from './browser/server';
import { LIVE_PREVIEW_DEBOUNCE_MS } from '../src/editor/livePreview';
import { tempDir } from './data';
import { exampleDoc, formatTable, loadAverage, median, ms, ratio } from './lib';
import { overheadDoc } from './pipelines';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_ONLY = process.argv.includes('--warm-only');
const OUT_DIR = resolve(REPO_ROOT, process.env.QUIVER_OUT_DIR ?? 'dist');
const DUCKDB_WASM_DIR = join(REPO_ROOT, 'node_modules/@duckdb/duckdb-wasm');
const DUCKDB_WASM_VERSION = (
  JSON.parse(readFileSync(join(DUCKDB_WASM_DIR, 'package.json'), 'utf8')) as { version: string }
).version;

/** Debian's Chromium, quiet: no sandbox (containers), no GPU, no background traffic. */
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

async function ensureBuild(): Promise<void> {
  if (process.argv.includes('--reuse-build') && existsSync(join(OUT_DIR, 'index.html'))) {
    console.log(`Reusing the build in ${OUT_DIR}`);
    return;
  }
  console.log(`Building the editor into ${OUT_DIR} ...`);
  await build({ root: REPO_ROOT, logLevel: 'warn', build: { outDir: OUT_DIR, emptyOutDir: true } });
}

/** Medians of one example's rounds, as a table row and per-step lines. */
function report(name: ExampleName, editor: EditorTimes[], duck: DuckdbTimes[]): unknown[] {
  const m = <T>(list: T[], pick: (t: T) => number) => median(list.map(pick));
  const [e1, e2] = [m(editor, (t) => t.firstMs), m(editor, (t) => t.secondMs)];
  const [d1, d2, dl] = [
    m(duck, (t) => t.firstMs),
    m(duck, (t) => t.secondMs),
    m(duck, (t) => t.loadedMs),
  ];
  const steps = Object.keys(editor[0]?.stepMs ?? {})
    .map((id) => `${id} ${m(editor, (t) => t.stepMs[id] ?? NaN)}`)
    .join(', ');
  console.log(`${name}: editor steps as shown after the second run (median ms): ${steps}`);
  console.log(`${name}: step-output cache in OPFS after the runs: ${editor[0]?.cacheBytes} bytes`);
  const [editorRows, duckRows] = [editor[0]?.rows, duck[0]?.rows];
  if (editorRows !== duckRows)
    console.log(`  ! result rows differ: editor ${editorRows}, DuckDB-Wasm ${duckRows}`);
  return [
    name,
    Math.round(m(editor, (t) => t.bootMs)),
    Math.round(e1),
    Math.round(e2),
    Math.round(m(duck, (t) => t.openMs)),
    ms(d1),
    ms(d2),
    ms(dl),
    ratio(e1, d1),
    ratio(e2, d2),
    ratio(e2, dl),
  ];
}

/**
 * flights-by-origin's analyst loop (issue 9): the filter's threshold changed and Run again, vs
 * DuckDB-Wasm's query over its loaded table (the `duck loaded` of the same round); a Run with
 * nothing changed; a reload until every status is back.
 */
async function warmLoop(): Promise<void> {
  const name: ExampleName = 'flights-by-origin';
  const doc = exampleDoc(name);
  const job = duckdbJob(name, tmp.path);
  const loops: WarmLoopTimes[] = [];
  const duck: DuckdbTimes[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    loops.push(await warmLoopInEditor(browser, server.origin, doc, 'filter', 'distance > 600'));
    duck.push(await runDuckdb(browser, server.origin, job));
  }
  const m = <T>(list: T[], pick: (t: T) => number) => median(list.map(pick));
  const [changed, unchanged, reload, preview] = [
    m(loops, (t) => t.changedMs),
    m(loops, (t) => t.unchangedMs),
    m(loops, (t) => t.reloadMs),
    m(loops, (t) => t.previewMs),
  ];
  const loaded = m(duck, (t) => t.loadedMs);
  console.log(
    `\nWarm loop, ${name}, medians of ${ROUNDS} rounds:` +
      `\n  filter threshold changed, Run: ${ms(changed)} ms; DuckDB-Wasm over its loaded table: ${ms(loaded)} ms; ratio ${ratio(changed, loaded)} (target ≤ 0.5)` +
      `\n  Run with nothing changed: ${ms(unchanged)} ms (target ≤ 20)` +
      `\n  reload to every status shown: ${ms(reload)} ms (target ≤ 1000)` +
      `\n  filter edited, live preview shown (3M-row cached input, the editor's debounce included): ${ms(preview)} ms,` +
      ` ${ms(preview - LIVE_PREVIEW_DEBOUNCE_MS)} ms after the quiet time (target ≤ 100, on a sample)`,
  );
}

/**
 * Edit → live preview shown on an example whose cached input is small (seattle-weather: 1,461
 * rows into its filter), beside the 3M-row figure of {@link warmLoop}; target 100 ms after the
 * editor's quiet time.
 */
async function smallLivePreview(): Promise<void> {
  const doc = exampleDoc('seattle-weather');
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++)
    times.push(
      await livePreviewInEditor(
        browser,
        server.origin,
        doc,
        'filter',
        'Expression',
        'temp_max > 20',
      ),
    );
  const preview = median(times);
  console.log(
    `\nLive preview, seattle-weather (1,461 cached rows into the filter), median of ${ROUNDS}:` +
      ` filter edited → preview shown ${ms(preview)} ms, ${ms(preview - LIVE_PREVIEW_DEBOUNCE_MS)}` +
      ` ms after the editor's quiet time of ${LIVE_PREVIEW_DEBOUNCE_MS} ms (target ≤ 100)`,
  );
}

/** The examples' table of medians and ratios. */
function printExamples(rows: unknown[][]): void {
  console.log(
    `\nMedians of ${ROUNDS} rounds, ms (A = editor, B = DuckDB-Wasm ${DUCKDB_WASM_VERSION}; each in a fresh page).` +
      '\nboot: to the toolbar; open: DuckDB-Wasm instantiate + connect; 1st: fetch + scan (or' +
      ' load an Arrow stream) + query; 2nd: the query again; loaded: over a table in memory.',
  );
  console.log(
    formatTable(
      [
        'example',
        'boot',
        'editor 1st',
        'editor 2nd',
        'duck open',
        'duck 1st',
        'duck 2nd',
        'duck loaded',
        '1st ÷ 1st',
        '2nd ÷ 2nd',
        '2nd ÷ loaded',
      ],
      rows,
    ),
  );
}

/** bench:overhead's pipeline in the editor: warm runs of 1,461 rows through many steps. */
async function overhead(): Promise<void> {
  const doc = overheadDoc();
  const warm = await warmRunsInEditor(browser, server.origin, doc, 3, 10);
  const run = median(warm);
  console.log(
    `\nOverhead in the editor: ${doc.steps.length} steps on 1,461 rows (bench:overhead's` +
      ` pipeline), median of 10 warm runs: ${ms(run)} ms, ${ms(run / doc.steps.length)} ms per step`,
  );
}

console.log(`Browser bench, ${loadAverage()}`);
await ensureBuild();
const tmp = tempDir('browser');
const server = await serveStatic({
  '/': OUT_DIR,
  '/duckdb/': tmp.path,
  '/bench-data/': tmp.path,
  '/duckdb-dist/': join(DUCKDB_WASM_DIR, 'dist'),
});
const browser = await chromium.launch(CHROMIUM);
try {
  await bundleDuckdbPage(tmp.path);
  const rows: unknown[][] = [];
  for (const name of WARM_ONLY ? [] : EXAMPLES) {
    const doc = exampleDoc(name);
    const job = duckdbJob(name, tmp.path);
    const editor: EditorTimes[] = [];
    const duck: DuckdbTimes[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      editor.push(await runInEditor(browser, server.origin, doc));
      duck.push(await runDuckdb(browser, server.origin, job));
    }
    rows.push(report(name, editor, duck));
  }
  if (!WARM_ONLY) printExamples(rows);
  await warmLoop();
  await smallLivePreview();
  if (!WARM_ONLY) await overhead();
} finally {
  await browser.close();
  await server.close();
  tmp.remove();
}
console.log(`\n${loadAverage()}`);
