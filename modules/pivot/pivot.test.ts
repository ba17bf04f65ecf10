/**
 * The pivot module against DuckDB on vega-datasets cars, with nulls injected: each cell is
 * DuckDB's aggregate with `FILTER (WHERE column = value)`, groups ordered by their first row
 * (the module's order).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Table } from 'apache-arrow';
import {
  expectColumn,
  expectTable,
  loadQuery,
  openOracle,
  rechunk,
  runFails,
  runOk,
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, builtModule } from '../sdk/reactor.testkit';

let oracle: Oracle;
let cars: Table;

const DATA = 'node_modules/vega-datasets/data';
const ORIGINS = ['USA', 'Europe', 'Japan'];

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('pivot', abi);
  oracle = await openOracle();
  cars = await loadQuery(
    oracle,
    'cars',
    `SELECT Name, Miles_per_Gallon, Cylinders,
            CASE WHEN row_number() OVER () % 9 = 4 THEN NULL ELSE Horsepower END AS Horsepower,
            Acceleration, CAST(year(Year) AS BIGINT) AS yr,
            CASE WHEN row_number() OVER () % 13 = 0 THEN NULL ELSE Origin END AS Origin
       FROM read_json('${DATA}/cars.json')`,
    60,
  );
});

afterAll(() => oracle?.close());

/** DuckDB: one column per origin, `agg` filtered to it, grouped by `index`, in first-row order. */
function pivotSql(index: string, agg: (origin: string) => string): string {
  const cells = ORIGINS.map((o) => `${agg(`'${o}'`)} AS ${o}`).join(', ');
  const by = index ? `GROUP BY ${index} ORDER BY min(file_row_number)` : '';
  return `SELECT ${index ? `${index}, ` : ''}${cells} FROM cars ${by}`;
}

describe.each(BOTH_ABIS)('pivot module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('pivot', input, params, abi);

  it('pivots origins into columns with every aggregate, across batches', async () => {
    const sql: Record<string, (o: string) => string> = {
      sum: (o) => `sum(Horsepower) FILTER (WHERE Origin = ${o})`,
      mean: (o) => `avg(Horsepower) FILTER (WHERE Origin = ${o})`,
      count: (o) => `count(Horsepower) FILTER (WHERE Origin = ${o})`,
      min: (o) => `min(Horsepower) FILTER (WHERE Origin = ${o})`,
      max: (o) => `max(Name) FILTER (WHERE Origin = ${o})`,
      first: (o) => `first(Horsepower ORDER BY file_row_number) FILTER (WHERE Origin = ${o})`,
    };
    for (const [op, agg] of Object.entries(sql)) {
      const value = op === 'max' ? 'Name' : 'Horsepower';
      const params = { index: ['Cylinders'], column: 'Origin', values: ORIGINS, value, op };
      const out = run(rechunk(cars, [0, 5, 100]), params);
      expectTable(out, await oracle.columns(pivotSql('Cylinders', agg)));
    }
  });

  it('sums floats per two index columns; counts rows without a value column; no index', async () => {
    const floats = run(cars, {
      index: ['yr', 'Cylinders'],
      column: 'Origin',
      values: ORIGINS,
      value: 'Acceleration',
    });
    expectTable(
      floats,
      await oracle.columns(
        pivotSql('yr, Cylinders', (o) => `sum(Acceleration) FILTER (WHERE Origin = ${o})`),
      ),
    );
    const rows = run(cars, { column: 'Origin', values: ORIGINS, op: 'count' });
    expectTable(
      rows,
      await oracle.columns(pivotSql('', (o) => `count(*) FILTER (WHERE Origin = ${o})`)),
    );
  });

  it('pivots on an integer column by the values as text', async () => {
    const out = run(cars, {
      index: ['Origin'],
      column: 'Cylinders',
      values: ['4', '6', '8'],
      value: 'Miles_per_Gallon',
      op: 'mean',
    });
    // Checked column by column: a JS object would list the keys "4", "6", "8" before "Origin".
    const expected = await oracle.columns(
      `SELECT Origin, ${['4', '6', '8']
        .map((c) => `avg(Miles_per_Gallon) FILTER (WHERE Cylinders = ${c}) AS "${c}"`)
        .join(', ')} FROM cars GROUP BY Origin ORDER BY min(file_row_number)`,
    );
    expect(out.schema.fields.map((f) => f.name)).toEqual(['Origin', '4', '6', '8']);
    for (const name of ['Origin', '4', '6', '8']) expectColumn(out, name, expected[name]!);
    // No value listed yet: the groups alone.
    const groups = run(cars, { index: ['Origin'], column: 'Cylinders', values: [], op: 'count' });
    expectTable(
      groups,
      await oracle.columns('SELECT Origin FROM cars GROUP BY Origin ORDER BY min(file_row_number)'),
    );
  });

  it('names a value column that clashes and a sum of text', () => {
    const base = { index: ['Name'], column: 'Origin', value: 'Horsepower' };
    expect(runFails('pivot', cars, { ...base, values: ['USA', 'Name'] }, abi)).toContain(
      'output column "Name" already exists',
    );
    expect(runFails('pivot', cars, { ...base, values: ORIGINS, value: 'Name' }, abi)).toContain(
      'needs a numeric column',
    );
  });
});
