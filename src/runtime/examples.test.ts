/**
 * The three examples in examples/ run through the runtime (worker threads, real modules) and
 * give DuckDB's answer to the same query over the same file: integers equal, floats within
 * 1e-9 relative, same row order.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../pipeline/serialize';
import { resultSteps } from '../cli/main';
import { nodeHost, REPO_ROOT, type NodeHost } from './node-host';
import { toJsonValue } from './preview';
import { runPipeline } from './run';

const DATA = join(REPO_ROOT, 'node_modules/vega-datasets/data');
let host: NodeHost;
let duck: DuckDBConnection;

beforeAll(async () => {
  host = await nodeHost();
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => host.pool.terminate());

/** Rows of the example's result (its one result step's `out`), as plain values. */
async function runExample(name: string): Promise<Record<string, unknown>[]> {
  const file = join(REPO_ROOT, 'examples', `${name}.quiver.json`);
  const doc = parsePipeline(readFileSync(file, 'utf8'), { source: file });
  const [last] = resultSteps(doc);
  const key = `${last}.out`;
  const result = await runPipeline(doc, { ...host, collect: [key] });
  expect(Object.values(result.steps).map((s) => [s.stepId, s.status, s.message])).toEqual(
    Object.values(result.steps).map((s) => [s.stepId, 'finished', undefined]),
  );
  const table = tableFromIPC(result.collected[key] ?? new Uint8Array());
  const names = table.schema.fields.map((f) => f.name);
  return table
    .toArray()
    .map((row: Record<string, unknown>) =>
      Object.fromEntries(names.map((n) => [n, toJsonValue(row[n])])),
    );
}

async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await duck.runAndReadAll(sql);
  return reader
    .getRowObjectsJS()
    .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, toJsonValue(v)])));
}

/** Same columns, same order, integers and strings equal, floats within 1e-9 relative. */
function expectSameRows(ours: Record<string, unknown>[], duckdb: Record<string, unknown>[]): void {
  expect(ours.length).toBe(duckdb.length);
  expect(ours.length).toBeGreaterThan(0);
  ours.forEach((row, i) => {
    const want = duckdb[i] ?? {};
    expect(Object.keys(row)).toEqual(Object.keys(want));
    for (const [column, value] of Object.entries(want)) {
      const got = row[column];
      if (typeof value === 'number' && !Number.isInteger(value)) {
        expect(typeof got).toBe('number');
        expect(Math.abs((got as number) - value)).toBeLessThanOrEqual(1e-9 * Math.abs(value));
      } else {
        expect({ row: i, column, value: got }).toEqual({ row: i, column, value });
      }
    }
  });
}

describe('examples equal DuckDB', () => {
  it('seattle-weather', async () => {
    const ours = await runExample('seattle-weather');
    const duckdb = await duckRows(`
      SELECT weather, count(*) AS days, avg(temp_max - temp_min) AS avg_temp_range,
             sum(precipitation) AS total_precipitation
      FROM read_csv('${DATA}/seattle-weather.csv', header = true)
      WHERE temp_max > 15 GROUP BY weather ORDER BY days DESC`);
    expectSameRows(ours, duckdb);
  });

  it('flights-delay-by-distance', async () => {
    // DuckDB reads Arrow IPC only through an extension (a download); the same values go to it
    // as CSV, written from apache-arrow's reading of the file.
    const table = tableFromIPC(readFileSync(join(DATA, 'flights-200k.arrow')));
    const delay = table.getChild('delay')?.toArray() ?? [];
    const distance = table.getChild('distance')?.toArray() ?? [];
    const lines = ['delay,distance'];
    for (let i = 0; i < table.numRows; i++) lines.push(`${delay[i]},${distance[i]}`);
    const csv = join(mkdtempSync(join(tmpdir(), 'quiver-ex-')), 'flights.csv');
    writeFileSync(csv, lines.join('\n'));
    const ours = await runExample('flights-delay-by-distance');
    const duckdb = await duckRows(`
      SELECT CAST(floor(distance / 250) * 250 AS BIGINT) AS band, count(*) AS flights,
             avg(delay) AS avg_delay, max(delay) AS max_delay
      FROM read_csv('${csv}', header = true, columns = {'delay': 'SMALLINT', 'distance': 'SMALLINT'})
      WHERE delay > 0 GROUP BY band ORDER BY band`);
    expectSameRows(ours, duckdb);
  });

  it('flights-by-origin', async () => {
    const ours = await runExample('flights-by-origin');
    const duckdb = await duckRows(`
      SELECT origin, count(*) AS flights, avg(delay) AS avg_delay
      FROM read_parquet('${DATA}/flights-3m.parquet')
      WHERE distance > 500 GROUP BY origin ORDER BY flights DESC, origin LIMIT 20`);
    expectSameRows(ours, duckdb);
  });
});
