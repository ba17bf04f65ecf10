/**
 * `npm run bench:overhead`: per-step overhead in Node. Six steps on a tiny table
 * (pipelines.ts), warmed up WARM times, then run BENCH_ROUNDS times (default 10); prints the
 * median run, that ÷ 6 as the overhead per step, and each step's median ms. (The browser
 * bench prints the same figure for the editor.)
 */
import { nodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';
import { assertOk, formatTable, loadAverage, median, ms } from './lib';
import { overheadDoc } from './pipelines';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const WARM = 3;

console.log(`Overhead bench, ${loadAverage()}`);
const doc = overheadDoc();
const host = await nodeHost();
const runs: RunResult[] = [];
try {
  for (let round = 0; round < WARM + ROUNDS; round++) {
    const result = await runPipeline(doc, host);
    assertOk('overhead', result);
    if (round >= WARM) runs.push(result);
  }
} finally {
  host.pool.terminate();
}
const total = median(runs.map((r) => r.ms));
console.log(`\n${doc.steps.length} steps on 1,461 rows, median of ${ROUNDS} warm runs`);
console.log(
  formatTable(
    ['step', 'module', 'median ms'],
    doc.steps.map((s) => [s.id, s.moduleId, ms(median(runs.map((r) => r.steps[s.id]?.ms ?? NaN)))]),
  ),
);
console.log(
  `run ${ms(total)} ms, ${ms(total / doc.steps.length)} ms per step (Node); ${loadAverage()}`,
);
