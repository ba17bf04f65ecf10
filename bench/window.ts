/**
 * A window over flights-200k (partition by distance, order by time: row_number, lag, running
 * sum, 5-row moving mean) through the Quiver runtime (source → window) against DuckDB's same
 * window functions over the same rows, already loaded into a DuckDB table (DuckDB reads Arrow
 * IPC only through an extension it would download, so the rows reach it as CSV, untimed).
 * Two ratios: the window step's own wall clock (it holds its input, so this is the sort, the
 * functions and the output) against DuckDB's query, and the whole run against it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import type { NodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import { assertOk, chainDoc, formatTable, median, ms, ratio, total } from './lib';

const FLIGHTS = join(import.meta.dirname, '../node_modules/vega-datasets/data/flights-200k.arrow');

/** The window step's params and the DuckDB query computing the same columns. */
const PARAMS = {
  partitionBy: ['distance'],
  orderBy: [{ column: 'time' }],
  columns: [
    { name: 'rn', op: 'row_number' },
    { name: 'prev_delay', op: 'lag', column: 'delay' },
    { name: 'total_delay', op: 'running_sum', column: 'delay' },
    { name: 'ma5', op: 'moving_mean', column: 'delay', rows: 5 },
  ],
};
const W = 'PARTITION BY distance ORDER BY time';
/** Aggregated, so DuckDB computes every window value but hands JS one row, not 200k. */
const SQL = `SELECT count(*) AS n, sum(rn), sum(prev_delay), sum(total_delay), sum(ma5) FROM (
  SELECT *, row_number() OVER (${W}) AS rn, lag(delay) OVER (${W}) AS prev_delay,
         sum(delay) OVER (${W} ROWS UNBOUNDED PRECEDING) AS total_delay,
         avg(delay) OVER (${W} ROWS 4 PRECEDING) AS ma5
  FROM flights)`;

/** Loads flights-200k into DuckDB table `flights` through a CSV file in `dir`. */
async function loadFlights(duck: DuckDBConnection, dir: string): Promise<void> {
  const table = tableFromIPC(readFileSync(FLIGHTS));
  const cols = ['delay', 'distance', 'time'].map((n) => table.getChild(n)!);
  const lines = ['delay,distance,time'];
  for (let i = 0; i < table.numRows; i++) lines.push(cols.map((c) => c.get(i) ?? '').join(','));
  const csv = join(dir, 'flights-window.csv');
  writeFileSync(csv, lines.join('\n'));
  await duck.run(
    `CREATE OR REPLACE TABLE flights AS SELECT * FROM read_csv('${csv}', header = true,
       columns = {'delay': 'SMALLINT', 'distance': 'SMALLINT', 'time': 'FLOAT'})`,
  );
}

/** Runs both sides once to warm up, then `rounds` times; prints medians and ratios. */
export async function windowBench(
  host: NodeHost,
  duck: DuckDBConnection,
  dir: string,
  rounds: number,
): Promise<void> {
  await loadFlights(duck, dir);
  const doc = chainDoc('window-flights', [
    { id: 'source', moduleId: 'source', params: { uri: FLIGHTS } },
    { id: 'window', moduleId: 'window', params: PARAMS },
  ]);
  const runMs: number[] = [];
  const stepMs: number[] = [];
  const duckMs: number[] = [];
  for (let round = 0; round <= rounds; round++) {
    const result = await runPipeline(doc, host);
    assertOk('window-flights', result);
    const rows = total(result.steps['window']?.rowsByPort);
    if (rows !== 200_000) throw new Error(`window-flights: the window gave ${rows} rows`);
    const t0 = performance.now();
    await duck.runAndReadAll(SQL);
    const elapsed = performance.now() - t0;
    if (round === 0) continue; // warm-up
    runMs.push(result.ms);
    stepMs.push(result.steps['window']?.ms ?? NaN);
    duckMs.push(elapsed);
  }
  const d = median(duckMs);
  console.log(
    `\nWindow over flights-200k (4 functions, partition by distance, order by time), median of ${rounds}`,
  );
  console.log(
    formatTable(
      ['measure', 'quiver ms', 'duckdb ms', 'quiver / duckdb'],
      [
        ['window step', ms(median(stepMs)), ms(d), ratio(median(stepMs), d)],
        ['whole run (source → window)', ms(median(runMs)), ms(d), ratio(median(runMs), d)],
      ],
    ),
  );
}
