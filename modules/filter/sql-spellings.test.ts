/**
 * The SQL spellings the expression language accepts (`=`, `<>`, AND, OR, NOT, IN, BETWEEN,
 * LIKE, ILIKE; see src/pipeline/expression/grammar.ts) keep exactly the rows DuckDB's WHERE
 * keeps for the same text, on seattle-weather (nulls injected) and airports.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type TestTable,
  columnCells,
  duckColumn,
  openDuckDB,
  runExpressionModule,
  sameCell,
} from './expr-oracle';
import { loadAirports } from './airports-table';
import { loadWeather } from './weather-table';

let conn: DuckDBConnection;
let w: TestTable;
let airports: TestTable;

beforeAll(async () => {
  conn = await openDuckDB();
  w = await loadWeather(conn);
  airports = await loadAirports(conn);
});

/** Row ids the filter module keeps for `sql`, and those DuckDB's `WHERE sql` keeps. */
async function bothKeep(table: TestTable, sql: string): Promise<[unknown[], unknown[]]> {
  const out = runExpressionModule('filter', table, { expression: sql });
  const expected = await duckColumn(
    conn,
    `SELECT rid FROM ${table.name} WHERE ${sql} ORDER BY rid`,
  );
  return [columnCells(out, 'rid'), expected];
}

/** The same row ids, and at least one (a case keeping nothing would prove little). */
function expectSame([actual, expected]: [unknown[], unknown[]]): void {
  expect(expected.length).toBeGreaterThan(0);
  expect(actual.length).toBe(expected.length);
  const bad = actual.findIndex((a, i) => !sameCell(a as never, expected[i] as never));
  expect(bad).toBe(-1);
}

describe('SQL spellings keep the rows DuckDB keeps', () => {
  it.each([
    "temp_max = 15 AND weather = 'sun'",
    "temp_max > 15 and weather <> 'sun'",
    "weather = 'fog' OR precipitation > 20",
    'NOT wet',
    'NOT temp_max > 10 AND wind < 3',
    "weather IN ('sun', 'fog')",
    "weather NOT IN ('sun', 'fog', 'drizzle')",
    'n IN (1, 2, 30, -5)',
    'temp_max BETWEEN 10 AND 15',
    'temp_max NOT BETWEEN 0 AND 25 OR precipitation IS NULL',
    'temp_max between temp_min + 5 and 20 and weather is not null',
    "weather LIKE 'dr%'",
    "weather NOT LIKE '%n'",
    '"weather text" LIKE \'%D_a\'',
    '"weather text" ILIKE \'sun%\'',
  ])('seattle-weather: %s', async (sql) => {
    // DuckDB quotes identifiers with double quotes, the expression language with backticks.
    const expression = sql.replace(/"weather text"/g, '`weather text`');
    const out = runExpressionModule('filter', w, { expression });
    const expected = await duckColumn(conn, `SELECT rid FROM w WHERE ${sql} ORDER BY rid`);
    expectSame([columnCells(out, 'rid'), expected]);
  });

  it.each([
    "state IN ('WA', 'OR') AND name LIKE '%Muni%'",
    "city LIKE 'San _____' OR iata LIKE '0%'",
    "name LIKE '%(%' OR name LIKE '%.%'",
  ])('airports: %s', async (sql) => {
    expectSame(await bothKeep(airports, sql));
  });

  it('the comparison detects a wrong row set', async () => {
    const [actual] = await bothKeep(w, "weather LIKE 'su%'");
    const other = await duckColumn(conn, "SELECT rid FROM w WHERE weather LIKE 's%' ORDER BY rid");
    expect(() => expectSame([actual, other])).toThrow();
  });
});
