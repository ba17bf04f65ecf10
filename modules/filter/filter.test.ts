/**
 * filter against DuckDB: for each expression, the rows the filter module keeps (in both builds:
 * ABI v2, committed, and v1) are exactly the rows DuckDB's WHERE keeps, in order, with every
 * column's values and type (dictionary columns included) unchanged. Data: seattle-weather with
 * nulls injected, flights-200k (200,000 rows), airports.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type TestTable,
  columnCells,
  dataDir,
  duckColumn,
  loadTable,
  openDuckDB,
  runExpressionModule,
  sameCell,
} from './expr-oracle';
import { loadAirports } from './airports-table';
import { loadWeather } from './weather-table';
import type { Abi } from '../sdk/c-build';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let conn: DuckDBConnection;
let w: TestTable;
let flights: TestTable;
let airports: TestTable;

beforeAll(async () => {
  conn = await openDuckDB();
  w = await loadWeather(conn);
  // flights-200k.arrow (int16, int16, float32) as DuckDB BIGINT/DOUBLE: the module widens the
  // same way, so both sides compute in the same types.
  const src = tableFromIPC(readFileSync(resolve(dataDir, 'flights-200k.arrow')));
  await conn.run(
    'CREATE TABLE flights_src (rid BIGINT, delay BIGINT, distance BIGINT, time DOUBLE)',
  );
  const app = await conn.createAppender('flights_src');
  const [delay, distance, time] = ['delay', 'distance', 'time'].map((c) => src.getChild(c)!);
  for (let i = 0; i < src.numRows; i++) {
    app.appendBigInt(BigInt(i));
    for (const [v, big] of [
      [delay!.get(i), true],
      [distance!.get(i), true],
      [time!.get(i), false],
    ] as [number | null, boolean][]) {
      if (v === null) app.appendNull();
      else if (big) app.appendBigInt(BigInt(v));
      else app.appendDouble(v);
    }
    app.endRow();
  }
  app.closeSync();
  flights = await loadTable(
    conn,
    'flights',
    'SELECT rid, CASE WHEN rid % 97 = 0 THEN NULL ELSE delay END AS delay, distance, time FROM flights_src',
    [
      { name: 'rid', kind: 'bigint' },
      { name: 'delay', kind: 'bigint' },
      { name: 'distance', kind: 'bigint' },
      { name: 'time', kind: 'double' },
    ],
    65_536,
  );
  airports = await loadAirports(conn);
});

const inputCache = new Map<string, ReturnType<typeof columnCells>>();

/** The input table's cells of `column`, computed once per table. */
function inputCells(table: TestTable, column: string): ReturnType<typeof columnCells> {
  const key = `${table.name}.${column}`;
  let cells = inputCache.get(key);
  if (!cells) {
    cells = columnCells(table.arrow, column);
    inputCache.set(key, cells);
  }
  return cells;
}

/** Runs filter and DuckDB; checks kept row ids, then every column of the kept rows. */
async function expectSameRows(
  table: TestTable,
  expression: string,
  where: string,
  abi: Abi,
): Promise<number> {
  const out = runExpressionModule('filter', table, { expression }, { abi });
  const expected = await duckColumn(
    conn,
    `SELECT rid FROM ${table.name} WHERE ${where} ORDER BY rid`,
  );
  const actual = columnCells(out, 'rid');
  expect(actual.length).toBe(expected.length);
  expect(actual.every((a, i) => sameCell(a, expected[i]!))).toBe(true);
  expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(
    table.arrow.schema.fields.map((f) => `${f.name}:${String(f.type)}`),
  );
  // Every kept row equals the input row it came from (rid is 1-based for CSVs, 0-based for flights).
  const base = Number(inputCells(table, 'rid')[0]);
  for (const c of table.columns) {
    const input = inputCells(table, c.name);
    const kept = columnCells(out, c.name);
    const bad = kept.findIndex((v, i) => !sameCell(v, input[Number(actual[i]) - base]!));
    expect(bad, `column ${c.name}`).toBe(-1);
  }
  return actual.length;
}

