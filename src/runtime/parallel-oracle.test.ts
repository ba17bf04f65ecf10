/**
 * A streamable step run in parallel keeps its rows in input order, checked against DuckDB on
 * real data: flights-200k re-batched into ten record batches, filter → derive on three workers.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import {
  Dictionary,
  Int32,
  makeVector,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const DATA = 'node_modules/vega-datasets/data';
let host: NodeHost;
let dir: string;
beforeAll(async () => {
  host = await testHost();
  dir = mkdtempSync(join(tmpdir(), 'quiver-parallel-'));
});
afterAll(() => {
  host.pool.terminate();
  rmSync(dir, { recursive: true, force: true });
});

describe('parallel streamable steps', () => {
  it('filter → derive over flights-200k in 10 batches on 3 workers equals DuckDB, in order', async () => {
    const flights = tableFromIPC(readFileSync(join(DATA, 'flights-200k.arrow')));
    const size = Math.ceil(flights.numRows / 10);
    const batches = Array.from(
      { length: 10 },
      (_, b) => flights.slice(b * size, (b + 1) * size).batches,
    ).flat();
    expect(batches.length).toBeGreaterThanOrEqual(10);
    const arrows = join(dir, 'flights-10.arrows');
    writeFileSync(arrows, tableToIPC(new Table(batches), 'stream'));
    const csv = join(dir, 'flights.csv');
    const delay = flights.getChild('delay')?.toArray() ?? [];
    const distance = flights.getChild('distance')?.toArray() ?? [];
    const lines = ['delay,distance'];
    for (let i = 0; i < flights.numRows; i++) lines.push(`${delay[i]},${distance[i]}`);
    writeFileSync(csv, lines.join('\n'));

    const doc = pipeline(
      [
        step('source', 'source', { uri: arrows, format: 'arrow' }),
        step('filter', 'filter', { expression: 'delay > 0' }),
        step('derive', 'derive', { column: 'band', expression: 'floor(distance / 250) * 250' }),
      ],
      [edge('source', 'filter'), edge('filter', 'derive')],
    );
    const result = await runPipeline(doc, { ...host, parallelism: 3, collect: ['derive.out'] });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(result.steps.filter?.invocations).toBe(3);
    const ours = tableFromIPC(result.collected['derive.out'] ?? new Uint8Array());

    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await duck.runAndReadAll(
      `SELECT delay, floor(distance / 250) * 250 AS band
       FROM read_csv('${csv}', header = true,
                     columns = {'delay': 'SMALLINT', 'distance': 'SMALLINT'})
       WHERE delay > 0`,
    );
    const theirs = reader.getRowObjectsJS();
    expect(ours.numRows).toBe(theirs.length);
    const ourDelay = ours.getChild('delay')?.toArray() ?? [];
    const ourBand = ours.getChild('band')?.toArray() ?? [];
    let mismatch = -1;
    for (let i = 0; i < theirs.length && mismatch < 0; i++) {
      const row = theirs[i]!;
      if (Number(ourDelay[i]) !== Number(row.delay) || Number(ourBand[i]) !== Number(row.band))
        mismatch = i;
    }
    expect(mismatch, `first row that differs from DuckDB`).toBe(-1);
  }, 120_000);

  it('a dictionary column whose dictionary changes every batch gives the rows of one worker', async () => {
    // Eight batches, each replacing the dictionary: the step's own instance and its shards must
    // each see every dictionary that precedes the batches they are given.
    const rows = 70_000;
    const type = new Dictionary(new Utf8(), new Int32(), 0);
    const batches = Array.from({ length: 8 }, (_, b) => {
      const x = Int32Array.from({ length: rows }, (_, i) => b * rows + i);
      const words = Array.from({ length: rows }, (_, i) => `w${b}-${i % 7}`);
      const s = vectorFromArray(words, type);
      return new Table({ x: makeVector(x), s }).batches[0]!;
    });
    const file = join(dir, 'dictionaries.arrows');
    writeFileSync(file, tableToIPC(new Table(batches), 'stream'));
    const doc = pipeline(
      [
        step('source', 'source', { uri: file, format: 'arrow' }),
        step('filter', 'filter', { expression: 'x % 3 == 0' }),
      ],
      [edge('source', 'filter')],
    );
    const run = async (parallelism: number) => {
      const result = await runPipeline(doc, { ...host, parallelism, collect: ['filter.out'] });
      expect(result.ok, JSON.stringify(result.steps)).toBe(true);
      return tableFromIPC(result.collected['filter.out'] ?? new Uint8Array());
    };
    const one = await run(1);
    const three = await run(3);
    expect(one.numRows).toBe(Math.ceil((8 * rows) / 3));
    expect([...(three.getChild('x')?.toArray() ?? [])]).toEqual([
      ...(one.getChild('x')?.toArray() ?? []),
    ]);
    expect([...(three.getChild('s') ?? [])]).toEqual([...(one.getChild('s') ?? [])]);
  }, 120_000);
});
