/**
 * The window module against DuckDB's window functions on vega-datasets stocks, with nulls
 * injected in the values and the order key. DuckDB breaks ties arbitrarily while the module
 * keeps input order, so ROWS-frame and row-numbering queries add `file_row_number` as a last
 * order key; rank and dense_rank use the order keys alone (peers share a rank either way).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Type } from 'apache-arrow';
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
let stocks: Table;

const STOCKS = 'symbol, date, price, cents, yr';

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('window', abi);
  oracle = await openOracle();
  await loadDataset(oracle, 'raw', 'stocks.csv');
  stocks = await loadQuery(
    oracle,
    'stocks',
    `SELECT symbol, strptime(date, '%b %d %Y')::DATE AS date,
            CASE WHEN file_row_number % 7 = 3 THEN NULL ELSE price END AS price,
            CASE WHEN file_row_number % 5 = 1 THEN NULL ELSE CAST(round(price * 100) AS BIGINT) END AS cents,
            CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE year(strptime(date, '%b %d %Y')) END AS yr
       FROM raw ORDER BY file_row_number`,
    97,
  );
});

afterAll(() => oracle?.close());

/** DuckDB: `select` over the stocks table in input order. */
const inInputOrder = (select: string) =>
  oracle.columns(`SELECT ${STOCKS}, ${select} FROM stocks ORDER BY file_row_number`);

describe.each(BOTH_ABIS)('window module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('window', input, params, abi);

  it('computes every function per symbol by date, in one step, in input order', async () => {
    const out = run(rechunk(stocks, [0, 10, 250, 1]), {
      partitionBy: ['symbol'],
      orderBy: [{ column: 'date' }],
      columns: [
        { name: 'rn', op: 'row_number' },
        { name: 'prev', op: 'lag', column: 'price' },
        { name: 'next2', op: 'lead', column: 'price', offset: 2 },
        { name: 'first', op: 'first_value', column: 'price' },
        { name: 'last', op: 'last_value', column: 'cents' },
        { name: 'total', op: 'running_sum', column: 'price' },
        { name: 'total_cents', op: 'running_sum', column: 'cents' },
        { name: 'avg', op: 'running_mean', column: 'price' },
        { name: 'n', op: 'running_count', column: 'price' },
        { name: 'rows', op: 'running_count' },
        { name: 'ma5', op: 'moving_mean', column: 'price', rows: 5 },
      ],
    });
    const w = 'PARTITION BY symbol ORDER BY date, file_row_number';
    const upTo = `(${w} ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`;
    const all = `(${w} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;
    const expected = await inInputOrder(
      `row_number() OVER (${w}) AS rn, lag(price) OVER (${w}) AS prev,
       lead(price, 2) OVER (${w}) AS next2, first_value(price) OVER ${all} AS first,
       last_value(cents) OVER ${all} AS last, sum(price) OVER ${upTo} AS total,
       sum(cents) OVER ${upTo} AS total_cents, avg(price) OVER ${upTo} AS avg,
       count(price) OVER ${upTo} AS n, count(*) OVER ${upTo} AS rows,
       avg(price) OVER (${w} ROWS BETWEEN 4 PRECEDING AND CURRENT ROW) AS ma5`,
    );
    expect(out.schema.fields.find((f) => f.name === 'total_cents')?.type.typeId).toBe(Type.Int);
    expectTable(out, expected);
  });

  it('ranks peers equally (rank, dense_rank) with a descending order key and null years', async () => {
    for (const nulls of ['first', 'last']) {
      const out = run(stocks, {
        partitionBy: ['symbol'],
        orderBy: [{ column: 'yr', descending: true, nulls }],
        columns: [
          { name: 'r', op: 'rank' },
          { name: 'd', op: 'dense_rank' },
          { name: 'rn', op: 'row_number' },
        ],
      });
      const w = `PARTITION BY symbol ORDER BY yr DESC NULLS ${nulls.toUpperCase()}`;
      expectTable(
        out,
        await inInputOrder(
          `rank() OVER (${w}) AS r, dense_rank() OVER (${w}) AS d,
           row_number() OVER (${w}, file_row_number) AS rn`,
        ),
      );
    }
  });

  it('without partition or order numbers and totals rows in input order', async () => {
    const out = run(stocks, {
      columns: [
        { name: 'rn', op: 'row_number' },
        { name: 'cum', op: 'running_sum', column: 'cents' },
        { name: 'prev_symbol', op: 'lag', column: 'symbol', offset: 3 },
      ],
    });
    const w = 'ORDER BY file_row_number';
    expectTable(
      out,
      await inInputOrder(
        `row_number() OVER (${w}) AS rn, sum(cents) OVER (${w} ROWS UNBOUNDED PRECEDING) AS cum,
         lag(symbol, 3) OVER (${w}) AS prev_symbol`,
      ),
    );
  });

  it('partitions by a dictionary column whose dictionary changes per batch, by value', async () => {
    const out = run(dictionaryPerBatch(stocks, 'symbol', 120), {
      partitionBy: ['symbol'],
      orderBy: [{ column: 'price', descending: true }],
      columns: [
        { name: 'top', op: 'first_value', column: 'symbol' },
        { name: 'r', op: 'rank' },
      ],
    });
    expect(out.schema.fields.find((f) => f.name === 'top')?.type.typeId).toBe(Type.Utf8);
    const w = 'PARTITION BY symbol ORDER BY price DESC NULLS LAST';
    expectTable(
      out,
      await inInputOrder(`first_value(symbol) OVER (${w}) AS top, rank() OVER (${w}) AS r`),
    );
  });

  it('writes the schema for empty input', () => {
    const out = run(withoutBatches(stocks), { columns: [{ name: 'rn', op: 'row_number' }] });
    expect(out.numRows).toBe(0);
    expect(out.schema.fields.map((f) => f.name)).toEqual([...STOCKS.split(', '), 'rn']);
  });

  it('names bad parameters', () => {
    const fails = (params: unknown) => runFails('window', stocks, params, abi);
    expect(fails({ partitionBy: ['sym'], columns: [{ name: 'r', op: 'rank' }] })).toContain(
      'partitionBy[0]',
    );
    expect(fails({ columns: [{ name: 's', op: 'running_sum', column: 'symbol' }] })).toContain(
      'needs a numeric column',
    );
    expect(fails({ columns: [{ name: 'p', op: 'lag' }] })).toContain('columns[0].column');
    expect(fails({ columns: [{ name: 'price', op: 'rank' }] })).toContain('already exists');
  });
});
