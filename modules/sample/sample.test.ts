/**
 * The sample module: a seeded sampler cannot match DuckDB's own SAMPLE (another generator), so
 * the row numbers it must pick come from an independent TypeScript implementation of the
 * documented algorithms (SplitMix64, Bernoulli draws, Vitter's Algorithm R), and DuckDB gives
 * those rows of the real table (flights, weather) to compare with, cell by cell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import {
  dictionaryPerBatch,
  expectTable,
  loadDataset,
  openOracle,
  rechunk,
  runFails,
  runOk,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, builtModule } from '../sdk/reactor.testkit';

let oracle: Oracle;
let flights: Table;
let weather: Table;

const MASK = (1n << 64n) - 1n;

/** SplitMix64 (Steele, Lea, Flood 2014), as the module documents it. */
function splitMix(seed: number): () => bigint {
  let state = BigInt.asUintN(64, BigInt(seed));
  return () => {
    state = (state + 0x9e3779b97f4a7c15n) & MASK;
    let z = state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
    return z ^ (z >> 31n);
  };
}

/** Row numbers Algorithm R keeps, sorted. */
function reservoirRows(n: number, capacity: number, seed: number): number[] {
  const next = splitMix(seed);
  const slots: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i < capacity) slots.push(i);
    else {
      const j = Number((next() * BigInt(i + 1)) >> 64n);
      if (j < capacity) slots[j] = i;
    }
  }
  return slots.sort((a, b) => a - b);
}

/** Row numbers Bernoulli sampling keeps. */
function bernoulliRows(n: number, fraction: number, seed: number): number[] {
  const next = splitMix(seed);
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (Number(next() >> 11n) * 2 ** -53 < fraction) rows.push(i);
  return rows;
}

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('sample', abi);
  oracle = await openOracle();
  flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow', 30_000);
  weather = await loadDataset(oracle, 'weather', 'seattle-weather.csv');
});

afterAll(() => oracle?.close());

const rowsOf = (table: string, columns: string, rows: number[]) =>
  oracle.columns(
    `SELECT ${columns} FROM ${table} WHERE file_row_number IN (${rows.join(', ') || '-1'})
     ORDER BY file_row_number`,
  );

describe.each(BOTH_ABIS)('sample module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('sample', input, params, abi);

  it('keeps the rows Algorithm R picks, in input order, across batches', async () => {
    for (const [capacity, seed] of [
      [1000, 42],
      [7, -3],
      [0, 1],
    ] as const) {
      const out = run(flights, { rows: capacity, seed });
      const expected = reservoirRows(flights.numRows, capacity, seed);
      expect(out.numRows).toBe(capacity);
      expectTable(out, await rowsOf('flights', 'delay, distance, time', expected));
    }
  });

  it('is reproducible and changes with the seed', () => {
    const a = run(weather, { rows: 50, seed: 9 });
    const b = run(rechunk(weather, [3, 400]), { rows: 50, seed: 9 });
    const c = run(weather, { rows: 50, seed: 10 });
    expect([...b.getChild('date')!]).toEqual([...a.getChild('date')!]);
    expect([...c.getChild('date')!]).not.toEqual([...a.getChild('date')!]);
  });

  it('gives every row when the input is smaller than the reservoir, dictionaries decoded', async () => {
    const out = run(dictionaryPerBatch(weather, 'weather', 100), { rows: 5000 });
    expect(String(out.schema.fields[5]?.type)).toBe('Utf8');
    expectTable(
      out,
      await oracle.columns(
        'SELECT date, precipitation, temp_max, temp_min, wind, weather FROM weather ORDER BY file_row_number',
      ),
    );
  });

  it('keeps each row with the given probability (Bernoulli draws)', async () => {
    const out = run(flights, { fraction: 0.01, seed: 7 });
    const expected = bernoulliRows(flights.numRows, 0.01, 7);
    expect(Math.abs(expected.length - 2000)).toBeLessThan(200);
    expectTable(out, await rowsOf('flights', 'delay, distance, time', expected));
  });

  it('wants exactly one of rows and fraction', () => {
    expect(runFails('sample', weather, { seed: 1 }, abi)).toContain('exactly one of');
    expect(runFails('sample', weather, { rows: 3, fraction: 0.5 }, abi)).toContain(
      'exactly one of',
    );
  });
});