const WEATHER: [string, string][] = [
  ['temp_max > 20', 'temp_max > 20'],
  ['precipitation > 0 && weather == "rain"', "precipitation > 0 AND weather = 'rain'"],
  ['precipitation > 10 || weather == "sun"', "precipitation > 10 OR weather = 'sun'"],
  ['!(precipitation > 1)', 'NOT (precipitation > 1)'],
  ['precipitation is null', 'precipitation IS NULL'],
  [
    'weather is not null && `weather text` != weather',
    'weather IS NOT NULL AND "weather text" <> weather',
  ],
  ['wet', 'wet'],
  ['!wet', 'NOT wet'],
  ['n % 3 == 0 && n > 0', 'n % 3 = 0 AND n > 0'],
  ['n / 4 > 100.5', 'n / 4 > 100.5'],
  ['abs(temp_min - temp_max) < 5', 'abs(temp_min - temp_max) < 5'],
  [
    'date >= "2013-01-01" && date < "2013-02-01"',
    "date >= DATE '2013-01-01' AND date < DATE '2013-02-01'",
  ],
  ['year(date) == 2014 && month(date) == 7', 'year(date) = 2014 AND month(date) = 7'],
  ['hour(ts) >= 18', 'hour(ts) >= 18'],
  ['ts < "2012-03-01 06:30:00"', "ts < TIMESTAMP '2012-03-01 06:30:00'"],
  ['tsms is null || hour(tsms) < 2', 'tsms IS NULL OR hour(tsms) < 2'],
  ['contains(lower(`weather text`), "día")', 'contains(lower("weather text"), \'día\')'],
  [
    'starts_with(weather, "dr") || length(weather) > 5',
    "starts_with(weather, 'dr') OR length(weather) > 5",
  ],
  ['coalesce(precipitation, -1) < 0', 'coalesce(precipitation, -1) < 0'],
  [
    'if(weather == "snow", true, temp_min < 0)',
    "CASE WHEN weather = 'snow' THEN true ELSE temp_min < 0 END",
  ],
  ['if(n > 0, ln(n) > 6, false)', 'CASE WHEN n > 0 THEN ln(n) > 6 ELSE false END'],
  ['null', 'NULL'],
  ['true', 'true'],
  ['false', 'false'],
];

describe.each(BOTH_ABIS)('filter matches DuckDB, ABI v%i build', (abi) => {
  it.each(WEATHER)('seattle-weather: %s', async (expression, where) => {
    await expectSameRows(w, expression, where, abi);
  });

  it.each([
    ['delay > 60 && distance < 500', 'delay > 60 AND distance < 500'],
    ['time >= 12.5 || delay < -10', 'time >= 12.5 OR delay < -10'],
    ['delay is null', 'delay IS NULL'],
    ['delay * 2 > distance / 10', 'delay * 2 > distance / 10'],
    ['floor(time) == 7 && delay >= 0', 'floor(time) = 7 AND delay >= 0'],
  ])('flights-200k: %s', async (expression, where) => {
    await expectSameRows(flights, expression, where, abi);
  });

  it.each([
    [
      'state == "WA" && contains(lower(name), "muni")',
      "state = 'WA' AND contains(lower(name), 'muni')",
    ],
    ['starts_with(city, "San ")', "starts_with(city, 'San ')"],
    ['length(name) > 30', 'length(name) > 30'],
    ['latitude > 45 && longitude < -120', 'latitude > 45 AND longitude < -120'],
    ['upper(iata) != iata || state is null', 'upper(iata) <> iata OR state IS NULL'],
    ['round(latitude, 1) == 47.5', 'round(latitude, 1) = 47.5'],
  ])('airports: %s', async (expression, where) => {
    await expectSameRows(airports, expression, where, abi);
  });

  it('the comparison detects a wrong row set', async () => {
    await expect(expectSameRows(w, 'temp_max > 20', 'temp_max > 21', abi)).rejects.toThrow();
  });

  it('handles an input with no record batches and one with empty batches', () => {
    const empty = { ...w, ipc: tableToStream(w.arrow.slice(0, 0)) };
    const out = runExpressionModule('filter', empty, { expression: 'temp_max > 20' }, { abi });
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.length).toBe(w.arrow.schema.fields.length);
  });

  it('fails with the module message when params.compiled is missing', () => {
    expect(() =>
      runExpressionModule('filter', w, { expression: 'wet' }, { compile: false, abi }),
    ).toThrow(/parameter 'compiled' is missing/);
  });

  it('refuses hostile compiled forms with an error, not a crash', () => {
    const bad = [
      { version: 2, expr: {} },
      { version: 1, expr: { kind: 'column', type: 'bool', index: 99, name: 'x' } },
      { version: 1, expr: { kind: 'column', type: 'int64', index: 0, name: 'rid', extra: [] } },
      {
        version: 1,
        expr: {
          kind: 'call',
          type: 'bool',
          fn: 'gt',
          args: [{ kind: 'column', type: 'utf8', index: 0, name: 'rid' }],
        },
      },
      { version: 1, expr: { kind: 'call', type: 'bool', fn: 'eval', args: [] } },
      { version: 1, expr: { kind: 'literal', type: 'bool', value: 'yes' } },
    ];
    for (const compiled of bad) {
      expect(() =>
        runExpressionModule('filter', w, { expression: 'x', compiled }, { compile: false, abi }),
      ).toThrow(/filter: expression "x": compiled expression|not a boolean/);
    }
  });
});

function tableToStream(t: import('apache-arrow').Table): Uint8Array {
  return tableToIPC(t, 'stream');
}
