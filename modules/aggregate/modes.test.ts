/**
 * The aggregate's partial and final modes (ABI.md §13), as a distributed engine uses them:
 * partial over each part of the input, the partial rows concatenated in part order, final
 * over them must give what DuckDB's GROUP BY gives over the whole input (floats to 1e-9).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import {
  expectTable,
  loadDataset,
  loadQuery,
  openOracle,
  runFails,
  runOk,
  type Oracle,
} from '../sort/testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let oracle: Oracle;
let data: Table;

beforeAll(async () => {
  oracle = await openOracle();
  await loadDataset(oracle, 'weather', 'seattle-weather.csv');
  data = await loadQuery(
    oracle,
    'nullable',
    `SELECT CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE weather END AS kind,
            CASE WHEN file_row_number % 7 = 3 THEN NULL ELSE temp_max END AS t,
            CASE WHEN file_row_number % 5 = 1 THEN NULL ELSE CAST(round(wind) AS INTEGER) END AS w,
            date
       FROM weather ORDER BY file_row_number`,
    200,
  );
});

afterAll(() => oracle?.close());

/** Every op that has a partial state. */
const OPS = [
  { name: 'n', op: 'count' },
  { name: 'n_t', op: 'count', column: 't' },
  { name: 'sum_w', op: 'sum', column: 'w' },
  { name: 'sum_t', op: 'sum', column: 't' },
  { name: 'mean_t', op: 'mean', column: 't' },
  { name: 'mean_w', op: 'mean', column: 'w' },
  { name: 'min_t', op: 'min', column: 't' },
  { name: 'max_kind', op: 'max', column: 'kind' },
  { name: 'first_t', op: 'first', column: 't' },
  { name: 'last_date', op: 'last', column: 'date' },
];
const OPS_SQL = `count(*) AS n, count(t) AS n_t, sum(w) AS sum_w, sum(t) AS sum_t,
  avg(t) AS mean_t, avg(w) AS mean_w, min(t) AS min_t, max(kind) AS max_kind,
  first(t ORDER BY file_row_number) AS first_t, last(date ORDER BY file_row_number) AS last_date`;

/** Concatenates tables of one schema, batch after batch. */
function concat(tables: Table[]): Table {
  const [first, ...rest] = tables;
  return rest.reduce((all, t) => all.concat(t), first!);
}

describe.each(BOTH_ABIS)('aggregate partial → final, ABI v%i build', (abi) => {
  /** Partial over `parts` row ranges of the data, then final over the partial rows. */
  const twoPhase = (params: Record<string, unknown>, cuts: number[]): Table => {
    const bounds = [0, ...cuts, data.numRows];
    const partials = bounds.slice(1).map((end, i) => {
      const part = tableFromIPC(tableToIPC(data.slice(bounds[i], end), 'stream'));
      return runOk('aggregate', part, { ...params, mode: 'partial' }, abi);
    });
    return runOk('aggregate', concat(partials), { ...params, mode: 'final' }, abi);
  };

  it('gives the complete result per group from three parts', async () => {
    const out = twoPhase({ groupBy: ['kind'], aggregates: OPS }, [500, 501]);
    expectTable(
      out,
      await oracle.columns(
        `SELECT kind, ${OPS_SQL} FROM nullable GROUP BY kind ORDER BY min(file_row_number)`,
      ),
    );
  });

  it('gives one row with no keys, an empty part taking no part in first/last', async () => {
    const out = twoPhase({ aggregates: OPS }, [0, 0, 700]);
    expectTable(out, await oracle.columns(`SELECT ${OPS_SQL} FROM nullable`));
  });

  it('writes a mean as its sum and <name>.count in partial mode', () => {
    const part = runOk('aggregate', data, {
      groupBy: ['kind'],
      aggregates: [{ name: 'm', op: 'mean', column: 'w' }],
      mode: 'partial',
    });
    expect(part.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'kind:Utf8',
      'm:Int64',
      'm.count:Int64',
    ]);
  });

  it('refuses count_distinct and an unknown mode', () => {
    const distinct = [{ name: 'd', op: 'count_distinct', column: 'w' }];
    expect(runFails('aggregate', data, { aggregates: distinct, mode: 'partial' }, abi)).toContain(
      'count_distinct has no partial mode',
    );
    expect(runFails('aggregate', data, { aggregates: OPS, mode: 'half' }, abi)).toContain(
      `unknown mode "half"`,
    );
  });
});
