/**
 * The csv module's dateFormat / timestampFormat and its reading of numbers beyond float64,
 * against DuckDB's read_csv with the same options on real data: github.csv's
 * "2015/01/01 01:00:00" times, seattle-weather's dates rewritten as "31/12/2015" by DuckDB,
 * and 1e400 (infinity in both).
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawValues, repoRoot, runCsv } from './csv-harness';

const vega = (f: string): string => join(repoRoot, 'node_modules', 'vega-datasets', 'data', f);
const weatherDmy = join(tmpdir(), `quiver-csv-formats-${process.pid}-weather.csv`);

let conn: DuckDBConnection;

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(
    `COPY (SELECT * FROM read_csv('${vega('seattle-weather.csv')}')) TO '${weatherDmy}'
     (HEADER, DATEFORMAT '%d/%m/%Y')`,
  );
  runCsv('a\n1\n'); // loads the module here, where a slow machine has time for it
}, 300_000);
afterAll(() => {
  conn.closeSync();
  rmSync(weatherDmy, { force: true });
});

/** One column of DuckDB's read_csv, dates as days and timestamps as µs since the epoch. */
async function duckValues(source: string, column: string, type: string): Promise<unknown[]> {
  const q = `"${column}"`;
  const expr =
    type === 'DATE'
      ? `(${q} - DATE '1970-01-01')::INTEGER`
      : type.startsWith('TIMESTAMP')
        ? `epoch_us(${q})`
        : q;
  const r = await conn.runAndReadAll(`SELECT ${expr}, typeof(${q}) FROM ${source}`);
  const [values, types] = r.getColumnsJS();
  expect(new Set(types)).toEqual(new Set([type]));
  return values!;
}

describe('csv formats and overflow vs DuckDB read_csv', () => {
  it('timestampFormat reads github.csv times as DuckDB does with the same format', async () => {
    const path = vega('github.csv');
    const format = '%Y/%m/%d %H:%M:%S';
    const run = runCsv(readFileSync(path), { timestampFormat: format });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(String(run.table!.schema.fields[0]!.type)).toBe('Timestamp<MICROSECOND>');
    const want = await duckValues(
      `read_csv('${path}', timestampformat='${format}')`,
      'time',
      'TIMESTAMP',
    );
    expect(rawValues(run.table!, 'time')).toEqual(want);
  });

  it('dateFormat reads day-first dates as DuckDB does with the same format', async () => {
    const format = '%d/%m/%Y';
    const bytes = readFileSync(weatherDmy);
    expect(bytes.toString('utf8')).toContain('31/12/2015');
    const run = runCsv(bytes, { dateFormat: format });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(String(run.table!.schema.fields[0]!.type)).toBe('Date32<DAY>');
    const want = await duckValues(
      `read_csv('${weatherDmy}', dateformat='${format}')`,
      'date',
      'DATE',
    );
    expect(rawValues(run.table!, 'date')).toEqual(want);
  });

  it('without the format the same file stays text, and a forced date32 column names the value', () => {
    const run = runCsv(readFileSync(weatherDmy));
    expect(String(run.table!.schema.fields[0]!.type)).toBe('Utf8');
    const forced = runCsv(readFileSync(weatherDmy), { columnTypes: { date: 'date32' } });
    expect(forced.exitCode).not.toBe(0);
    expect(forced.stderr).toMatch(
      /line 2, column 1 \(field 1 "date"\): "01\/01\/2012" is not a valid date32/,
    );
  });

  it('refuses a format with an unknown specifier, naming the parameter', () => {
    const run = runCsv('a\n1\n', { dateFormat: '%Q' });
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toMatch(/parameter 'dateFormat': strftime: unknown specifier %Q/);
  });

  it('reads a number beyond float64 (1e400) as infinity, as DuckDB does', async () => {
    const path = join(tmpdir(), `quiver-csv-formats-${process.pid}-inf.csv`);
    const text = 'x\n1.5\n1e400\n-1E+400\n1e-400\n';
    try {
      writeFileSync(path, text);
      const run = runCsv(text);
      expect(run.exitCode, run.stderr).toBe(0);
      expect(String(run.table!.schema.fields[0]!.type)).toBe('Float64');
      const want = await duckValues(`read_csv('${path}')`, 'x', 'DOUBLE');
      expect(rawValues(run.table!, 'x')).toEqual(want);
      expect(want).toEqual([1.5, Infinity, -Infinity, 0]);
    } finally {
      rmSync(path, { force: true });
    }
  });
});
