import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from '../node-host';
import { runPipeline } from '../run';
import { edge, pipeline, step, testHost } from '../testkit';

const WEATHER_CSV = resolve('node_modules/vega-datasets/data/seattle-weather.csv');
let host: NodeHost;

beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** seattle-weather.csv read by the csv module, then `more` steps and edges. */
function weather(more: ReturnType<typeof step>[], moreEdges: ReturnType<typeof edge>[]) {
  return pipeline(
    [step('source', 'source', { uri: 'sample:seattle-weather.csv' }), step('csv', 'csv'), ...more],
    [edge('source', 'csv', 'bytes', 'csv'), ...moreEdges],
  );
}

/** Rows of a DuckDB query, as plain JS values. */
async function duckRows(sql: string): Promise<Record<string, unknown>[]> {
  const duck = await (await DuckDBInstance.create(':memory:')).connect();
  return (await duck.runAndReadAll(sql)).getRowObjectsJS();
}

describe('JavaScript step in a pipeline (worker_threads)', () => {
  it.each([
    ['rows', 'row => ({ ...row, range: row.temp_max - row.temp_min, wet: row.precipitation > 0 })'],
    [
      'batch',
      `batch => {
        const { temp_max, temp_min, precipitation } = batch.columns;
        const range = new Float64Array(batch.length);
        const wet = [];
        for (let i = 0; i < batch.length; i++) {
          range[i] = temp_max[i] - temp_min[i];
          wet.push(precipitation[i] > 0);
        }
        return { columns: { ...batch.columns, range, wet }, nulls: batch.nulls };
      }`,
    ],
  ])(
    'a new column on seattle-weather (%s form) equals DuckDB',
    async (mode, code) => {
      const doc = weather([step('js', 'javascript', { mode, code })], [edge('csv', 'js')]);
      const result = await runPipeline(doc, { ...host, collect: ['js.out'] });
      expect(result.ok, JSON.stringify(result.steps.js)).toBe(true);
      const ours = tableFromIPC(result.collected['js.out'] ?? new Uint8Array());
      const theirs = await duckRows(
        `SELECT temp_max - temp_min AS range, precipitation > 0 AS wet
       FROM read_csv('${WEATHER_CSV}', header = true)`,
      );
      expect(ours.numRows).toBe(theirs.length);
      expect(ours.schema.fields.map((f) => f.name)).toEqual([
        'date',
        'precipitation',
        'temp_max',
        'temp_min',
        'wind',
        'weather',
        'range',
        'wet',
      ]);
      const range = ours.getChild('range')?.toArray() as Float64Array;
      const wet = ours.getChild('wet')?.toJSON() ?? [];
      const differs = theirs.findIndex(
        (row, i) => Math.abs(Number(row.range) - range[i]!) > 1e-9 || row.wet !== wet[i],
      );
      expect(differs, 'first row that differs from DuckDB').toBe(-1);
    },
    120_000,
  );

  it('an endless loop times out alone, in words; its sibling branch finishes', async () => {
    const doc = weather(
      [
        step(
          'js',
          'javascript',
          { code: 'row => { for (;;) {} }' },
          {
            timeoutMs: 500,
            maxMemoryMiB: 64,
          },
        ),
        step('warm', 'filter', { expression: 'temp_max > 15' }),
      ],
      [edge('csv', 'js'), edge('csv', 'warm')],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.js).toMatchObject({
      status: 'failed',
      message: 'JavaScript step exceeded its time limit of 500 ms',
    });
    expect(result.steps.warm?.status).toBe('finished');
  }, 120_000);

  it('a memory hog fails at its cap, in words', async () => {
    const code = 'row => { const a = []; for (;;) a.push(new Float64Array(65536)); }';
    const doc = weather(
      [step('js', 'javascript', { code }, { timeoutMs: 60000, maxMemoryMiB: 32 })],
      [edge('csv', 'js')],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.js).toMatchObject({
      status: 'failed',
      message: 'JavaScript step exceeded its memory limit of 32 MiB',
    });
  }, 120_000);
});
