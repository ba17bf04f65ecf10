/**
 * A join with two inputs: flights-3m.parquet (3 million rows, streamed through as the probe
 * side) ⋈ airports.csv (3,376 rows, held as the build side) on origin = iata, inner, against
 * DuckDB materialising the same join (all nine columns) into a temporary table in this process.
 * Both sides run once to warm up, then `rounds` times; medians are printed with their ratio,
 * the join step's own time and busy time, and what the join reports holding (its log line:
 * build rows, hash table, linear memory).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { parsePipeline } from '../src/pipeline/serialize';
import type { PipelineDocument } from '../src/pipeline/types';
import type { NodeHost } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';
import type { RunResult } from '../src/runtime/types';
import { assertOk, DATA_DIR as DATA, formatTable, median, ms, ratio } from './lib';

/** flights-3m.parquet → join.left, airports.csv → csv → join.right. */
function joinDoc(): PipelineDocument {
  const limits = { timeoutMs: 600_000, maxMemoryMiB: 2048 };
  const permissions = { storage: 'none', clock: 'none', random: 'none' };
  const step = (id: string, moduleId: string, params: Record<string, unknown>, x: number) => ({
    id,
    moduleId,
    params,
    permissions,
    limits,
    position: { x, y: 0 },
  });
  const doc = {
    format: 'quiver-pipeline',
    version: 1,
    id: 'join',
    name: 'join',
    steps: [
      step('flights', 'source', { uri: 'sample:flights-3m.parquet' }, 0),
      step('airports', 'source', { uri: 'sample:airports.csv' }, 0),
      step('airportsCsv', 'csv', {}, 250),
      step('join', 'join', { how: 'inner', keys: [{ left: 'origin', right: 'iata' }] }, 500),
    ],
    edges: [
      {
        id: 'a',
        from: { step: 'airports', port: 'bytes' },
        to: { step: 'airportsCsv', port: 'csv' },
      },
      { id: 'l', from: { step: 'flights', port: 'out' }, to: { step: 'join', port: 'left' } },
      { id: 'r', from: { step: 'airportsCsv', port: 'out' }, to: { step: 'join', port: 'right' } },
    ],
  };
  return parsePipeline(JSON.stringify(doc), { source: 'bench pipeline join' });
}

const SQL = `CREATE OR REPLACE TEMP TABLE joined AS
  SELECT * FROM read_parquet('${DATA}/flights-3m.parquet') f
  JOIN read_csv('${DATA}/airports.csv') a ON f.origin = a.iata`;

/** Runs the join bench and prints its table; returns [case, quiver ms, duckdb ms, ratio]. */
export async function joinBench(
  host: NodeHost,
  duck: DuckDBConnection,
  rounds: number,
): Promise<unknown[]> {
  const doc = joinDoc();
  const runs: RunResult[] = [];
  const duckMs: number[] = [];
  let report = '';
  for (let round = 0; round <= rounds; round++) {
    const result = await runPipeline(doc, {
      ...host,
      onEvent: (e) => {
        if (e.type === 'log' && e.stepId === 'join') report = e.line;
      },
    });
    assertOk('join', result);
    const t0 = performance.now();
    await duck.run(SQL);
    const elapsed = performance.now() - t0;
    if (round === 0) continue;
    runs.push(result);
    duckMs.push(elapsed);
  }
  const counted = await duck.runAndReadAll('SELECT count(*) FROM joined');
  const duckRows = Number(counted.getColumnsJS()[0]?.[0]);
  const mid = [...runs].sort((a, b) => a.ms - b.ms)[Math.floor(runs.length / 2)] as RunResult;
  const join = mid.steps.join;
  const quiverRows = join?.rowsByPort.out ?? 0;
  if (quiverRows !== duckRows)
    throw new Error(`join: Quiver gave ${quiverRows} rows, DuckDB ${duckRows}`);
  const name = `join flights-3m × airports (${quiverRows.toLocaleString('en')} rows)`;
  console.log(`\n${name}: median of ${rounds} runs after one warm-up`);
  console.log(
    formatTable(
      ['step', 'ms', 'busy ms'],
      doc.steps.map(({ id }) => [id, ms(mid.steps[id]?.ms ?? 0), ms(mid.steps[id]?.busyMs ?? 0)]),
    ),
  );
  console.log(`The join step's report: ${report}`);
  const duckdbMs = median(duckMs);
  return [name, Math.round(mid.ms), ms(duckdbMs), ratio(mid.ms, duckdbMs)];
}
