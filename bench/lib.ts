/**
 * Helpers shared by the benches (bench/*.ts): pipeline documents, medians, ratios, units and the
 * machine's load. Benches print figures; none of them asserts a time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parsePipeline } from '../src/pipeline/serialize';
import type { PipelineDocument } from '../src/pipeline/types';
import { nodeHost, REPO_ROOT } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';

export { formatTable } from '../src/cli/table';

/** vega-datasets' data directory (the editor serves the same files as samples). */
export const DATA_DIR = join(REPO_ROOT, 'node_modules/vega-datasets/data');

/** The median of `values` (the upper one of an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** `a / b` to one decimal, e.g. `12.3×`. */
export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(1)}×`;
}

/** Milliseconds rounded to 0.1. */
export function ms(value: number): number {
  return Math.round(value * 10) / 10;
}

/**
 * Megabytes (10^6 bytes) per second of `bytes` moved in `millis` ms, rounded; null (an empty
 * cell) when either is 0, e.g. a step too quick to time or a runtime that reports no bytes.
 */
export function mbPerS(bytes: number, millis: number): number | null {
  return millis > 0 && bytes > 0 ? Math.round(bytes / 1e3 / millis) : null;
}

/** The 1, 5 and 15 minute load averages, for the reader to judge the other figures. */
export function loadAverage(): string {
  const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
  return `load average ${one}, ${five}, ${fifteen} (1, 5, 15 min)`;
}

/** Peak resident memory of this process, worker threads included, in MiB. */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The example `examples/<name>.quiver.json`. */
export function exampleDoc(name: string): PipelineDocument {
  const file = join(REPO_ROOT, 'examples', `${name}.quiver.json`);
  return parsePipeline(readFileSync(file, 'utf8'), { source: file });
}

/** One step of {@link chainDoc}. */
export interface ChainStep {
  id: string;
  moduleId: string;
  params: Record<string, unknown>;
}

/**
 * A pipeline of `steps` each reading the one before: `out` → `in`, except a `csv` step, which
 * reads the source's `bytes`. Every step gets `maxMemoryMiB` (default 2 GiB) and 10 minutes,
 * so limits never decide a bench. Checked by {@link parsePipeline}, as a file would be.
 */
export function chainDoc(
  id: string,
  steps: readonly ChainStep[],
  maxMemoryMiB = 2048,
): PipelineDocument {
  const doc = {
    format: 'quiver-pipeline',
    version: 3,
    id,
    name: id,
    steps: steps.map((s, i) => ({
      ...s,
      permissions: { storage: 'none', clock: 'none', random: 'none' },
      limits: { timeoutMs: 600_000, maxMemoryMiB },
      position: { x: 250 * i, y: 0 },
    })),
    edges: steps.slice(1).map((to, i) => {
      const from = steps[i] as ChainStep;
      const csv = to.moduleId === 'csv';
      return {
        id: `${from.id}-${to.id}`,
        from: { step: from.id, port: csv ? 'bytes' : 'out' },
        to: { step: to.id, port: csv ? 'csv' : 'in' },
      };
    }),
  };
  return parsePipeline(JSON.stringify(doc), { source: `bench pipeline ${id}` });
}

/** Throws with each step's status when `result` is not a complete run. */
export function assertOk(name: string, result: RunResult): void {
  if (result.ok) return;
  const why = Object.values(result.steps)
    .map((s) => `${s.stepId}: ${s.status}${s.message ? ` (${s.message})` : ''}`)
    .join('; ');
  throw new Error(`${name}: the pipeline did not finish: ${why}`);
}

/** Rows out of the steps nothing reads from (the pipeline's result). */
export function resultRows(doc: PipelineDocument, result: RunResult): number {
  const feeding = new Set(doc.edges.map((e) => e.from.step));
  return doc.steps
    .filter((s) => !feeding.has(s.id))
    .reduce((sum, s) => sum + total(result.steps[s.id]?.rowsByPort), 0);
}

/** Sum of a record's values (rows or bytes per port). */
export function total(byPort: Record<string, number> | undefined): number {
  return Object.values(byPort ?? {}).reduce((a, b) => a + b, 0);
}

/** Median figures of one step over several runs, in ms. */
export interface StepMedians {
  /** Time the step's module was busy (its `busyMs`). */
  busy: number;
  /** The step's wall-clock time, including waiting for its input. */
  wall: number;
}

/**
 * Runs each of `docs` `warm` times unmeasured, then `rounds` times, on one Node host; returns the
 * medians of the step whose id is `stepId`. Throws when a run fails (`assertOk`).
 */
export async function stepMedians(
  docs: Record<string, PipelineDocument>,
  stepId: string,
  warm: number,
  rounds: number,
): Promise<Record<string, StepMedians>> {
  const host = await nodeHost();
  const out: Record<string, StepMedians> = {};
  try {
    for (const [name, doc] of Object.entries(docs)) {
      const busy: number[] = [];
      const wall: number[] = [];
      for (let round = 0; round < warm + rounds; round++) {
        const result = await runPipeline(doc, host);
        assertOk(name, result);
        if (round < warm) continue;
        busy.push(result.steps[stepId]?.busyMs ?? NaN);
        wall.push(result.steps[stepId]?.ms ?? NaN);
      }
      out[name] = { busy: median(busy), wall: median(wall) };
    }
  } finally {
    host.pool.terminate();
  }
  return out;
}
