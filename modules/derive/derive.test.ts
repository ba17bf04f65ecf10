/**
 * derive against DuckDB: each expression computed by the derive module (in both builds: ABI
 * v2, committed, and v1) equals the same computation in DuckDB SQL over seattle-weather with nulls
 * injected. Integers equal, floats to 1e-9 relative, nulls in the same rows.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkExpression } from '../../src/pipeline/expression/index';
import {
  type TestTable,
  columnCells,
  duckColumn,
  loadTable,
  openDuckDB,
  runExpressionModule,
  sameCell,
} from '../filter/expr-oracle';
import { loadWeather } from '../filter/weather-table';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

let conn: DuckDBConnection;
let w: TestTable;

beforeAll(async () => {
  conn = await openDuckDB();
  w = await loadWeather(conn);
});

/** [our expression, the same in DuckDB SQL] */
const CASES: [string, string][] = [
  // arithmetic, int64 and float64, promotion
  ['temp_max + temp_min', 'temp_max + temp_min'],
  ['temp_max - n', 'temp_max - n'],
  ['n * 3 - 2', 'n * 3 - 2'],
  ['n / 7', 'n / 7'],
  ['n / 0', 'n / 0'],
  ['temp_min / 0', 'temp_min / 0'],
  ['n % 7', 'n % 7'],
  ['n % 0', 'n % 0'],
  ['temp_max % 3', 'temp_max % 3'],
  ['temp_max % 0', 'temp_max % 0'],
  ['(temp_min - temp_min) / 0', '(temp_min - temp_min) / 0'],
  ['exp(temp_max * 100)', 'exp(temp_max * 100)'],
  ['-n', '-n'],
  ['-(temp_min * 2)', '-(temp_min * 2)'],
  ['1 + 2 * 3 - n % 4', '1 + 2 * 3 - n % 4'],
  ['(1 + 2) * n', '(1 + 2) * n'],
  // numeric functions
  ['abs(n)', 'abs(n)'],
  ['abs(temp_min)', 'abs(temp_min)'],
  ['floor(temp_min)', 'floor(temp_min)'],
  ['ceil(temp_min)', 'ceil(temp_min)'],
  ['floor(n)', 'floor(n)'],
  ['round(temp_min / 3)', 'round(temp_min / 3)'],
  ['round(wind, 1)', 'round(wind, 1)'],
  ['round(temp_max * 1.2345, 2)', 'round(temp_max * 1.2345, 2)'],
  ['round(n * 13, -1)', 'round((n * 13)::DOUBLE, -1)'],
  ['round(n)', 'round(n)'],
  ['sqrt(wind)', 'sqrt(wind)'],
  ['ln(wind + 1)', 'ln(wind + 1)'],
  ['exp(temp_min / 10)', 'exp(temp_min / 10)'],
  ['pow(wind, 1.5)', 'pow(wind, 1.5)'],
  ['pow(n, 2)', 'pow(n, 2)'],
  // comparison and logic with nulls (three-valued)
  ['temp_max > 20', 'temp_max > 20'],
  ['n <= 0', 'n <= 0'],
  ['temp_min == n', 'temp_min = n'],
  ['precipitation != 0', 'precipitation <> 0'],
  ['precipitation > 1 && temp_min < 5', 'precipitation > 1 AND temp_min < 5'],
  ['precipitation > 1 || temp_min < 5', 'precipitation > 1 OR temp_min < 5'],
  ['!(precipitation > 1)', 'NOT (precipitation > 1)'],
  ['!wet || n > 100', 'NOT wet OR n > 100'],
  ['wet == (precipitation > 0)', 'wet = (precipitation > 0)'],
  ['precipitation is null', 'precipitation IS NULL'],
  ['weather is not null && temp_min is null', 'weather IS NOT NULL AND temp_min IS NULL'],
  ['n + null', 'n + NULL'],
  ['null || wet', 'NULL OR wet'],
  // strings (weather is dictionary-encoded in Arrow)
  ['weather == "sun"', "weather = 'sun'"],
  ['weather < "fog"', "weather < 'fog'"],
  ['lower(`weather text`)', 'lower("weather text")'],
  ['upper(weather)', 'upper(weather)'],
  ['length(`weather text`)', 'length("weather text")'],
  ['contains(weather, "i")', "contains(weather, 'i')"],
  ['starts_with(`weather text`, "RA")', 'starts_with("weather text", \'RA\')'],
  ['if(temp_max > 20, "warm", weather)', "CASE WHEN temp_max > 20 THEN 'warm' ELSE weather END"],
  ['coalesce(weather, "unknown")', "coalesce(weather, 'unknown')"],
  [
    'lower(coalesce(`weather text`, upper(weather), "x"))',
    'lower(coalesce("weather text", upper(weather), \'x\'))',
  ],
  // dates and timestamps
  ['year(date)', 'year(date)'],
  ['month(date)', 'month(date)'],
  ['day(date)', 'day(date)'],
  ['hour(date)', 'hour(date)'],
  [
    'year(old) * 10000 + month(old) * 100 + day(old)',
    'year(old) * 10000 + month(old) * 100 + day(old)',
  ],
  ['hour(ts)', 'hour(ts)'],
  ['day(ts)', 'day(ts)'],
  ['hour(tsms)', 'hour(tsms)'],
  ['month(tsms)', 'month(tsms)'],
  ['year(oldts) + hour(oldts) + day(oldts)', 'year(oldts) + hour(oldts) + day(oldts)'],
  ['date < "2013-01-01"', "date < DATE '2013-01-01'"],
  ['ts >= "2013-06-01 12:00:00"', "ts >= TIMESTAMP '2013-06-01 12:00:00'"],
  ['tsms > date', 'tsms > date'],
  ['coalesce(date, "2000-01-01")', "coalesce(date, DATE '2000-01-01')"],
  ['if(n > 0, ts, date)', 'CASE WHEN n > 0 THEN ts ELSE date::TIMESTAMP END'],
  ['coalesce(tsms, oldts)', 'coalesce(tsms, oldts)'],
  // coalesce / if, including a guarded fault (ln of a non-positive number is not evaluated)
  ['coalesce(precipitation, temp_min, 0)', 'coalesce(precipitation, temp_min, 0)'],
  ['coalesce(n, 0)', 'coalesce(n, 0)'],
  [
    'if(weather == "rain", precipitation, -1.5)',
    "CASE WHEN weather = 'rain' THEN precipitation ELSE -1.5 END",
  ],
  ['if(n > 0, ln(n), 0)', 'CASE WHEN n > 0 THEN ln(n) ELSE 0 END'],
  ['if(wet, 1, n)', 'CASE WHEN wet THEN 1 ELSE n END'],
  ['if(null, 1, 2)', 'CASE WHEN NULL THEN 1 ELSE 2 END'],
];

