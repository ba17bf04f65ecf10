/**
 * The aggregate module against DuckDB's GROUP BY on vega-datasets tables. Groups come out in
 * order of their first row, which the oracle states as `ORDER BY min(file_row_number)`;
 * first/last are DuckDB's `first(x ORDER BY file_row_number)` (nulls included).
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
  runModule,
  runOk,
  withoutBatches,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';
import { tableToIPC } from 'apache-arrow';

let oracle: Oracle;
let weather: Table;
let nullable: Table;
let flights: Table;
let airports: Table;
/** Loaded by the first test that needs it (once for both builds). */
let flights3m: Table | undefined;
let strings: Table;
let big: Table;

beforeAll(async () => {
  oracle = await openOracle();
  weather = await loadDataset(oracle, 'weather', 'seattle-weather.csv', 400);
  flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow', 25_000);
  airports = await loadDataset(oracle, 'airports', 'airports.csv');
  nullable = await loadQuery(
    oracle,
    'nullable',
    `SELECT date,
            CASE WHEN file_row_number % 7 = 3 THEN NULL ELSE temp_max END AS t,
            CASE WHEN file_row_number % 5 = 1 THEN NULL ELSE CAST(round(wind) AS INTEGER) END AS w,
            CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE weather END AS kind,
            CASE WHEN file_row_number % 4 = 0 THEN NULL ELSE year(date) END AS yr,
            CAST(round(precipitation) AS TINYINT) AS p8,
            CAST(round(wind * 10) AS UBIGINT) AS wu,
            CAST(temp_min AS FLOAT) AS tf,
            CASE file_row_number % 97 WHEN 5 THEN 'NaN'::DOUBLE WHEN 6 THEN '-0.0'::DOUBLE
                 WHEN 7 THEN 'inf'::DOUBLE WHEN 8 THEN NULL ELSE precipitation END AS pn,
            CASE file_row_number % 89 WHEN 5 THEN '-inf'::DOUBLE WHEN 6 THEN '-0.0'::DOUBLE
                 ELSE wind END AS wn
       FROM weather ORDER BY file_row_number`,
    300,
  );
  strings = await loadQuery(
    oracle,
    'strings',
    `SELECT i % 3 AS k, 'v' || lpad(CAST(i AS VARCHAR), 200, '0') AS s,
            CASE WHEN i % 7 = 0 THEN NULL ELSE 'w' || CAST(i % 500 AS VARCHAR) END AS t
       FROM range(30000) r(i)`,
    700,
  );
  big = await loadQuery(
    oracle,
    'big',
    'SELECT 9223372036854775807::BIGINT AS x UNION ALL SELECT 1::BIGINT',
  );
});

afterAll(() => oracle?.close());

/** Every op over several column types, and the matching DuckDB select list. */
const ALL_OPS = [
  { name: 'n', op: 'count' },
  { name: 'n_t', op: 'count', column: 't' },
  { name: 'distinct_w', op: 'count_distinct', column: 'w' },
  { name: 'distinct_kind', op: 'count_distinct', column: 'kind' },
  { name: 'sum_w', op: 'sum', column: 'w' },
  { name: 'sum_t', op: 'sum', column: 't' },
  { name: 'sum_p8', op: 'sum', column: 'p8' },
  { name: 'sum_wu', op: 'sum', column: 'wu' },
  { name: 'mean_t', op: 'mean', column: 't' },
  { name: 'mean_w', op: 'mean', column: 'w' },
  { name: 'mean_tf', op: 'mean', column: 'tf' },
  { name: 'min_t', op: 'min', column: 't' },
  { name: 'max_w', op: 'max', column: 'w' },
  { name: 'min_kind', op: 'min', column: 'kind' },
  { name: 'max_kind', op: 'max', column: 'kind' },
  { name: 'min_date', op: 'min', column: 'date' },
  { name: 'max_tf', op: 'max', column: 'tf' },
  { name: 'first_t', op: 'first', column: 't' },
  { name: 'last_kind', op: 'last', column: 'kind' },
  { name: 'last_date', op: 'last', column: 'date' },
  { name: 'sum_pn', op: 'sum', column: 'pn' },
  { name: 'mean_wn', op: 'mean', column: 'wn' },
  { name: 'min_wn', op: 'min', column: 'wn' },
  { name: 'max_pn', op: 'max', column: 'pn' },
  { name: 'distinct_pn', op: 'count_distinct', column: 'pn' },
];
const ALL_OPS_SQL = `count(*) AS n, count(t) AS n_t, count(DISTINCT w) AS distinct_w,
  count(DISTINCT kind) AS distinct_kind, sum(w) AS sum_w, sum(t) AS sum_t, sum(p8) AS sum_p8,
  sum(wu) AS sum_wu, avg(t) AS mean_t, avg(w) AS mean_w, avg(tf) AS mean_tf, min(t) AS min_t,
  max(w) AS max_w, min(kind) AS min_kind, max(kind) AS max_kind, min(date) AS min_date,
  max(tf) AS max_tf, first(t ORDER BY file_row_number) AS first_t,
  last(kind ORDER BY file_row_number) AS last_kind,
  last(date ORDER BY file_row_number) AS last_date, sum(pn) AS sum_pn, avg(wn) AS mean_wn,
  min(wn) AS min_wn, max(pn) AS max_pn, count(DISTINCT pn) AS distinct_pn`;

