/**
 * `quiver run --output`: the file's format follows its extension. A result with dates and
 * timestamps (seattle-weather → filter → derive) written as Parquet is read back by DuckDB
 * equal to DuckDB's own reading of the source CSV; CSV output and the printed table show
 * dates and timestamps as ISO 8601 text.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-cli-output-'));
const weatherCsv = resolve('node_modules/vega-datasets/data/seattle-weather.csv');

/** The seattle-weather example cut after its filter, with a timestamp column derived. */
function pipelineFile(): string {
  const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8'));
  doc.steps = doc.steps.filter((s: { id: string }) =>
    ['source', 'csv', 'filter', 'derive'].includes(s.id),
  );
  const derive = doc.steps.find((s: { id: string }) => s.id === 'derive');
  derive.params = { column: 'noon', expression: 'date_add("hour", 12, date)' };
  doc.edges = doc.edges.filter(
    (e: { to: { step: string } }) => e.to.step !== 'aggregate' && e.to.step !== 'sort',
  );
  const file = join(dir, 'weather-noon.quiver.json');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

function capture() {
  const out: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => out.push(t) }, out };
}

/** The same rows in DuckDB, straight from the CSV. */
const EXPECTED_SQL = `SELECT date, precipitation, temp_max, temp_min, wind, weather,
  date + INTERVAL 12 HOUR AS noon
  FROM read_csv('${weatherCsv}') WHERE temp_max > 15`;

describe('quiver run --output by extension', () => {
  it('writes Parquet for .parquet, which DuckDB reads back equal', async () => {
    const out = join(dir, 'noon.parquet');
    const { io } = capture();
    expect(await main(['run', pipelineFile(), '--output', out], io)).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString('latin1')).toBe('PAR1');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const diff = await conn.runAndReadAll(
      `SELECT count(*) FROM ((SELECT * FROM read_parquet('${out}') EXCEPT ALL (${EXPECTED_SQL}))
       UNION ALL ((${EXPECTED_SQL}) EXCEPT ALL SELECT * FROM read_parquet('${out}')))`,
    );
    expect(Number(diff.getRows()[0]![0])).toBe(0);
    const n = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${out}')`);
    expect(Number(n.getRows()[0]![0])).toBeGreaterThan(500);
    const types = await conn.runAndReadAll(
      `DESCRIBE SELECT date, noon FROM read_parquet('${out}')`,
    );
    expect(types.getRows().map((r) => String(r[1]))).toEqual(['DATE', 'TIMESTAMP']);
  });

  it('writes dates and timestamps as ISO 8601 in CSV output and the printed table', async () => {
    const out = join(dir, 'noon.csv');
    const { io, out: printed } = capture();
    expect(await main(['run', pipelineFile(), '--output', out], io)).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\r\n');
    expect(lines[0]).toBe('date,precipitation,temp_max,temp_min,wind,weather,noon');
    expect(lines[1]).toMatch(/^2012-02-04,0,15.6,5,4.3,sun,2012-02-04T12:00:00$/);
    expect(printed.join('\n')).toMatch(/^2012-0\d-\d\d\s.*\s2012-0\d-\d\dT12:00:00$/m);
    expect(printed.join('\n')).not.toMatch(/13\d{11}/);
  });
});

describe('quiver run on a JSON file', () => {
  it('reads cars.json through source → json → filter, as DuckDB read_json does', async () => {
    const doc = JSON.parse(readFileSync('examples/seattle-weather.quiver.json', 'utf8'));
    const [source, csv, filter] = ['source', 'csv', 'filter'].map((id) =>
      doc.steps.find((s: { id: string }) => s.id === id),
    );
    source.params = { uri: 'sample:cars.json' };
    Object.assign(csv, { id: 'json', moduleId: 'json', params: {} });
    filter.params = { expression: 'Origin == "Japan" && year(Year) >= 1980' };
    doc.steps = [source, csv, filter];
    doc.edges = [
      { id: 'a', from: { step: 'source', port: 'bytes' }, to: { step: 'json', port: 'json' } },
      { id: 'b', from: { step: 'json', port: 'out' }, to: { step: 'filter', port: 'in' } },
    ];
    const file = join(dir, 'cars.quiver.json');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(dir, 'cars.parquet');
    const { io, out: printed } = capture();
    expect(await main(['run', file, '--output', out], io)).toBe(0);
    const cars = resolve('node_modules/vega-datasets/data/cars.json');
    const conn = await (await DuckDBInstance.create(':memory:')).connect();
    const expected = `SELECT * FROM read_json('${cars}') WHERE Origin = 'Japan' AND year(Year) >= 1980`;
    const diff = await conn.runAndReadAll(
      `SELECT count(*) FROM ((SELECT * FROM read_parquet('${out}') EXCEPT ALL (${expected}))
       UNION ALL ((${expected}) EXCEPT ALL SELECT * FROM read_parquet('${out}')))`,
    );
    expect(Number(diff.getRows()[0]![0])).toBe(0);
    expect(printed.join('\n')).toContain('Result of step "filter" (20 of 34 rows):');
  });
});
