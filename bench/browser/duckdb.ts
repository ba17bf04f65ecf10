/**
 * The DuckDB-Wasm side of the browser bench, from Node: bundles the page (duckdb-page.ts) with
 * esbuild, turns each example's oracle SQL (src/runtime/examples-oracle.ts) into a job over the
 * same bundled data file, and runs one job in a fresh browser context.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { newBenchContext } from './context';
import type { Browser } from 'playwright-core';
import { exampleSql, type ExampleName } from '../../src/runtime/examples-oracle';
import { REPO_ROOT } from '../../src/runtime/node-host';
import { DATA_DIR } from '../lib';
import type { DuckdbJob, DuckdbTimes } from './duckdb-job';

/** Writes `index.html` and `duckdb-page.js` into `dir` (served under `/duckdb/`). */
export async function bundleDuckdbPage(dir: string): Promise<void> {
  await build({
    entryPoints: [join(REPO_ROOT, 'bench/browser/duckdb-page.ts')],
    bundle: true,
    format: 'esm',
    target: 'es2022',
    outfile: join(dir, 'duckdb-page.js'),
    logLevel: 'warning',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>DuckDB-Wasm bench</title><script type="module" src="duckdb-page.js"></script>',
  );
}

/** `read_csv(...)` or `read_parquet(...)` in an oracle query, options in braces included. */
const READ_CALL = /read_(?:csv|parquet)\((?:[^(){}]|\{[^}]*\})*\)/;

/** The source file of each example (under vega-datasets/data/). */
const EXAMPLE_FILES: Record<ExampleName, string> = {
  'seattle-weather': 'seattle-weather.csv',
  'flights-delay-by-distance': 'flights-200k.arrow',
  'flights-by-origin': 'flights-3m.parquet',
};

/**
 * The job for example `name`. CSV and Parquet files are scanned by the oracle's own query
 * (with the file's path made relative to DuckDB's registered files); flights-200k.arrow is an
 * Arrow IPC file, which DuckDB-Wasm cannot scan, so it is written as an IPC stream into
 * `dataDir` (served under `/bench-data/`) and inserted as a table.
 */
export function duckdbJob(name: ExampleName, dataDir: string): DuckdbJob {
  const sql = exampleSql(name);
  const read = READ_CALL.exec(sql)?.[0];
  if (read === undefined)
    throw new Error(`${name}: no read_csv(...) or read_parquet(...) in the oracle SQL: ${sql}`);
  const file = EXAMPLE_FILES[name];
  const loadedSql = sql.replace(read, 'loaded');
  if (file.endsWith('.arrow')) {
    const stream = tableToIPC(tableFromIPC(readFileSync(join(DATA_DIR, file))), 'stream');
    const fileName = file.replace(/\.arrow$/, '.arrows');
    writeFileSync(join(dataDir, fileName), stream);
    return {
      url: `/bench-data/${fileName}`,
      load: 'arrow-stream',
      fileName,
      sql: loadedSql,
      loadSql: null,
      loadedSql,
    };
  }
  if (!read.includes(`${DATA_DIR}/${file}`))
    throw new Error(`${name}: the oracle SQL does not read ${file}: ${sql}`);
  let scan = read.replace(`${DATA_DIR}/`, '');
  // Native DuckDB detects CSV columns by default; DuckDB-Wasm 1.28 must be asked to.
  if (scan.startsWith('read_csv(') && !/columns\s*=/.test(scan))
    scan = scan.replace(/\)$/, ', auto_detect = true)');
  return {
    url: `/samples/${file}`,
    load: 'file',
    fileName: file,
    sql: sql.replace(read, scan),
    loadSql: `CREATE TABLE loaded AS SELECT * FROM ${scan}`,
    loadedSql,
  };
}

/** Runs `job` in a fresh context on the bench page at `origin`. */
export async function runDuckdb(
  browser: Browser,
  origin: string,
  job: DuckdbJob,
): Promise<DuckdbTimes> {
  const context = await newBenchContext(browser);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/duckdb/`);
    await page.waitForFunction(() => 'duckdbBench' in window);
    return await page.evaluate(
      (j) =>
        (window as unknown as { duckdbBench: (j: DuckdbJob) => Promise<DuckdbTimes> }).duckdbBench(
          j,
        ),
      job,
    );
  } finally {
    await context.close();
  }
}
