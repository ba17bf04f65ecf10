/**
 * The join module against DuckDB on vega-datasets: flights joined with airports on
 * origin = iata, every join type, nulls injected in the keys of both sides and duplicate build
 * keys; two key pairs; clashing names and same-named keys; the build side on the left; both
 * builds (ABI v2, the committed one, and v1). Rows are compared in DuckDB's `ORDER BY ALL`
 * order, since a join's row order is not SQL's to promise.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToIPC, type Table } from 'apache-arrow';
import {
  REPO_ROOT,
  dictionaryEncode,
  dictionaryPerBatch,
  loadDataset,
  loadQuery,
  openOracle,
} from '../sort/testkit';
import { expectRows as expectRowsOf, runInputsOk } from './testkit';
import type { Oracle } from '../sort/testkit';
import { BOTH_ABIS, runBuiltModuleInputs } from '../sdk/reactor.testkit';
import type { Abi } from '../sdk/c-build';

const FLIGHTS_JSON = join(REPO_ROOT, 'node_modules/vega-datasets/data/flights-20k.json');

let oracle: Oracle;
let flights: Table;
let airports: Table;
let routes: Table;

beforeAll(async () => {
  oracle = await openOracle();
  await loadDataset(oracle, 'airports_all', 'airports.csv');
  // Every 50th flight has no origin; every 40th airport no code; 30 airports twice.
  flights = await loadQuery(
    oracle,
    'fl',
    `SELECT date, delay, distance,
            CASE WHEN row % 50 = 7 THEN NULL ELSE origin END AS origin, destination
     FROM (SELECT *, row_number() OVER () AS row FROM read_json('${FLIGHTS_JSON}'))
     ORDER BY row`,
    3000,
  );
  airports = await loadQuery(
    oracle,
    'ap',
    `SELECT CASE WHEN file_row_number % 40 = 3 THEN NULL ELSE iata END AS iata,
            name, city, state, country, latitude, longitude
     FROM (SELECT * FROM airports_all UNION ALL
           (SELECT * FROM airports_all WHERE iata IN (SELECT DISTINCT origin FROM fl)
            ORDER BY iata LIMIT 30))
     ORDER BY iata, file_row_number`,
    500,
  );
  routes = await loadQuery(
    oracle,
    'routes',
    `SELECT origin AS src, destination AS dst, count(*)::INTEGER AS flights_on_route
     FROM fl WHERE origin IS NOT NULL GROUP BY ALL HAVING count(*) > 20 ORDER BY ALL`,
  );
}, 60_000);

afterAll(() => oracle?.close());

/** Runs the join and returns its output; fails the test with stderr. */
function runJoin(abi: Abi, left: Table, right: Table, params: Record<string, unknown>): Table {
  const build = params.build === 'left' ? 0 : 1;
  return runInputsOk(oracle, 'join', abi, { left, right }, params, [build, 1 - build]);
}

/** Expects `output` to hold exactly the rows of `sql` (any order), column by column. */
const expectRows = (output: Table, sql: string) => expectRowsOf(oracle, output, sql);

const FLIGHT_COLUMNS = 'f.date, f.delay, f.distance, f.origin, f.destination';
const AIRPORT_COLUMNS = 'a.iata, a.name, a.city, a.state, a.country, a.latitude, a.longitude';
const JOINED = `SELECT ${FLIGHT_COLUMNS}, ${AIRPORT_COLUMNS} FROM fl f`;

