/**
 * `npm run bench:sql`: the SQL step (DuckDB-Wasm in the step's worker) against Quiver's own C
 * `aggregate` module on flights by origin over flights-3m.parquet (3 million rows): count and
 * mean delay per origin. Both read the same Parquet source; each is warmed up, then run
 * BENCH_ROUNDS times (default 3). Prints each step's median busy ms (the SQL step: registering
 * its input in DuckDB plus the query; aggregate: its invocations) and wall ms, with native
 * DuckDB (`@duckdb/node-api`, same query on the file) as a peer measured in the same run. First,
 * the engine's load time in this process: cold (read, compile, instantiate and open
 * duckdb-eh.wasm) and warm (a second load, the file in the OS cache).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { PipelineDocument } from '../src/pipeline/types';
import { loadNodeSqlEngine } from '../src/runtime/sql/engine-node';
import {
  chainDoc,
  DATA_DIR,
  formatTable,
  loadAverage,
  median,
  ms,
  ratio,
  stepMedians,
} from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM = 1;
const FLIGHTS = `${DATA_DIR}/flights-3m.parquet`;
const QUERY = 'SELECT origin, count(*) AS flights, avg(delay) AS delay FROM input GROUP BY origin';
const SOURCE = { id: 'source', moduleId: 'source', params: { uri: FLIGHTS } };

/** The chain's edge into the SQL step goes to its port `input` (chainDoc names it `in`). */
function intoSqlPort(doc: PipelineDocument): PipelineDocument {
  return {
    ...doc,
    edges: doc.edges.map((e) =>
      e.to.step === 'step' ? { ...e, to: { ...e.to, port: 'input' } } : e,
    ),
  };
}

const peers = {
  'SQL step': intoSqlPort(
    chainDoc('sql', [SOURCE, { id: 'step', moduleId: 'sql', params: { query: QUERY } }]),
  ),
  'C aggregate': chainDoc('aggregate', [
    SOURCE,
    {
      id: 'step',
      moduleId: 'aggregate',
      params: {
        groupBy: ['origin'],
        aggregates: [
          { name: 'flights', op: 'count' },
          { name: 'delay', op: 'mean', column: 'delay' },
        ],
      },
    },
  ]),
};

/** Milliseconds `load` takes. */
async function timed(load: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await load();
  return performance.now() - t;
}

console.log(`SQL step bench, ${loadAverage()}`);
const cold = await timed(loadNodeSqlEngine);
const warm = await timed(loadNodeSqlEngine);
console.log(`DuckDB-Wasm load: cold ${ms(cold)} ms, warm ${ms(warm)} ms`);

const medians = await stepMedians(peers, 'step', WARM, ROUNDS);
const busy = Object.fromEntries(Object.entries(medians).map(([n, m]) => [n, m.busy]));
const wall = Object.fromEntries(Object.entries(medians).map(([n, m]) => [n, m.wall]));
const duck = await (await DuckDBInstance.create(':memory:')).connect();
const natives: number[] = [];
for (let round = 0; round < WARM + ROUNDS; round++) {
  const t = await timed(() => duck.runAndReadAll(QUERY.replace('input', `'${FLIGHTS}'`)));
  if (round >= WARM) natives.push(t);
}
busy['native DuckDB (file)'] = median(natives);
const c = busy['C aggregate'] ?? NaN;
console.log(`\nflights-3m by origin, median of ${ROUNDS} runs`);
console.log(
  formatTable(
    ['step', 'median busy ms', 'vs C aggregate', 'median step ms'],
    Object.entries(busy).map(([name, t]) => [name, ms(t), ratio(t, c), ms(wall[name] ?? t)]),
  ),
);
console.log(loadAverage());
