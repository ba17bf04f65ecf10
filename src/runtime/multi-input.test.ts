/**
 * Steps with several inputs through the whole runtime: the join's held (build) port is read
 * before the streamed one, and one upstream step feeding both ports (a self-join, in many small
 * batches, more than the edge credits) does not deadlock, because the port not yet read spills.
 */
import { tableFromIPC } from 'apache-arrow';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Edge } from '../pipeline/types';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const DATA = 'node_modules/vega-datasets/data';
const FLIGHT_LIMITS = { timeoutMs: 120000, maxMemoryMiB: 2048 };
let host: NodeHost;

beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** An edge into input `port` of `to` with an id of its own (two edges may join two steps). */
function into(from: string, to: string, port: string): Edge {
  return { ...edge(from, to, 'out', port), id: `${from}-${to}.${port}` };
}

/** The rows DuckDB gives for `sql`. */
async function duckRows(sql: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(sql);
    return Number(reader.getColumnsJS()[0]?.[0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('steps with several inputs', () => {
  it('joins a step with itself (one upstream step feeds both ports) without deadlock', async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:airports.csv' }),
        step('csv', 'csv', { batchSizeRows: 50 }),
        step('join', 'join', { how: 'inner', keys: [{ left: 'iata', right: 'iata' }] }),
      ],
      [
        edge('source', 'csv', 'bytes', 'csv'),
        into('csv', 'join', 'left'),
        into('csv', 'join', 'right'),
      ],
    );
    const result = await runPipeline(doc, { ...host, collect: ['join.out'] });
    expect(result.ok, JSON.stringify(result.steps.join)).toBe(true);
    const out = tableFromIPC(result.collected['join.out'] ?? new Uint8Array());
    const expected = await duckRows(
      `SELECT count(*) FROM read_csv('${DATA}/airports.csv') a
       JOIN read_csv('${DATA}/airports.csv') b ON a.iata = b.iata`,
    );
    expect(out.numRows).toBe(expected);
    expect(out.schema.fields.map((f) => f.name).slice(0, 3)).toEqual([
      'iata',
      'name_left',
      'city_left',
    ]);
  });

  it('stacks two filters of one source (a diamond) in a union without deadlock', async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:airports.csv' }),
        step('csv', 'csv', { batchSizeRows: 40 }),
        step('east', 'filter', { expression: 'longitude > -90' }),
        step('west', 'filter', { expression: 'longitude <= -90' }),
        step('union', 'union', {}),
      ],
      [
        edge('source', 'csv', 'bytes', 'csv'),
        edge('csv', 'east'),
        edge('csv', 'west'),
        into('east', 'union', 'first'),
        into('west', 'union', 'second'),
      ],
    );
    const result = await runPipeline(doc, { ...host, collect: ['union.out'] });
    expect(result.ok, JSON.stringify(result.steps.union)).toBe(true);
    const out = tableFromIPC(result.collected['union.out'] ?? new Uint8Array());
    const east = await duckRows(
      `SELECT count(*) FROM read_csv('${DATA}/airports.csv') WHERE longitude > -90`,
    );
    expect(out.numRows).toBe(3376);
    // First every row of `first`, then those of `second`.
    const longitudes = [...(out.getChild('longitude') ?? [])] as number[];
    expect(longitudes.slice(0, east).every((x) => x > -90)).toBe(true);
    expect(longitudes.slice(east).every((x) => x <= -90)).toBe(true);
  });

  it('streams flights past the held airports and logs the memory the join holds', async () => {
    const doc = pipeline(
      [
        step('flights', 'source', { uri: 'sample:flights-airport.csv' }),
        step('flightsCsv', 'csv', { batchSizeRows: 100 }),
        step('airports', 'source', { uri: 'sample:airports.csv' }),
        step('airportsCsv', 'csv'),
        step('join', 'join', { how: 'left', keys: [{ left: 'origin', right: 'iata' }] }),
      ],
      [
        edge('flights', 'flightsCsv', 'bytes', 'csv'),
        edge('airports', 'airportsCsv', 'bytes', 'csv'),
        into('flightsCsv', 'join', 'left'),
        into('airportsCsv', 'join', 'right'),
      ],
    );
    const logs: string[] = [];
    const result = await runPipeline(doc, {
      ...host,
      collect: ['join.out'],
      onEvent: (e) => {
        if (e.type === 'log' && e.stepId === 'join') logs.push(e.line);
      },
    });
    expect(result.ok, JSON.stringify(result.steps.join)).toBe(true);
    const expected = await duckRows(
      `SELECT count(*) FROM read_csv('${DATA}/flights-airport.csv') f
       LEFT JOIN read_csv('${DATA}/airports.csv') a ON f.origin = a.iata`,
    );
    expect(result.steps.join?.rowsByPort.out).toBe(expected);
    expect(logs.join('\n')).toMatch(/join: right input held: 3376 rows .* hash table [\d.]+ MiB/);
  });

  it('counts the held build side against the memory cap', async () => {
    const doc = pipeline(
      [
        step('flights', 'source', { uri: 'sample:flights-3m.parquet' }, FLIGHT_LIMITS),
        step('airports', 'source', { uri: 'sample:airports.csv' }),
        step('airportsCsv', 'csv'),
        step(
          'join',
          'join',
          { how: 'inner', keys: [{ left: 'origin', right: 'iata' }], build: 'left' },
          { timeoutMs: 120000, maxMemoryMiB: 64 },
        ),
      ],
      [
        edge('airports', 'airportsCsv', 'bytes', 'csv'),
        into('flights', 'join', 'left'),
        into('airportsCsv', 'join', 'right'),
      ],
    );
    const result = await runPipeline(doc, host);
    expect(result.ok).toBe(false);
    expect(result.steps.join?.status).toBe('failed');
    expect(result.steps.join?.message).toContain('memory limit of 64 MiB exceeded');
  });
});
