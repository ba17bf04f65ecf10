/**
 * The examples in examples/ run through the runtime (worker threads, real modules) and give
 * DuckDB's answer to the same query over the same file: integers equal, floats within 1e-9
 * relative, same row order. A chart step's result is its chart table (port `chart`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePipeline } from '../pipeline/serialize';
import { resultSteps } from '../cli/main';
import { EXAMPLES, exampleSql, JOINED_EXAMPLES } from './examples-oracle';
import { nodeHost, REPO_ROOT, type NodeHost } from './node-host';
import { toJsonValue } from './preview';
import { runPipeline } from './run';

let host: NodeHost;
let duck: DuckDBConnection;

beforeAll(async () => {
  host = await nodeHost();
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => host.pool.terminate());

/** Rows of the example's result (its one result step's `out`, a chart's `chart`), as plain values. */
async function runExample(name: string): Promise<Record<string, unknown>[]> {
  const file = join(REPO_ROOT, 'examples', `${name}.quiver.json`);
  const doc = parsePipeline(readFileSync(file, 'utf8'), { source: file });
  const [last] = resultSteps(doc);
  const chart = doc.steps.find((s) => s.id === last)?.moduleId === 'chart';
  const key = `${last}.${chart ? 'chart' : 'out'}`;
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
  for (const name of [...EXAMPLES, ...JOINED_EXAMPLES]) {
    it(name, async () => {
      const ours = await runExample(name);
      expectSameRows(ours, await duckRows(exampleSql(name)));
    });
  }
});
