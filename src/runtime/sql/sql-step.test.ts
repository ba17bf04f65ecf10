/**
 * The SQL step in pipelines on worker_threads (DuckDB-Wasm's Node blocking build): a join of two
 * inputs equals native DuckDB (`@duckdb/node-api`) on 200k flights and the airports; errors name
 * their line and column; a runaway cross join fails alone at its time limit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from '../node-host';
import { runPipeline } from '../run';
import { edge, pipeline, step, testHost } from '../testkit';

const DATA = resolve('node_modules/vega-datasets/data');
const AIRPORTS = join(DATA, 'airports.csv');
let host: NodeHost;
let dir: string;
let flights: string;

/** Rows of a native DuckDB query, as plain JS values. */
async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  return (await duck.runAndReadAll(sql)).getRowObjectsJS();
}

beforeAll(async () => {
  host = await testHost();
  dir = mkdtempSync(join(tmpdir(), 'quiver-sql-'));
  // flights-200k of vega-datasets has no origin: the first 200k flights of flights-3m instead.
  flights = join(dir, 'flights-200k.csv');
  await duckRows(
    `COPY (SELECT origin, destination, delay, distance FROM '${DATA}/flights-3m.parquet' LIMIT 200000)
     TO '${flights}' (HEADER)`,
  );
}, 120_000);
afterAll(async () => {
  await host.pool.terminate();
  rmSync(dir, { recursive: true, force: true });
});

/** A CSV file read by the csv module, as steps `${id}` (source) and `${id}Csv`, and its edge. */
function csvSteps(id: string, path: string) {
  return {
    steps: [step(id, 'source', { uri: path }), step(`${id}Csv`, 'csv')],
    edges: [edge(id, `${id}Csv`, 'bytes', 'csv')],
  };
}

const BY_STATE = `SELECT a.state, count(*) AS flights, sum(f.delay) AS total_delay
FROM input AS f
JOIN other AS a ON f.origin = a.iata
GROUP BY a.state
ORDER BY a.state`;

