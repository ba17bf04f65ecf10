/**
 * `quiver run --engine spark`: Node prepares, Python executes. The pipeline becomes a plan
 * (`spark-plan.ts`: files, schemas, compiled params), written to a file; then the Spark runner
 * (`python/quiver_spark`, in the virtual environment `.venv-spark/`, set up on first use) runs
 * it with the modules of `public/modules/`. With `--plan <file>` the plan is only written, for
 * `spark-submit` (docs/spark.md). Node only.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../runtime/node-host';
import type { CliCommand, SparkOptions } from './args';
import type { CliIo } from './main';
import { loadPipeline } from './load';
import { buildSparkPlan, type SparkPlan } from './spark-plan';

/** The Python of the runner's virtual environment. */
export const SPARK_PYTHON = resolve(REPO_ROOT, '.venv-spark/bin/python');

type RunCommand = Extract<CliCommand, { command: 'run' }>;

/** Runs `command` on Spark (or writes its plan); resolves with the exit status. */
export async function runOnSpark(
  command: RunCommand,
  spark: SparkOptions,
  io: CliIo,
): Promise<number> {
  let plan: SparkPlan;
  try {
    plan = await planOf(command);
  } catch (error) {
    io.err(`quiver: ${(error as Error).message}`);
    return 2;
  }
  if (spark.planFile !== undefined) {
    await writeFile(spark.planFile, JSON.stringify(plan, null, 1));
    io.out(`Wrote the Spark plan ${spark.planFile} (${plan.steps.length} steps)`);
    return 0;
  }
  if (!ensureEnvironment(io)) return 2;
  const dir = await mkdtemp(join(tmpdir(), 'quiver-spark-'));
  try {
    const planFile = join(dir, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    const args = ['-m', 'quiver_spark', planFile, '--master', spark.master];
    args.push('--modules', resolve(REPO_ROOT, 'public/modules'), '--rows', String(command.rows));
    if (command.output !== undefined) args.push('--output', resolve(command.output));
    return await runPython(args);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The plan of the pipeline file, with --input applied, from the built modules' catalog. */
async function planOf(command: RunCommand): Promise<SparkPlan> {
  const { nodeHost } = await import('../runtime/node-host');
  const doc = await loadPipeline(command.pipeline, command.inputs);
  const host = await nodeHost();
  try {
    return await buildSparkPlan(doc, host);
  } finally {
    host.pool.terminate();
  }
}

/** Runs `npm run spark:setup`'s script when the environment is missing or out of date. */
function ensureEnvironment(io: CliIo): boolean {
  const setup = spawnSync(process.execPath, [resolve(REPO_ROOT, 'scripts/spark-setup.mjs')], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (setup.status === 0 && existsSync(SPARK_PYTHON)) return true;
  io.err('quiver: the Spark environment could not be set up (npm run spark:setup)');
  return false;
}

/** Runs the runner, its output passed through; resolves with its exit status. */
function runPython(args: string[]): Promise<number> {
  const env = { ...process.env, PYTHONPATH: resolve(REPO_ROOT, 'python/quiver_spark') };
  const child = spawn(SPARK_PYTHON, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  return new Promise((done) => {
    child.on('error', () => done(2));
    child.on('exit', (code) => done(code ?? 1));
  });
}
