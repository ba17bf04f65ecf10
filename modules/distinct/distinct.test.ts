/**
 * The distinct module against DuckDB's SELECT DISTINCT (all columns) and DISTINCT ON with the
 * first row kept (some columns), on vega-datasets tables with nulls injected in the keys.
 * Output order is input order, so the oracle orders by the first occurrence's row number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import {
  dictionaryPerBatch,
  expectTable,
  loadDataset,
  loadQuery,
  openOracle,
  rechunk,
  runFails,
  runOk,
  withoutBatches,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, builtModule } from '../sdk/reactor.testkit';

let oracle: Oracle;
let coarse: Table;
let airports: Table;

const COARSE = 'kind, t, w, wet';
const AIRPORTS = 'iata, name, city, state, country, latitude, longitude';

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('distinct', abi);
  oracle = await openOracle();
  airports = await loadDataset(oracle, 'airports', 'airports.csv', 700);
  await loadDataset(oracle, 'weather', 'seattle-weather.csv');
  // Seattle weather rounded coarsely, so whole rows repeat; nulls in every key type, and -0.0.
  coarse = await loadQuery(
    oracle,
    'coarse',
    `SELECT CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE weather END AS kind,
            CASE WHEN file_row_number % 7 = 3 THEN NULL
                 WHEN file_row_number % 13 = 0 THEN '-0.0'::DOUBLE
                 ELSE round(temp_max / 10) END AS t,
            CASE WHEN file_row_number % 5 = 1 THEN NULL ELSE CAST(round(wind / 3) AS INTEGER) END AS w,
            CASE WHEN file_row_number % 9 = 4 THEN NULL ELSE precipitation > 0 END AS wet
       FROM weather ORDER BY file_row_number`,
    200,
  );
});

afterAll(() => oracle?.close());

/** DuckDB: the first row of each key, in input order. */
function firstPerKey(table: string, columns: string, keys: string): string {
  return `SELECT ${columns} FROM ${table}
          QUALIFY row_number() OVER (PARTITION BY ${keys} ORDER BY file_row_number) = 1
          ORDER BY file_row_number`;
}

describe.each(BOTH_ABIS)('distinct module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('distinct', input, params, abi);

  it('drops repeated whole rows across batches, nulls equal, -0 equal to 0', async () => {
    const out = run(rechunk(coarse, [0, 37, 200, 1]), {});
    const expected = await oracle.columns(firstPerKey('coarse', COARSE, COARSE));
    expect(out.numRows).toBeLessThan(coarse.numRows / 3);
    expectTable(out, expected);
  });

  it('keeps the first row of each key and all its columns (DISTINCT ON)', async () => {
    for (const keys of ['state', 'state, city', 'country']) {
      const params = { columns: keys.split(', ') };
      expectTable(
        run(airports, params),
        await oracle.columns(firstPerKey('airports', AIRPORTS, keys)),
      );
    }
  });

  it('compares dictionaries that change from batch to batch by value', async () => {
    const out = run(dictionaryPerBatch(coarse, 'kind', 150), { columns: ['kind', 'wet'] });
    expectTable(out, await oracle.columns(firstPerKey('coarse', COARSE, 'kind, wet')));
  });

  it('keeps the schema for empty input', () => {
    const out = run(withoutBatches(airports), { columns: ['state'] });
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.map((f) => f.name)).toEqual(AIRPORTS.split(', '));
  });

  it('names a missing key column and the parameter', () => {
    const message = runFails('distinct', airports, { columns: ['state', 'county'] }, abi);
    expect(message).toContain('columns[1]');
    expect(message).toContain('"county"');
  });
});
