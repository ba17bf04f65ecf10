/**
 * The fill module against DuckDB on vega-datasets stocks (grouped by symbol) and weather, with
 * nulls injected: down-fill is `last_value(x IGNORE NULLS)` over the rows so far, up-fill
 * `first_value(x IGNORE NULLS)` over the rows from here on, constant fill `coalesce`.
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
} from '../sort/testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, builtModule } from '../sdk/reactor.testkit';

let oracle: Oracle;
let stocks: Table;

beforeAll(async () => {
  // Both builds now, under the hook's longer timeout: compiling the v1 build takes a while.
  for (const abi of BOTH_ABIS) builtModule('fill', abi);
  oracle = await openOracle();
  await loadDataset(oracle, 'raw', 'stocks.csv');
  // Runs of nulls (rows 3-5 of every 8), a null symbol now and then, nulls at partition edges.
  stocks = await loadQuery(
    oracle,
    'stocks',
    `SELECT CASE WHEN file_row_number % 37 = 5 THEN NULL ELSE symbol END AS symbol, date,
            CASE WHEN file_row_number % 8 BETWEEN 3 AND 5 OR file_row_number < 2 THEN NULL ELSE price END AS price,
            CASE WHEN file_row_number % 6 < 4 THEN NULL ELSE CAST(round(price) AS BIGINT) END AS dollars,
            CASE WHEN file_row_number % 5 < 2 THEN NULL ELSE date END AS label
       FROM raw ORDER BY file_row_number`,
    64,
  );
});

afterAll(() => oracle?.close());

/** DuckDB's fill of `column` by `fn` over frame `frame`, partitioned by `partition`. */
function filled(column: string, fn: string, frame: string, partition = ''): string {
  const over = `${partition ? `PARTITION BY ${partition} ` : ''}ORDER BY file_row_number ROWS ${frame}`;
  return `${fn}(${column} IGNORE NULLS) OVER (${over}) AS ${column}`;
}
const DOWN = 'BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW';
const UP = 'BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING';

describe.each(BOTH_ABIS)('fill module, ABI v%i build', (abi) => {
  const run = (input: Table, params: unknown) => runOk('fill', input, params, abi);
  const expectSql = async (out: Table, select: string) =>
    expectTable(out, await oracle.columns(`SELECT ${select} FROM stocks ORDER BY file_row_number`));

  it('fills down across batches, streaming (every column by default)', async () => {
    const out = run(rechunk(stocks, [0, 3, 1, 50]), { mode: 'down' });
    await expectSql(
      out,
      ['symbol', 'date', 'price', 'dollars', 'label']
        .map((c) => filled(c, 'last_value', DOWN))
        .join(', '),
    );
  });

  it('fills up and within groups, up and down', async () => {
    for (const [mode, fn, frame] of [
      ['up', 'first_value', UP],
      ['down', 'last_value', DOWN],
    ] as const) {
      const out = run(stocks, { mode, columns: ['price', 'label'], groupBy: ['symbol'] });
      await expectSql(
        out,
        `symbol, date, ${filled('price', fn, frame, 'symbol')}, dollars, ${filled('label', fn, frame, 'symbol')}`,
      );
    }
    const up = run(stocks, { mode: 'up', columns: ['dollars'] });
    await expectSql(up, `symbol, date, price, ${filled('dollars', 'first_value', UP)}, label`);
  });

  it('fills a constant into numbers and text; filled dictionaries come out decoded', async () => {
    const out = run(stocks, { mode: 'constant', columns: ['price', 'dollars'], value: '0' });
    await expectSql(
      out,
      'symbol, date, coalesce(price, 0) AS price, coalesce(dollars, 0) AS dollars, label',
    );
    const text = run(dictionaryPerBatch(stocks, 'symbol', 100), {
      mode: 'constant',
      columns: ['symbol'],
      value: '?',
    });
    expect(text.schema.fields[0]?.type.typeId).toBe(Type.Utf8);
    await expectSql(text, `coalesce(symbol, '?') AS symbol, date, price, dollars, label`);
    const grouped = run(dictionaryPerBatch(stocks, 'symbol', 100), {
      mode: 'down',
      columns: ['price'],
      groupBy: ['symbol'],
    });
    expect(grouped.schema.fields[0]?.type.typeId).toBe(Type.Dictionary);
    await expectSql(
      grouped,
      `symbol, date, ${filled('price', 'last_value', DOWN, 'symbol')}, dollars, label`,
    );
  });

  it('refuses a constant that does not fit a column, and one that is not whole for integers', () => {
    expect(
      runFails('fill', stocks, { mode: 'constant', value: 'x', columns: ['price'] }, abi),
    ).toContain('"x" does not fit column "price"');
    expect(
      runFails('fill', stocks, { mode: 'constant', value: '1.5', columns: ['dollars'] }, abi),
    ).toContain('"1.5" does not fit column "dollars" (int64)');
    expect(runFails('fill', stocks, { mode: 'constant', columns: ['price'] }, abi)).toContain(
      "'value'",
    );
  });
});
