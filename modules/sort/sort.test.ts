/**
 * The sort module against DuckDB's ORDER BY on vega-datasets tables. DuckDB's sort is not
 * stable, so every oracle query ends with `file_row_number` (input order) as a last key:
 * that is exactly the order a stable sort must give.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import {
  dictionaryEncode,
  dictionaryPerBatch,
  expectTable,
  loadDataset,
  loadQuery,
  openOracle,
  rechunk,
  runFails,
  runOk,
  withoutBatches,
} from './testkit';
import type { Oracle } from './testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let oracle: Oracle;
let weather: Table;
let airports: Table;
let flights: Table;
let nullable: Table;

const WEATHER = 'date, precipitation, temp_max, temp_min, wind, weather';
const AIRPORTS = 'iata, name, city, state, country, latitude, longitude';
const NULLABLE = 'date, t, w, kind, p, ts, u, f, hot';

beforeAll(async () => {
  oracle = await openOracle();
  weather = await loadDataset(oracle, 'weather', 'seattle-weather.csv', 500);
  airports = await loadDataset(oracle, 'airports', 'airports.csv');
  flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow', 30_000);
  // Nulls in a float, an integer and a string column, and float edge values (NaN, -0, ±inf).
  nullable = await loadQuery(
    oracle,
    'nullable',
    `SELECT date,
            CASE WHEN file_row_number % 7 = 3 THEN NULL ELSE temp_max END AS t,
            CASE WHEN file_row_number % 5 = 1 THEN NULL ELSE CAST(round(wind) AS INTEGER) END AS w,
            CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE weather END AS kind,
            CASE file_row_number % 13 WHEN 0 THEN 'NaN'::DOUBLE WHEN 1 THEN '-0.0'::DOUBLE
                 WHEN 2 THEN 'inf'::DOUBLE WHEN 3 THEN '-inf'::DOUBLE WHEN 4 THEN NULL
                 ELSE precipitation END AS p,
            CAST(date AS TIMESTAMP) + to_hours(CAST(file_row_number % 24 AS BIGINT)) AS ts,
            CAST(round(wind * 100) AS UBIGINT) AS u,
            CAST(temp_min AS FLOAT) AS f,
            CASE WHEN file_row_number % 9 = 4 THEN NULL ELSE temp_max > 15 END AS hot
       FROM weather ORDER BY file_row_number`,
    600,
  );
});

afterAll(() => oracle?.close());

describe.each(BOTH_ABIS)('sort module, ABI v%i build', (abi) => {
  const run = (input: Uint8Array | Table, params: unknown) => runOk('sort', input, params, abi);
  const fails = (input: Uint8Array | Table, params: unknown) =>
    runFails('sort', input, params, abi);

  it('sorts by several keys with mixed directions, stably, across batches', async () => {
    const keys = [
      { column: 'weather' },
      { column: 'temp_max', descending: true },
      { column: 'precipitation', nulls: 'first' },
    ];
    const out = run(rechunk(weather, [0, 100, 0, 361]), { keys });
    expectTable(
      out,
      await oracle.columns(
        `SELECT ${WEATHER} FROM weather
         ORDER BY weather ASC NULLS LAST, temp_max DESC NULLS LAST,
                  precipitation ASC NULLS FIRST, file_row_number`,
      ),
    );
  });

  it('orders every key type, nulls first or last in each direction, NaN above +inf, -0 = 0', async () => {
    const cases: [object[], string][] = [
      [
        [{ column: 'p' }, { column: 'w', descending: true, nulls: 'first' }],
        'p ASC NULLS LAST, w DESC NULLS FIRST',
      ],
      [
        [
          { column: 'p', descending: true, nulls: 'first' },
          { column: 't', nulls: 'first' },
        ],
        'p DESC NULLS FIRST, t ASC NULLS FIRST',
      ],
      [
        [
          { column: 'kind', descending: true },
          { column: 'w', nulls: 'last' },
        ],
        'kind DESC NULLS LAST, w ASC NULLS LAST',
      ],
      [[{ column: 'kind', nulls: 'first' }], 'kind ASC NULLS FIRST'],
      [
        [{ column: 'hot', nulls: 'first' }, { column: 'f', descending: true }, { column: 'ts' }],
        'hot ASC NULLS FIRST, f DESC NULLS LAST, ts ASC NULLS LAST',
      ],
      [[{ column: 'u', descending: true }], 'u DESC NULLS LAST'],
    ];
    expect(nullable.schema.fields.map((f) => String(f.type))).toEqual([
      'Date32<DAY>',
      'Float64',
      'Int32',
      'Utf8',
      'Float64',
      'Timestamp<MICROSECOND>',
      'Uint64',
      'Float32',
      'Bool',
    ]);
    for (const [keys, orderBy] of cases) {
      const out = run(nullable, { keys });
      expectTable(
        out,
        await oracle.columns(
          `SELECT ${NULLABLE} FROM nullable ORDER BY ${orderBy}, file_row_number`,
        ),
      );
    }
  });

  it('sorts strings bytewise (airports: state, then city descending, nulls first)', async () => {
    const keys = [
      { column: 'state', nulls: 'first' },
      { column: 'city', descending: true },
    ];
    expectTable(
      run(airports, { keys }),
      await oracle.columns(
        `SELECT ${AIRPORTS} FROM airports
         ORDER BY state ASC NULLS FIRST, city DESC NULLS LAST,
                  file_row_number`,
      ),
    );
  });

  it('keeps input order among 200k flights tied on a small integer key', async () => {
    const keys = [{ column: 'delay', descending: true }];
    const out = run(flights, { keys });
    expectTable(
      out,
      await oracle.columns(
        'SELECT delay, distance, time FROM flights ORDER BY delay DESC, file_row_number',
      ),
    );
    const two = run(flights, {
      keys: [{ column: 'distance' }, { column: 'time', descending: true }],
    });
    expectTable(
      two,
      await oracle.columns(
        'SELECT delay, distance, time FROM flights ORDER BY distance, time DESC, file_row_number',
      ),
    );
  });

  it('sorts a dictionary-encoded column by value, not by index, and keeps it encoded', async () => {
    const encoded = rechunk(dictionaryEncode(weather, 'weather'), [300, 0, 400]);
    const out = run(encoded, {
      keys: [{ column: 'weather', descending: true }, { column: 'date' }],
    });
    expect(out.schema.fields.find((f) => f.name === 'weather')?.type.typeId).toBe(Type.Dictionary);
    expectTable(
      out,
      await oracle.columns(
        `SELECT ${WEATHER} FROM weather ORDER BY weather DESC, date, file_row_number`,
      ),
    );
  });

  it('sorts a column whose dictionary changes from batch to batch by value', async () => {
    const out = run(dictionaryPerBatch(nullable, 'kind', 200), {
      keys: [{ column: 'kind', descending: true, nulls: 'first' }, { column: 'p' }],
    });
    // The batches' dictionaries differ, so the module decodes the column.
    expect(out.schema.fields.find((f) => f.name === 'kind')?.type.typeId).toBe(Type.Utf8);
    expectTable(
      out,
      await oracle.columns(
        `SELECT ${NULLABLE} FROM nullable ORDER BY kind DESC NULLS FIRST, p, file_row_number`,
      ),
    );
  });

  it('gives an empty table for an input of no batches or only empty batches', () => {
    for (const input of [withoutBatches(weather), rechunk(weather.slice(0, 0), [0, 0])]) {
      const out = run(input, { keys: [{ column: 'temp_max' }] });
      expect(out.numRows).toBe(0);
      expect(out.schema.fields.map((f) => f.name)).toEqual(WEATHER.split(', '));
    }
  });

  it('names the missing column and the parameter', () => {
    const message = fails(weather, {
      keys: [{ column: 'date' }, { column: 'temperature' }],
    });
    expect(message).toContain('keys[1].column');
    expect(message).toContain('"temperature"');
  });
});
