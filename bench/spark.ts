/**
 * `npm run bench:spark`: flights-by-origin (3M rows of Parquet) with the CLI's local engine and
 * on Spark local[1] and local[2] (python/quiver_spark, one child process each), alternating the
 * three BENCH_ROUNDS times (default 2). Prints the medians of the CLI's run time, Spark's
 * start-up (SparkSession to ready) and run time (plan built to result collected), and the ratios
 * Spark ÷ CLI. Needs `npm run spark:setup`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SPARK_PYTHON } from '../src/cli/spark';
import { REPO_ROOT } from '../src/runtime/node-host';
import { formatTable, loadAverage, median, ratio } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const EXAMPLE = 'examples/flights-by-origin.quiver.json';
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'quiver-bench-spark-'));
const plan = join(dir, 'plan.json');

/** The CLI's own "Total N ms" (the run, without Node's start-up). */
async function cliMs(): Promise<number> {
  const { stdout } = await run(process.execPath, ['bin/quiver.mjs', 'run', EXAMPLE], {
    cwd: REPO_ROOT,
  });
  const total = /^Total (\d+) ms/m.exec(stdout);
  if (!total) throw new Error(`no total in the CLI's output:\n${stdout}`);
  return Number(total[1]);
}

/** Spark's start-up and run ms on `master`, from the runner's --report. */
async function sparkMs(master: string): Promise<{ startupMs: number; runMs: number }> {
  const report = join(dir, 'report.json');
  await run(
    SPARK_PYTHON,
    ['-m', 'quiver_spark', plan, '--master', master, '--modules', 'public/modules'].concat([
      '--report',
      report,
    ]),
    { cwd: REPO_ROOT, env: { ...process.env, PYTHONPATH: 'python/quiver_spark' } },
  );
  return JSON.parse(readFileSync(report, 'utf8')) as { startupMs: number; runMs: number };
}

console.log(`Spark bench, ${loadAverage()}`);
await run(
  process.execPath,
  ['bin/quiver.mjs', 'run', EXAMPLE, '--engine', 'spark', '--plan', plan],
  {
    cwd: REPO_ROOT,
  },
);
const cli: number[] = [];
const spark: Record<string, { startup: number[]; run: number[] }> = {
  'local[1]': { startup: [], run: [] },
  'local[2]': { startup: [], run: [] },
};
for (let round = 0; round < ROUNDS; round++) {
  cli.push(await cliMs());
  for (const [master, times] of Object.entries(spark)) {
    const r = await sparkMs(master);
    times.startup.push(r.startupMs);
    times.run.push(r.runMs);
  }
}
const cliMedian = median(cli);
const rows: (string | number)[][] = [['CLI (local engine)', '', cliMedian, '1.0×']];
for (const [master, times] of Object.entries(spark)) {
  const runMedian = median(times.run);
  rows.push([`Spark ${master}`, median(times.startup), runMedian, ratio(runMedian, cliMedian)]);
}
console.log(formatTable(['engine', 'start-up ms', 'run ms', 'run ÷ CLI'], rows));
rmSync(dir, { recursive: true, force: true });