describe.each(BOTH_ABIS)('aggregate module, ABI v%i build', (abi) => {
  const run = (input: Uint8Array | Table, params: unknown) =>
    runOk('aggregate', input, params, abi);
  const fails = (input: Uint8Array | Table, params: unknown) =>
    runFails('aggregate', input, params, abi);

  it('computes every op per group; null keys form their own group; first-appearance order', async () => {
    const out = run(nullable, { groupBy: ['kind'], aggregates: ALL_OPS });
    expectTable(
      out,
      await oracle.columns(
        `SELECT kind, ${ALL_OPS_SQL} FROM nullable GROUP BY kind ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('computes every op with no keys as one row', async () => {
    const out = run(nullable, { aggregates: ALL_OPS });
    expectTable(out, await oracle.columns(`SELECT ${ALL_OPS_SQL} FROM nullable`));
  });

  it('groups by two keys, one with nulls, across many batches', async () => {
    const input = rechunk(nullable, [0, 17, 0, 250]);
    const out = run(input, { groupBy: ['yr', 'kind'], aggregates: ALL_OPS });
    expectTable(
      out,
      await oracle.columns(
        `SELECT yr, kind, ${ALL_OPS_SQL} FROM nullable GROUP BY yr, kind
         ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('groups float keys with NaN = NaN and -0 = 0, as DuckDB does', async () => {
    const out = run(nullable, {
      groupBy: ['pn'],
      aggregates: [
        { name: 'n', op: 'count' },
        { name: 'first_date', op: 'first', column: 'date' },
      ],
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT pn, count(*) AS n, first(date ORDER BY file_row_number) AS first_date
         FROM nullable GROUP BY pn ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('keeps the input type for min/max/first/last (dates, strings) and types counts int64', () => {
    const out = run(nullable, { groupBy: ['kind'], aggregates: ALL_OPS });
    const typeOf = (name: string) => out.schema.fields.find((f) => f.name === name)?.type;
    const inputType = (name: string) => nullable.schema.fields.find((f) => f.name === name)?.type;
    expect(String(typeOf('min_date'))).toBe(String(inputType('date')));
    expect(String(typeOf('last_kind'))).toBe(String(inputType('kind')));
    expect(String(typeOf('max_tf'))).toBe(String(inputType('tf')));
    expect(String(typeOf('n'))).toBe('Int64');
    expect(String(typeOf('sum_p8'))).toBe('Int64');
    expect(String(typeOf('sum_t'))).toBe('Float64');
    expect(String(typeOf('mean_w'))).toBe('Float64');
  });

  it('groups a dictionary-encoded string key by value', async () => {
    const encoded = rechunk(dictionaryEncode(airports, 'state'), [1000, 0, 700]);
    const out = run(encoded, {
      groupBy: ['state'],
      aggregates: [
        { name: 'airports', op: 'count' },
        { name: 'north', op: 'max', column: 'latitude' },
        { name: 'mean_lon', op: 'mean', column: 'longitude' },
        { name: 'first_city', op: 'first', column: 'city' },
        { name: 'min_iata', op: 'min', column: 'iata' },
      ],
    });
    expect(out.schema.fields[0]!.type.typeId).toBe(Type.Dictionary);
    expectTable(
      out,
      await oracle.columns(
        `SELECT state, count(*) AS airports, max(latitude) AS north, avg(longitude) AS mean_lon,
                first(city ORDER BY file_row_number) AS first_city, min(iata) AS min_iata
         FROM airports GROUP BY state ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('gives one null row for min/last of a dictionary column with no batches', async () => {
    // Regression: the whole-input version failed here ("dictionary column without a
    // matching utf8 dictionary"); the output keeps the dictionary type, with an empty one.
    const empty = withoutBatches(dictionaryEncode(airports, 'state'));
    const out = run(empty, {
      aggregates: [
        { name: 'min_state', op: 'min', column: 'state' },
        { name: 'last_state', op: 'last', column: 'state' },
      ],
    });
    expect(out.schema.fields[0]!.type.typeId).toBe(Type.Dictionary);
    expectTable(
      out,
      await oracle.columns(
        'SELECT min(state) AS min_state, last(state) AS last_state FROM airports WHERE false',
      ),
    );
  });

  it('groups a key whose dictionary changes from batch to batch, nulls included', async () => {
    const out = run(dictionaryPerBatch(nullable, 'kind', 250), {
      groupBy: ['kind'],
      aggregates: ALL_OPS,
    });
    // Batches do not share one dictionary: the key and min/max/last of it come out decoded.
    expect(out.schema.fields[0]!.type.typeId).toBe(Type.Utf8);
    expect(out.schema.fields.find((f) => f.name === 'last_kind')!.type.typeId).toBe(Type.Utf8);
    expectTable(
      out,
      await oracle.columns(
        `SELECT kind, ${ALL_OPS_SQL} FROM nullable GROUP BY kind ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('keeps copies of strings that min, max and last replace in every batch', async () => {
    // Ascending strings: max and last replace each group's copy at every row (2 MB of
    // replaced bytes per group), so the copies' arena is compacted several times.
    const out = run(strings, {
      groupBy: ['k'],
      aggregates: [
        { name: 'max_s', op: 'max', column: 's' },
        { name: 'min_s', op: 'min', column: 's' },
        { name: 'last_s', op: 'last', column: 's' },
        { name: 'last_t', op: 'last', column: 't' },
        { name: 'max_t', op: 'max', column: 't' },
        { name: 'distinct_t', op: 'count_distinct', column: 't' },
      ],
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT k, max(s) AS max_s, min(s) AS min_s, last(s ORDER BY file_row_number) AS last_s,
                last(t ORDER BY file_row_number) AS last_t, max(t) AS max_t,
                count(DISTINCT t) AS distinct_t
         FROM strings GROUP BY k ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('aggregates 200k flights by an integer key', async () => {
    const out = run(flights, {
      groupBy: ['distance'],
      aggregates: [
        { name: 'n', op: 'count' },
        { name: 'total_delay', op: 'sum', column: 'delay' },
        { name: 'mean_time', op: 'mean', column: 'time' },
        { name: 'delays', op: 'count_distinct', column: 'delay' },
        { name: 'worst', op: 'max', column: 'delay' },
        { name: 'last_time', op: 'last', column: 'time' },
      ],
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT distance, count(*) AS n, sum(delay) AS total_delay, avg(time) AS mean_time,
                count(DISTINCT delay) AS delays, max(delay) AS worst,
                last(time ORDER BY file_row_number) AS last_time
         FROM flights GROUP BY distance ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('gives one row without keys and no rows with keys for empty input', async () => {
    const aggregates = ALL_OPS;
    const expected = await oracle.columns(`SELECT ${ALL_OPS_SQL} FROM nullable WHERE false`);
    for (const input of [withoutBatches(nullable), rechunk(nullable.slice(0, 0), [0, 0])]) {
      expectTable(run(input, { aggregates }), expected);
      const grouped = run(input, { groupBy: ['kind'], aggregates });
      expect(grouped.numRows).toBe(0);
      expect(grouped.schema.fields.map((f) => f.name)).toEqual([
        'kind',
        ...aggregates.map((a) => a.name),
      ]);
    }
  });

  it('fails on an int64 sum overflow, naming the aggregate', async () => {
    const message = fails(big, {
      aggregates: [{ name: 's', op: 'sum', column: 'x' }],
    });
    expect(message).toContain('overflows int64');
    expect(message).toContain('aggregates[0]');
  });

  it('names the parameter and the column in errors', () => {
    const unknownKey = fails(weather, {
      groupBy: ['weather', 'month'],
      aggregates: [{ name: 'n', op: 'count' }],
    });
    expect(unknownKey).toContain('groupBy[1]');
    expect(unknownKey).toContain('"month"');
    const unknownColumn = fails(weather, {
      aggregates: [
        { name: 'n', op: 'count' },
        { name: 's', op: 'sum', column: 'rain' },
      ],
    });
    expect(unknownColumn).toContain('aggregates[1].column');
    expect(unknownColumn).toContain('"rain"');
    const notNumeric = fails(weather, {
      aggregates: [{ name: 's', op: 'sum', column: 'weather' }],
    });
    expect(notNumeric).toContain('"weather"');
    expect(notNumeric).toContain('numeric');
    const clash = fails(weather, {
      groupBy: ['weather'],
      aggregates: [{ name: 'weather', op: 'count' }],
    });
    expect(clash).toContain('"weather"');
  });

  it('aggregates flights-3m by a string key (wall and CPU time logged)', async () => {
    flights3m ??= await loadDataset(oracle, 'flights3m', 'flights-3m.parquet');
    const input = tableToIPC(flights3m, 'stream');
    const params = {
      groupBy: ['origin'],
      aggregates: [
        { name: 'flights', op: 'count' },
        { name: 'total_delay', op: 'sum', column: 'delay' },
        { name: 'mean_delay', op: 'mean', column: 'delay' },
        { name: 'longest', op: 'max', column: 'distance' },
        { name: 'first_date', op: 'min', column: 'date' },
      ],
    };
    const timed = runModule('aggregate', input, params, abi);
    expect(timed.exitCode, timed.stderr).toBe(0);
    console.info(
      `aggregate v${abi} flights-3m by origin: ${timed.elapsedMs.toFixed(0)} ms wall, ${timed.cpuMs.toFixed(0)} ms CPU`,
    );
    expectTable(
      timed.output!,
      await oracle.columns(
        `SELECT origin, count(*) AS flights, sum(delay) AS total_delay, avg(delay) AS mean_delay,
                max(distance) AS longest, min(date) AS first_date
         FROM flights3m GROUP BY origin ORDER BY min(file_row_number)`,
      ),
    );
  });
});