describe.each(BOTH_ABIS)('join module, ABI v%i build', (abi) => {
  const keys = [{ left: 'origin', right: 'iata' }];
  const cases: [string, string][] = [
    ['inner', `${JOINED} JOIN ap a ON f.origin = a.iata`],
    ['left', `${JOINED} LEFT JOIN ap a ON f.origin = a.iata`],
    ['right', `${JOINED} RIGHT JOIN ap a ON f.origin = a.iata`],
    ['full', `${JOINED} FULL JOIN ap a ON f.origin = a.iata`],
    ['semi', `SELECT ${FLIGHT_COLUMNS} FROM fl f SEMI JOIN ap a ON f.origin = a.iata`],
    ['anti', `SELECT ${FLIGHT_COLUMNS} FROM fl f ANTI JOIN ap a ON f.origin = a.iata`],
  ];

  it.each(cases)('flights %s join airports on origin = iata, as DuckDB', async (how, sql) => {
    await expectRows(runJoin(abi, flights, airports, { how, keys }), sql);
  });

  it.each(cases)(
    '%s join with the left side held (build: left) gives the same rows',
    async (how, sql) => {
      await expectRows(runJoin(abi, flights, airports, { how, keys, build: 'left' }), sql);
    },
  );

  it('reads dictionary-encoded keys and columns, a new dictionary in every batch', async () => {
    const left = dictionaryPerBatch(flights, 'origin', 100);
    const right = dictionaryPerBatch(dictionaryEncode(airports, 'iata'), 'state', 100);
    await expectRows(
      runJoin(abi, left, right, { how: 'full', keys }),
      `${JOINED} FULL JOIN ap a ON f.origin = a.iata`,
    );
  });

  it.each(['left', 'right', 'full', 'anti'])(
    '%s join with an empty side fills the other side with nulls',
    async (how) => {
      const none = 'SELECT * FROM ap WHERE false';
      const sql =
        how === 'anti'
          ? `SELECT ${FLIGHT_COLUMNS} FROM fl f ANTI JOIN (${none}) a ON f.origin = a.iata`
          : `${JOINED} ${how.toUpperCase()} JOIN (${none}) a ON f.origin = a.iata`;
      await expectRows(runJoin(abi, flights, airports.slice(0, 0), { how, keys }), sql);
      const reversed = `SELECT ${FLIGHT_COLUMNS}, ${AIRPORT_COLUMNS} FROM (SELECT * FROM fl WHERE false) f
        ${how === 'anti' ? 'LEFT' : how.toUpperCase()} JOIN ap a ON f.origin = a.iata`;
      if (how !== 'anti') {
        await expectRows(runJoin(abi, flights.slice(0, 0), airports, { how, keys }), reversed);
      }
    },
  );

  it('joins on two key pairs with different names on each side', async () => {
    const params = {
      how: 'left',
      keys: [
        { left: 'origin', right: 'src' },
        { left: 'destination', right: 'dst' },
      ],
    };
    await expectRows(
      runJoin(abi, flights, routes, params),
      `SELECT ${FLIGHT_COLUMNS}, r.src, r.dst, r.flights_on_route FROM fl f
       LEFT JOIN routes r ON f.origin = r.src AND f.destination = r.dst`,
    );
  });

  it('keeps one column for a same-named key and suffixes the other clashing names', async () => {
    const out = runJoin(abi, airports, airports.slice(0, 900), {
      how: 'full',
      keys: [{ left: 'iata', right: 'iata' }],
      leftSuffix: '_a',
      rightSuffix: '_b',
    });
    const side = (t: string, s: string) =>
      ['name', 'city', 'state', 'country', 'latitude', 'longitude']
        .map((c) => `${t}.${c} AS ${c}${s}`)
        .join(', ');
    await expectRows(
      out,
      `SELECT COALESCE(a.iata, b.iata) AS iata, ${side('a', '_a')}, ${side('b', '_b')}
       FROM ap a FULL JOIN (SELECT * FROM ap ORDER BY file_row_number LIMIT 900) b
       ON a.iata = b.iata`,
    );
  });

  it('fails naming the column when a key is missing or the types cannot compare', () => {
    const missing = runBuiltModuleInputs(
      'join',
      abi,
      [
        { name: 'left', stream: tableToIPC(flights.slice(0, 10), 'stream') },
        { name: 'right', stream: tableToIPC(airports.slice(0, 10), 'stream') },
      ],
      { keys: [{ left: 'origin', right: 'code' }] },
      [1, 0],
    );
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('keys[0].right: no column "code" in the right input');
    const types = runBuiltModuleInputs(
      'join',
      abi,
      [
        { name: 'left', stream: tableToIPC(flights.slice(0, 10), 'stream') },
        { name: 'right', stream: tableToIPC(airports.slice(0, 10), 'stream') },
      ],
      { keys: [{ left: 'delay', right: 'iata' }] },
      [1, 0],
    );
    expect(types.stderr).toContain("key columns 'delay' (left, float64)");
    expect(types.stderr).toContain("'iata' (right, utf8) cannot be compared");
  });
});
