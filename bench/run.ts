/**
 * `npm run bench`: each example in examples/ and a generated CSV through the Quiver runtime
 * (worker threads, real modules) and the same SQL in DuckDB (Node), in the same process. Each
 * side runs once to warm up (module compilation, worker start, DuckDB's first read), then
 * BENCH_ROUNDS times (default 3); medians are reported, with per-step milliseconds and MB/s
 * (output bytes over the step's wall-clock time, which includes waiting for its input) of the
 * median Quiver run, and the process's peak RSS. Then the pass-all filter throughput
 * (throughput.ts) and a window over flights-200k (window.ts). BENCH_GENERATED_MB sets the
 * generated CSV's size (default 50).
 */
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { PipelineDocument } from '../src/pipeline/types';
import { EXAMPLES, exampleSql } from '../src/runtime/examples-oracle';
import { nodeHost, type NodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';
import { GENERATED_CSV_COLUMNS, tempDir, writeGeneratedCsv } from './data';
import {
  assertOk,
  chainDoc,
  exampleDoc,
  formatTable,
  loadAverage,
  mbPerS,
  median,
  ms,
  peakRssMiB,
  ratio,
  resultRows,
  total,
} from './lib';
import { joinBench } from './join';
import { passAllThroughput } from './throughput';
import { windowBench } from './window';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GENERATED_MB = Number(process.env.BENCH_GENERATED_MB ?? 50);

/** One pipeline and the DuckDB query giving the same result. */
interface Case {
  name: string;
  doc: PipelineDocument;
  sql: string;
}

/** The generated case: csv → filter → derive → aggregate → sort over a CSV in `dir`. */
async function generatedCase(dir: string): Promise<Case> {
  const file = join(dir, 'generated.csv');
  const rows = await writeGeneratedCsv(file, GENERATED_MB * 1e6);
  const doc = chainDoc('generated', [
    { id: 'source', moduleId: 'source', params: { uri: file } },
    { id: 'csv', moduleId: 'csv', params: {} },
    { id: 'filter', moduleId: 'filter', params: { expression: 'y >= 10' } },
    { id: 'derive', moduleId: 'derive', params: { column: 'z', expression: 'x * 2' } },
    {
      id: 'aggregate',
      moduleId: 'aggregate',
      params: {
        groupBy: ['grp'],
        aggregates: [
          { name: 'n', op: 'count' },
          { name: 'avg_z', op: 'mean', column: 'z' },
          { name: 'sum_y', op: 'sum', column: 'y' },
        ],
      },
    },
    { id: 'sort', moduleId: 'sort', params: { keys: [{ column: 'grp' }] } },
  ]);
  const columns = Object.entries(GENERATED_CSV_COLUMNS)
    .map(([name, type]) => `'${name}': '${type}'`)
    .join(', ');
  const sql = `SELECT grp, count(*) AS n, avg(x * 2) AS avg_z, sum(y) AS sum_y
               FROM read_csv('${file}', header = true, columns = {${columns}})
               WHERE y >= 10 GROUP BY grp ORDER BY grp`;
  return {
    name: `generated (${GENERATED_MB} MB CSV, ${rows.toLocaleString('en')} rows)`,
    doc,
    sql,
  };
}

/** Runs both sides once to warm up, then ROUNDS times; prints the per-step table. */
async function benchCase(host: NodeHost, duck: DuckDBConnection, c: Case): Promise<unknown[]> {
  const runs: RunResult[] = [];
  const duckMs: number[] = [];
  let duckRows = 0;
  for (let round = 0; round <= ROUNDS; round++) {
    const result = await runPipeline(c.doc, host);
    assertOk(c.name, result);
    const t0 = performance.now();
    duckRows = (await duck.runAndReadAll(c.sql)).currentRowCount;
    const elapsed = performance.now() - t0;
    if (round === 0) continue; // warm-up
    runs.push(result);
    duckMs.push(elapsed);
  }
  const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as RunResult;
  const quiverRows = resultRows(c.doc, mid);
  if (quiverRows !== duckRows)
    throw new Error(`${c.name}: Quiver gave ${quiverRows} rows, DuckDB ${duckRows}`);
  console.log(`\n${c.name}: median of ${ROUNDS} runs after one warm-up`);
  const stepRows = c.doc.steps.map((s) => {
    const r = mid.steps[s.id];
    const bytes = total(r?.bytesByPort);
    return [s.id, s.moduleId, total(r?.rowsByPort), ms(r?.ms ?? 0), mbPerS(bytes, r?.ms ?? 0)];
  });
  console.log(formatTable(['step', 'module', 'rows out', 'ms', 'MB/s out'], stepRows));
  const duckdbMs = median(duckMs);
  return [c.name, Math.round(mid.ms), ms(duckdbMs), ratio(mid.ms, duckdbMs)];
}

console.log(`Node bench, ${loadAverage()}`);
const host = await nodeHost();
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const tmp = tempDir('node');
try {
  const cases: Case[] = EXAMPLES.map((name) => ({
    name,
    doc: exampleDoc(name),
    sql: exampleSql(name),
  }));
  cases.push(await generatedCase(tmp.path));
  const summary: unknown[][] = [];
  for (const c of cases) summary.push(await benchCase(host, duck, c));
  summary.push(await joinBench(host, duck, ROUNDS));
  console.log('\nTotals (wall-clock ms, median)');
  console.log(formatTable(['case', 'quiver ms', 'duckdb ms', 'quiver / duckdb'], summary));
  console.log(`\nPeak RSS of this process (runtime, workers, DuckDB): ${peakRssMiB()} MiB`);
  await passAllThroughput(host, tmp.path, ROUNDS);
  await windowBench(host, duck, tmp.path, ROUNDS);
} finally {
  host.pool.terminate();
  duck.closeSync();
  tmp.remove();
}
console.log(`\n${loadAverage()}`);