describe('SQL step (DuckDB-Wasm in the step worker)', () => {
  it('a join of two inputs equals native DuckDB on 200k flights and the airports', async () => {
    const f = csvSteps('flights', flights);
    const a = csvSteps('airports', AIRPORTS);
    const doc = pipeline(
      [...f.steps, ...a.steps, step('sql', 'sql2', { query: BY_STATE })],
      [
        ...f.edges,
        ...a.edges,
        edge('flightsCsv', 'sql', 'out', 'input'),
        edge('airportsCsv', 'sql', 'out', 'other'),
      ],
    );
    const result = await runPipeline(doc, { ...host, collect: ['sql.out'] });
    expect(result.ok, JSON.stringify(result.steps.sql)).toBe(true);
    const ours = tableFromIPC(result.collected['sql.out'] ?? new Uint8Array())
      .toArray()
      .map((r: Record<string, unknown>) => [r.state, Number(r.flights), Number(r.total_delay)]);
    const theirs = (
      await duckRows(
        BY_STATE.replace('input AS f', `read_csv('${flights}') AS f`).replace(
          'other AS a',
          `read_csv('${AIRPORTS}') AS a`,
        ),
      )
    ).map((r) => [r.state, Number(r.flights), Number(r.total_delay)]);
    expect(theirs.length).toBeGreaterThan(40);
    expect(ours).toEqual(theirs);
  }, 180_000);

  it('a syntax error fails the step naming its line and column', async () => {
    const a = csvSteps('airports', AIRPORTS);
    const query = 'SELECT iata,\n  city\nFROM input WHER state = 1';
    const doc = pipeline(
      [...a.steps, step('sql', 'sql', { query })],
      [...a.edges, edge('airportsCsv', 'sql', 'out', 'input')],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.sql).toMatchObject({
      status: 'failed',
      message: 'SQL: line 3, column 17: Parser Error: syntax error at or near "state"',
    });
  }, 120_000);

  it('a runaway cross join fails alone at its time limit; its sibling branch finishes', async () => {
    const a = csvSteps('airports', AIRPORTS);
    const runaway = 'SELECT count(*) FROM input a, input b, input c, input d';
    const doc = pipeline(
      [
        ...a.steps,
        step('cross', 'sql', { query: runaway }, { timeoutMs: 2000, maxMemoryMiB: 256 }),
        step('count', 'sql', { query: 'SELECT count(*) AS n FROM input' }),
      ],
      [
        ...a.edges,
        edge('airportsCsv', 'cross', 'out', 'input'),
        edge('airportsCsv', 'count', 'out', 'input'),
      ],
    );
    const result = await runPipeline(doc, { ...host, collect: ['count.out'] });
    expect(result.steps.cross?.status).toBe('failed');
    expect(result.steps.cross?.message).toBe('timed out after 2000 ms');
    expect(result.steps.count?.status).toBe('finished');
    const n = tableFromIPC(result.collected['count.out'] ?? new Uint8Array()).get(0)?.n;
    expect(Number(n)).toBe(3376);
  }, 120_000);

  it('a query past its memory cap fails at it, in words', async () => {
    const a = csvSteps('airports', AIRPORTS);
    const hog = 'SELECT a.name, b.name FROM input a, input b ORDER BY a.name || b.name';
    const doc = pipeline(
      [...a.steps, step('hog', 'sql', { query: hog }, { timeoutMs: 120000, maxMemoryMiB: 64 })],
      [...a.edges, edge('airportsCsv', 'hog', 'out', 'input')],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.hog?.status).toBe('failed');
    expect(result.steps.hog?.message).toMatch(/^SQL step exceeded its memory limit of 64 MiB: /);
  }, 180_000);

  it.each([
    ['a zero-row batch (a filter passing nothing)', 'filter'],
    ['a schema and no batch (a CSV of a header only)', 'header'],
  ])(
    'an input with no rows, as %s, is an empty table',
    async (_, kind) => {
      const header = join(dir, 'header-only.csv');
      writeFileSync(header, 'iata,latitude\n');
      const a = csvSteps('airports', kind === 'filter' ? AIRPORTS : header);
      const none = step('none', 'filter', { expression: 'latitude > 1000' });
      const query = 'SELECT count(*) AS n, max(latitude) AS top, min(iata) AS first FROM input';
      const doc = pipeline(
        [...a.steps, ...(kind === 'filter' ? [none] : []), step('sql', 'sql', { query })],
        [
          ...a.edges,
          ...(kind === 'filter'
            ? [edge('airportsCsv', 'none'), edge('none', 'sql', 'out', 'input')]
            : [edge('airportsCsv', 'sql', 'out', 'input')]),
        ],
      );
      const result = await runPipeline(doc, { ...host, collect: ['sql.out'] });
      expect(result.ok, JSON.stringify(result.steps.sql)).toBe(true);
      const out = tableFromIPC(result.collected['sql.out'] ?? new Uint8Array());
      expect(out.toArray().map((r: Record<string, unknown>) => ({ ...r, n: Number(r.n) }))).toEqual(
        [{ n: 0, top: null, first: null }],
      );
    },
    120_000,
  );

  it('a query reads nothing but its inputs: no file, no URL', async () => {
    const a = csvSteps('airports', AIRPORTS);
    const doc = pipeline(
      [
        ...a.steps,
        step('file', 'sql', { query: `SELECT count(*) FROM read_csv_auto('${AIRPORTS}')` }),
        step('copy', 'sql', { query: `COPY (SELECT 1) TO '${join(dir, 'out.csv')}'` }),
      ],
      [
        ...a.edges,
        edge('airportsCsv', 'file', 'out', 'input'),
        edge('airportsCsv', 'copy', 'out', 'input'),
      ],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.file?.message).toMatch(/Permission Error: Scanning CSV files is disabled/);
    expect(result.steps.copy?.message).toMatch(/Permission Error: COPY TO is disabled/);
  }, 120_000);
});
