/**
 * The union module against DuckDB's UNION ALL [BY NAME] on two slices of flights-20k with
 * differing columns (one only in each, an int64 column that is float64 in the other, nulls),
 * by name and by position; refused type pairs name the column; both builds (ABI v2, the
 * committed one, and v1).
 */
import { join } from 'node:path';
import type { Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRows, runInputs, runInputsOk } from '../join/testkit';
import { BOTH_ABIS } from '../sdk/reactor.testkit';
import { REPO_ROOT, loadQuery, openOracle, type Oracle } from '../sort/testkit';

const FLIGHTS_JSON = join(REPO_ROOT, 'node_modules/vega-datasets/data/flights-20k.json');

let oracle: Oracle;
let early: Table;
let late: Table;
let lateSamePlaces: Table;
let numberedOrigins: Table;

beforeAll(async () => {
  oracle = await openOracle();
  await oracle.connection.run(
    `CREATE TABLE fl AS SELECT *, row_number() OVER () AS row FROM read_json('${FLIGHTS_JSON}')`,
  );
  early = await loadQuery(
    oracle,
    'early',
    `SELECT date, delay::BIGINT AS delay, distance::BIGINT AS distance,
            CASE WHEN row % 7 = 0 THEN NULL ELSE origin END AS origin
     FROM fl WHERE row <= 6000 ORDER BY row`,
    1000,
  );
  late = await loadQuery(
    oracle,
    'late',
    `SELECT origin, delay::DOUBLE * 1.5 AS delay, destination
     FROM fl WHERE row > 14000 ORDER BY row`,
    2500,
  );
  lateSamePlaces = await loadQuery(
    oracle,
    'late4',
    `SELECT date, delay::DOUBLE * 1.5 AS delay, distance::INTEGER AS distance, destination
     FROM fl WHERE row > 14000 ORDER BY row`,
  );
  numberedOrigins = await loadQuery(oracle, 'numbered', 'SELECT row AS origin FROM fl LIMIT 10');
}, 60_000);

afterAll(() => oracle?.close());

const CLEAN = (t: string) => `SELECT * EXCLUDE (file_row_number) FROM ${t}`;

describe.each(BOTH_ABIS)('union module, ABI v%i build', (abi) => {
  it('by name: missing columns become null, int64 and float64 widen to float64', async () => {
    const out = runInputsOk(oracle, 'union', abi, { first: early, second: late }, {}, [0, 1]);
    expect(out.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'date:Utf8',
      'delay:Float64',
      'distance:Int64',
      'origin:Utf8',
      'destination:Utf8',
    ]);
    await expectRows(oracle, out, `${CLEAN('early')} UNION ALL BY NAME ${CLEAN('late')}`);
  });

  it('by position: the first input names the columns', async () => {
    const out = runInputsOk(
      oracle,
      'union',
      abi,
      { first: early, second: lateSamePlaces },
      { by: 'position' },
      [0, 1],
    );
    expect(out.schema.fields.map((f) => f.name)).toEqual(['date', 'delay', 'distance', 'origin']);
    await expectRows(oracle, out, `${CLEAN('early')} UNION ALL ${CLEAN('late4')}`);
  });

  it('refuses a column whose types cannot be combined, naming it', () => {
    const run = runInputs('union', abi, { first: early, second: numberedOrigins }, {}, [0, 1]);
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain(
      "column 'origin' is utf8 in the first input and int64 in the second; they cannot be combined",
    );
    const position = runInputs(
      'union',
      abi,
      { first: early, second: late },
      { by: 'position' },
      [0, 1],
    );
    expect(position.stderr).toContain('the first has 4, the second 3');
  });
});
