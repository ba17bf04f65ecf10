/**
 * The select module against DuckDB's SELECT list on vega-datasets tables, plus its errors, in
 * both builds (ABI v2, the committed one, and v1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import {
  dictionaryEncode,
  expectTable,
  loadDataset,
  openOracle,
  rechunk,
  runFails,
  runOk,
  withoutBatches,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let oracle: Oracle;
let weather: Table;
let airports: Table;

beforeAll(async () => {
  oracle = await openOracle();
  weather = await loadDataset(oracle, 'weather', 'seattle-weather.csv', 500);
  airports = await loadDataset(oracle, 'airports', 'airports.csv');
});

afterAll(() => oracle?.close());

describe.each(BOTH_ABIS)('select module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('select', input, params, abi);
  const fails = (input: Table, params: unknown) => runFails('select', input, params, abi);

  it('keeps, renames and reorders columns, batch by batch', async () => {
    const input = rechunk(weather, [0, 100, 0, 600]);
    const out = run(input, {
      columns: [{ name: 'temp_max', as: 'high' }, { name: 'date' }, { name: 'temp_max' }],
    });
    expectTable(
      out,
      await oracle.columns(
        'SELECT temp_max AS high, date, temp_max FROM weather ORDER BY file_row_number',
      ),
    );
    expect(out.batches.map((b) => b.numRows)).toEqual(input.batches.map((b) => b.numRows));
  });

  it('drops and renames in place, keeping input order', async () => {
    const out = run(airports, {
      drop: ['name', 'country'],
      rename: [
        { name: 'latitude', as: 'lat' },
        { name: 'iata', as: 'code' },
      ],
    });
    expectTable(
      out,
      await oracle.columns(
        `SELECT iata AS code, city, state, latitude AS lat, longitude FROM airports
         ORDER BY file_row_number`,
      ),
    );
  });

  it('passes every column with no parameters, and dictionary columns stay encoded', async () => {
    const encoded = rechunk(dictionaryEncode(weather, 'weather'), [700, 0]);
    const out = run(encoded, {});
    expect(out.schema.fields.find((f) => f.name === 'weather')?.type.typeId).toBe(Type.Dictionary);
    expectTable(
      out,
      await oracle.columns(
        `SELECT date, precipitation, temp_max, temp_min, wind, weather FROM weather
         ORDER BY file_row_number`,
      ),
    );
  });

  it('writes the new schema for an input with no batches or only empty batches', () => {
    for (const input of [withoutBatches(weather), rechunk(weather.slice(0, 0), [0, 0])]) {
      const out = run(input, {
        columns: [{ name: 'weather', as: 'kind' }, { name: 'wind' }],
      });
      expect(out.numRows).toBe(0);
      expect(out.schema.fields.map((f) => f.name)).toEqual(['kind', 'wind']);
    }
  });

  it('names the parameter and the column it cannot find', () => {
    const cases: [object, string[]][] = [
      [{ columns: [{ name: 'date' }, { name: 'rain' }] }, ['columns[1].name', '"rain"']],
      [{ drop: ['wind', 'snow'] }, ['drop[1]', '"snow"']],
      [{ rename: [{ name: 'sun', as: 'x' }] }, ['rename[0].name', '"sun"']],
      [{ columns: [{ name: 'date', as: 'wind' }, { name: 'wind' }] }, ['"wind"', 'named']],
      [{ rename: [{ name: 'date', as: 'wind' }] }, ['"wind"', 'named']],
      [{ columns: [{ name: 'date' }], drop: ['wind'] }, ["'columns'", "'drop'"]],
    ];
    for (const [params, fragments] of cases) {
      const message = fails(weather, params);
      for (const fragment of fragments) expect(message).toContain(fragment);
    }
  });
});