/** Wraps DuckDB's result so it reads in the units the Arrow side gives. */
function duckValue(sql: string, type: string): string {
  if (type === 'date32') return `date_diff('day', DATE '1970-01-01', ${sql})::INTEGER`;
  if (type === 'timestamp') return `epoch_us(${sql})`;
  return sql;
}

describe.each(BOTH_ABIS)('derive matches DuckDB on seattle-weather, ABI v%i build', (abi) => {
  const derive = (t: TestTable, params: Record<string, unknown>, options = {}) =>
    runExpressionModule('derive', t, params, { ...options, abi });

  it.each(CASES)('%s', async (expression, sql) => {
    const checked = checkExpression(expression, w.arrow.schema);
    if (!checked.ok) throw new Error(checked.errors[0]!.message);
    const out = derive(w, { column: 'v', expression });
    const expected = await duckColumn(
      conn,
      `SELECT ${duckValue(sql, checked.type)} FROM w ORDER BY rid`,
    );
    const actual = columnCells(out, 'v');
    expect(actual.length).toBe(expected.length);
    const mismatches = actual
      .map((a, i) => ({ row: i, actual: a, expected: expected[i] }))
      .filter((x) => !sameCell(x.actual, x.expected!));
    expect(mismatches.slice(0, 5)).toEqual([]);
    // The other columns pass through; the new one is appended last.
    expect(out.schema.fields.map((f) => f.name)).toEqual([...w.columns.map((c) => c.name), 'v']);
    expect(String(out.schema.fields[6]!.type)).toBe(String(w.arrow.schema.fields[6]!.type));
  });

  it('the comparison detects a wrong result', async () => {
    const out = derive(w, {
      column: 'v',
      expression: 'temp_max + temp_min',
    });
    const wrong = await duckColumn(
      conn,
      'SELECT temp_max + temp_min * 1.000001 FROM w ORDER BY rid',
    );
    expect(columnCells(out, 'v').some((a, i) => !sameCell(a, wrong[i]!))).toBe(true);
  });

  it('evaluates a 300-term sum (an n-ary chain) like DuckDB', async () => {
    const terms = Array.from({ length: 300 }, (_, i) => (i % 2 ? 'temp_max' : 'wind'));
    const out = derive(w, { column: 'v', expression: terms.join(' - ') });
    const expected = await duckColumn(conn, `SELECT ${terms.join(' - ')} FROM w ORDER BY rid`);
    expect(columnCells(out, 'v').every((a, i) => sameCell(a, expected[i]!))).toBe(true);
  });

  it('evaluates the deepest nesting the host accepts without exhausting the module stack', async () => {
    const depth = 38; // 38 ifs, the coalesce and its arguments: 40 levels
    const expression = 'if(wet, '.repeat(depth) + 'n' + ', coalesce(n, 1))'.repeat(depth);
    const sql =
      'CASE WHEN wet THEN '.repeat(depth) + 'n' + ' ELSE coalesce(n, 1) END'.repeat(depth);
    const out = derive(w, { column: 'v', expression });
    const expected = await duckColumn(conn, `SELECT ${sql} FROM w ORDER BY rid`);
    expect(columnCells(out, 'v').every((a, i) => sameCell(a, expected[i]!))).toBe(true);
  });

  it('lower and upper match DuckDB on Latin, Greek and Cyrillic text', async () => {
    const words = [
      'Łódź',
      'ŠKODA',
      'ÿes Ÿ',
      'ĲSSEL ĳ',
      'ΟΔΥΣΣΕΎΣ οδυσσεύς',
      'ΆΈΉΊΌΎΏ άέήίόύώ',
      'ΣΊΣΥΦΟΣ σίσυφος',
      'µ',
      'Москва ЁЖИК ёжик',
      'Ђ ђ Џ џ',
      'Ωmega straSSe',
      'Ĳ ŉ ſ ı',
    ];
    const values = words.map((w, i) => `(${i}, '${w}')`).join(', ');
    const name = `words_v${abi}`;
    const t = await loadTable(conn, name, `SELECT * FROM (VALUES ${values}) v(rid, s)`, [
      { name: 'rid', kind: 'bigint' },
      { name: 's', kind: 'varchar' },
    ]);
    for (const f of ['lower', 'upper']) {
      const out = derive(t, { column: 'v', expression: `${f}(s)` });
      const expected = await duckColumn(conn, `SELECT ${f}(s) FROM ${name} ORDER BY rid`);
      expect(columnCells(out, 'v')).toEqual(expected);
    }
  });

  it('replaces a column in place', async () => {
    const out = derive(w, {
      column: 'temp_max',
      expression: 'temp_max * 2',
    });
    expect(out.schema.fields.map((f) => f.name)).toEqual(w.columns.map((c) => c.name));
    const expected = await duckColumn(conn, 'SELECT temp_max * 2 FROM w ORDER BY rid');
    expect(columnCells(out, 'temp_max').every((a, i) => sameCell(a, expected[i]!))).toBe(true);
  });

  /** The fault derive reports for `expression`, at the first row (by rid) `where` holds. */
  async function faultAt(expression: string, where: string, what: string, value: string) {
    const [rid] = await duckColumn(conn, `SELECT min(rid) FROM w WHERE ${where}`);
    const row = Number(rid) - 1; // rid counts from 1; the first batch holds 500 rows
    expect(row).toBeLessThan(500);
    expect(() => derive(w, { column: 'v', expression })).toThrow(
      `derive: expression "${expression}", batch 0: expression: ${what} (${value}) at row ${row} of the batch`,
    );
  }

  it('fails on int64 overflow, like DuckDB, naming the operands and the row', async () => {
    const [n] = await duckColumn(
      conn,
      'SELECT n FROM w WHERE n NOT IN (0, 1) ORDER BY rid LIMIT 1',
    );
    await faultAt(
      'n * 9223372036854775807',
      'n NOT IN (0, 1)',
      'int64 overflow',
      `${String(n)} * 9223372036854775807`,
    );
  });

  it('fails on sqrt of a negative number and ln of zero, like DuckDB, naming the value', async () => {
    const [t] = await duckColumn(
      conn,
      'SELECT temp_min FROM w WHERE temp_min < 0 ORDER BY rid LIMIT 1',
    );
    expect(Number(t)).toBeLessThan(0);
    await faultAt('sqrt(temp_min)', 'temp_min < 0', 'sqrt of a negative number', String(t));
    await faultAt('ln(n - n)', 'n IS NOT NULL', 'ln of zero or a negative number', '0');
  });

  it('refuses a compiled form made for another schema', () => {
    const checked = checkExpression('x + 1', [{ name: 'x', type: 'int64' }]);
    if (!checked.ok) throw new Error('setup');
    // Bypass compileExpressionParams: hand the module a stale compiled form directly.
    const params = { column: 'v', expression: 'x + 1', compiled: checked.compiled };
    expect(() => derive(w, params, { compile: false })).toThrow(
      /column 0 is "rid" in the input, not "x"/,
    );
  });
});
