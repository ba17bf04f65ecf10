/**
 * `npm run bench`: each example in examples/ through the Quiver runtime (worker threads, real
 * modules) and the same SQL in DuckDB (Node), in the same process. Each side runs once to warm
 * up (module compilation, worker start, DuckDB's first read), then `ROUNDS` times; the median
 * is reported, with per-step milliseconds of the median Quiver run and the process's peak RSS.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parsePipeline } from '../src/pipeline/serialize';
import { formatTable } from '../src/cli/table';
import { EXAMPLES, exampleSql } from '../src/runtime/examples-oracle';
import { nodeHost, REPO_ROOT } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
};

const host = await nodeHost();
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const summary: unknown[][] = [];
try {
  for (const name of EXAMPLES) {
    const file = join(REPO_ROOT, 'examples', `${name}.quiver.json`);
    const doc = parsePipeline(readFileSync(file, 'utf8'), { source: file });
    const sql = exampleSql(name);
    const quiverRuns: RunResult[] = [];
    const duckMs: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const result = await runPipeline(doc, host);
      if (!result.ok)
        throw new Error(`${name}: the pipeline failed: ${JSON.stringify(result.steps)}`);
      const t0 = performance.now();
      await duck.runAndReadAll(sql);
      const ms = performance.now() - t0;
      if (round === 0) continue; // warm-up
      quiverRuns.push(result);
      duckMs.push(ms);
    }
    const byTotal = [...quiverRuns].sort((a, b) => a.ms - b.ms);
    const mid = byTotal[Math.floor(byTotal.length / 2)];
    if (mid === undefined) throw new Error('no rounds');
    const quiverMs = mid.ms;
    const duckdbMs = median(duckMs);
    console.log(`\n${name}: median of ${ROUNDS} runs after one warm-up`);
    console.log(
      formatTable(
        ['step', 'module', 'rows out', 'ms'],
        doc.steps.map((s) => {
          const r = mid.steps[s.id];
          return [
            s.id,
            s.moduleId,
            Object.values(r?.rowsByPort ?? {}).reduce((a, b) => a + b, 0),
            r?.ms ?? 0,
          ];
        }),
      ),
    );
    summary.push([name, quiverMs, Math.round(duckdbMs), Number((quiverMs / duckdbMs).toFixed(1))]);
  }
} finally {
  host.pool.terminate();
}
console.log('\nTotals (wall-clock ms, median)');
console.log(formatTable(['example', 'quiver ms', 'duckdb ms', 'quiver / duckdb'], summary));
console.log(
  `\nPeak memory (RSS) of this process: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
