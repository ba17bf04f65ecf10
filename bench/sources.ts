/**
 * `npx tsx bench/sources.ts [uri]`: milliseconds of the host `source` step alone, reading a
 * Parquet file (default `sample:flights-3m.parquet`) into an `aggregate` step that reads three
 * of its columns, with column projection on and off. The aggregate drains its input as it
 * arrives, so the source is not held back by its consumer. One warm-up run, then `ROUNDS` runs;
 * medians are printed with the machine's load average.
 */
import { loadavg } from 'node:os';
import { formatTable } from '../src/cli/table';
import { nodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import { edge, pipeline, step } from '../src/runtime/testkit';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const uri = process.argv[2] ?? 'sample:flights-3m.parquet';
const limits = { timeoutMs: 300000, maxMemoryMiB: 2048 };
const doc = pipeline(
  [
    step('source', 'source', { uri }, limits),
    step(
      'agg',
      'aggregate',
      {
        groupBy: ['origin'],
        aggregates: [
          { name: 'n', op: 'count' },
          { name: 'delay', op: 'mean', column: 'delay' },
          { name: 'distance', op: 'sum', column: 'distance' },
        ],
      },
      limits,
    ),
  ],
  [edge('source', 'agg')],
);

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const host = await nodeHost();
const rows: unknown[][] = [];
try {
  for (const projectColumns of [false, true]) {
    const ms: number[] = [];
    for (let round = 0; round <= ROUNDS; round++) {
      const result = await runPipeline(doc, { ...host, projectColumns });
      if (!result.ok) throw new Error(`the run failed: ${JSON.stringify(result.steps)}`);
      if (round > 0) ms.push(result.steps.source?.ms ?? NaN);
    }
    rows.push([projectColumns ? 'origin, delay, distance' : 'all', median(ms), ms.join(' ')]);
  }
} finally {
  host.pool.terminate();
}
console.log(`${uri}: source step ms, median of ${ROUNDS} runs after one warm-up`);
console.log(formatTable(['columns', 'median ms', 'runs'], rows));
console.log(
  `load average: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
