/**
 * The limit module against DuckDB's LIMIT/OFFSET over input order, across batch boundaries,
 * in both builds (ABI v2, the committed one, and v1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import {
  dictionaryEncode,
  expectTable,
  loadDataset,
  openOracle,
  rechunk,
  runOk,
  runFails,
  withoutBatches,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let oracle: Oracle;
let flights: Table;
let weather: Table;

beforeAll(async () => {
  oracle = await openOracle();
  flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow');
  weather = await loadDataset(oracle, 'weather', 'seattle-weather.csv');
});

afterAll(() => oracle?.close());

const FLIGHTS = 'delay, distance, time';

describe.each(BOTH_ABIS)('limit module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('limit', input, params, abi);
  const fails = (input: Table, params: unknown) => runFails('limit', input, params, abi);

  it('takes offset and count across batch boundaries', async () => {
    const input = rechunk(flights.slice(0, 20_000), [1000, 0, 999, 1, 0, 3000]);
    const windows: [number, number][] = [
      [0, 10],
      [1500, 2500],
      [999, 2],
      [1000, 1000],
      [19_990, 100],
      [0, 20_000],
      [25_000, 5],
      [10, 0],
    ];
    for (const [offset, count] of windows) {
      const out = run(input, { offset, count });
      expectTable(
        out,
        await oracle.columns(
          `SELECT ${FLIGHTS} FROM flights WHERE file_row_number < 20000
           ORDER BY file_row_number LIMIT ${count} OFFSET ${offset}`,
        ),
      );
    }
  });

  it('defaults the offset to 0 and passes whole batches without change', async () => {
    const input = rechunk(flights, [50_000]);
    const out = run(input, { count: 120_000 });
    expect(out.batches.map((b) => b.numRows)).toEqual([50_000, 50_000, 20_000]);
    expectTable(
      out,
      await oracle.columns(`SELECT ${FLIGHTS} FROM flights ORDER BY file_row_number LIMIT 120000`),
    );
  });

  it('slices dictionary-encoded columns', async () => {
    const encoded = rechunk(dictionaryEncode(weather, 'weather'), [100]);
    const out = run(encoded, { offset: 250, count: 120 });
    expectTable(
      out,
      await oracle.columns(
        `SELECT date, precipitation, temp_max, temp_min, wind, weather FROM weather
         ORDER BY file_row_number LIMIT 120 OFFSET 250`,
      ),
    );
  });

  it('keeps the schema for empty input', () => {
    for (const input of [withoutBatches(weather), rechunk(weather.slice(0, 0), [0])]) {
      const out = run(input, { offset: 3, count: 10 });
      expect(out.numRows).toBe(0);
      expect(out.schema.fields.map((f) => f.name)).toEqual(
        weather.schema.fields.map((f) => f.name),
      );
    }
  });

  it('rejects a missing or negative count', () => {
    expect(fails(weather, { offset: 1 })).toContain("'count'");
    expect(fails(weather, { count: -1 })).toContain("'count'");
  });
});
