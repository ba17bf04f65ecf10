import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { NodeHost } from './node-host';
import { BatchStarts, wordStepError } from './row-words';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

describe('wordStepError', () => {
  const fault = (batch: number, row: number) =>
    `error: filter: expression "sqrt(x) > \\"1\\"", batch ${batch}: expression: sqrt of a negative number (-3.2) at row ${row} of the batch (qv_push returned 2)`;

  it('counts the row across the batches the instance was given, from 1', () => {
    const starts = new BatchStarts();
    starts.add(1000);
    starts.add(500, false); // dealt to another instance
    starts.add(2048);
    expect(wordStepError(fault(1, 4), starts)).toBe(
      'row 1,505 of the input: sqrt of a negative number (-3.2) in `sqrt(x) > "1"`',
    );
    expect(wordStepError(fault(0, 0), starts)).toBe(
      'row 1 of the input: sqrt of a negative number (-3.2) in `sqrt(x) > "1"`',
    );
  });

  it('names the batch when it does not know where the batch began', () => {
    expect(wordStepError(fault(2, 9))).toBe(
      'row 10 of record batch 3: sqrt of a negative number (-3.2) in `sqrt(x) > "1"`',
    );
  });

  it('drops the status suffix and prefix, keeping any other message', () => {
    expect(wordStepError('error: sort: out of memory (qv_push returned 12)')).toBe(
      'sort: out of memory',
    );
    expect(wordStepError('exited with code 1')).toBe('exited with code 1');
  });
});

describe('a row fault in a run names the input row and the value DuckDB finds', () => {
  let host: NodeHost;
  beforeAll(async () => {
    host = await testHost();
  });
  afterAll(() => host.pool.terminate());

  it('sqrt of the first negative temp_min of seattle-weather', async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
        step('csv', 'csv'),
        step('filter', 'filter', { expression: 'sqrt(temp_min) > 1' }),
      ],
      [edge('source', 'csv', 'bytes', 'csv'), edge('csv', 'filter')],
    );
    const result = await runPipeline(doc, host);
    const csv = resolve(
      import.meta.dirname,
      '../../node_modules/vega-datasets/data/seattle-weather.csv',
    );
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await conn.runAndReadAll(
      `SELECT n, temp_min FROM (SELECT row_number() OVER () AS n, temp_min FROM read_csv('${csv}')) WHERE temp_min < 0 ORDER BY n LIMIT 1`,
    );
    const [first, value] = reader.getRowsJS()[0]!;
    expect(Number(first)).toBeGreaterThan(1);
    expect(Number(value)).toBeLessThan(0);
    expect(result.steps.filter?.message).toBe(
      `row ${Number(first)} of the input: sqrt of a negative number (${String(value)}) in \`sqrt(temp_min) > 1\``,
    );
  });
});
