/**
 * The date and time functions (minute, second, week, dayofweek, quarter, date_trunc,
 * date_diff, date_add, strftime, strptime) computed by derive against DuckDB: on
 * seattle-weather (dates, µs and ms timestamps, pre-1970 values, nulls; see weather-table.ts)
 * and on flights-2k, whose "2001/01/01 06:55" times strptime reads.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkExpression } from '../../src/pipeline/expression/index';
import {
  type TestTable,
  columnCells,
  dataDir,
  duckColumn,
  loadTable,
  openDuckDB,
  runExpressionModule,
  sameCell,
} from '../filter/expr-oracle';
import { loadWeather } from '../filter/weather-table';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

/** Time for the first build of the v1 module on a loaded machine. */
const BUILD_TIMEOUT_MS = 300_000;

let conn: DuckDBConnection;
let w: TestTable;
let flights: TestTable;

beforeAll(async () => {
  conn = await openDuckDB();
  w = await loadWeather(conn);
  flights = await loadTable(
    conn,
    'flights',
    `SELECT (row_number() OVER ())::BIGINT AS rid,
       CASE WHEN (row_number() OVER ()) % 31 = 0 THEN NULL ELSE "date" END AS date, delay::BIGINT AS delay
     FROM read_json_auto('${resolve(dataDir, 'flights-2k.json')}', columns = {'date': 'VARCHAR', 'delay': 'BIGINT'})`,
    [
      { name: 'rid', kind: 'bigint' },
      { name: 'date', kind: 'varchar' },
      { name: 'delay', kind: 'bigint' },
    ],
  );
  // Builds (or loads) both ABI builds here, where a slow machine has time for it.
  for (const abi of BOTH_ABIS)
    runExpressionModule('derive', w, { column: 'v', expression: 'n' }, { abi });
}, BUILD_TIMEOUT_MS);

/** [table, our expression, the same in DuckDB SQL] */
const CASES: [string, string, string][] = [
  ['w', 'minute(ts) + second(tsms) * 100', 'minute(ts) + second(tsms) * 100'],
  ['w', 'minute(date) + second(oldts)', 'minute(date) + second(oldts)'],
  ['w', 'week(date) * 1000 + week(oldts)', 'week(date) * 1000 + week(oldts)'],
  ['w', 'dayofweek(date) * 10 + dayofweek(old)', 'dayofweek(date) * 10 + dayofweek(old)'],
  ['w', 'quarter(tsms) * 10 + quarter(old)', 'quarter(tsms) * 10 + quarter(old)'],
  ['w', 'date_trunc("month", date)', "date_trunc('month', date)::DATE"],
  ['w', 'date_trunc("week", old)', "date_trunc('week', old)::DATE"],
  ['w', 'date_trunc("quarter", oldts)', "date_trunc('quarter', oldts)"],
  ['w', 'date_trunc("year", tsms)', "date_trunc('year', tsms)"],
  ['w', 'date_trunc("hour", oldts)', "date_trunc('hour', oldts)"],
  ['w', 'date_trunc("minute", date)', "date_trunc('minute', date)"],
  ['w', 'date_trunc("Second", tsms)', "date_trunc('second', tsms)"],
  ['w', 'date_diff("day", old, date)', "date_diff('day', old, date)"],
  ['w', 'date_diff("month", oldts, ts)', "date_diff('month', oldts, ts)"],
  ['w', 'date_diff("quarter", tsms, old)', "date_diff('quarter', tsms, old)"],
  ['w', 'date_diff("year", ts, oldts)', "date_diff('year', ts, oldts)"],
  ['w', 'date_diff("week", oldts, tsms)', "date_diff('week', oldts, tsms)"],
  ['w', 'date_diff("week", date, old)', "date_diff('week', date, old)"],
  ['w', 'date_diff("hour", oldts, ts)', "date_diff('hour', oldts, ts)"],
  ['w', 'date_diff("minute", tsms, ts)', "date_diff('minute', tsms, ts)"],
  ['w', 'date_diff("second", oldts, tsms)', "date_diff('second', oldts, tsms)"],
  ['w', 'date_diff("hour", date, old)', "date_diff('hour', date, old)"],
  ['w', 'date_add("month", n, date)', '(date + to_months(n))::DATE'],
  ['w', 'date_add("year", n % 5, old)', '(old + to_years((n % 5)::INTEGER))::DATE'],
  ['w', 'date_add("quarter", 3, oldts)', 'oldts + to_months(9)'],
  ['w', 'date_add("week", n, tsms)', 'tsms + to_days((n * 7)::INTEGER)'],
  ['w', 'date_add("day", -n, date)', '(date - to_days(n::INTEGER))::DATE'],
  ['w', 'date_add("hour", n, date)', 'date + to_hours(n)'],
  ['w', 'date_add("minute", n * 7, ts)', 'ts + to_minutes(n * 7)'],
  ['w', 'date_add("second", n * 1000, oldts)', 'oldts + to_seconds(n * 1000)'],
  ['w', 'strftime(date, "%Y/%m/%d %a %b %j")', "strftime(date, '%Y/%m/%d %a %b %j')"],
  [
    'w',
    'strftime(ts, "%d.%m.%y %I:%M %p, %A %B %-d %-H")',
    "strftime(ts, '%d.%m.%y %I:%M %p, %A %B %-d %-H')",
  ],
  ['w', 'strftime(oldts, "%c|%x|%X|%f|%g|%w|%u|%%")', "strftime(oldts, '%c|%x|%X|%f|%g|%w|%u|%%')"],
  [
    'w',
    'strptime(strftime(tsms, "%Y-%m-%dT%H:%M:%S"), "%Y-%m-%dT%H:%M:%S")',
    "strptime(strftime(tsms, '%Y-%m-%dT%H:%M:%S'), '%Y-%m-%dT%H:%M:%S')",
  ],
  [
    'w',
    'strptime(strftime(oldts, "%d %B %Y %I.%M.%S %p"), "%d %B %Y %I.%M.%S %p")',
    "strptime(strftime(oldts, '%d %B %Y %I.%M.%S %p'), '%d %B %Y %I.%M.%S %p')",
  ],
  ['flights', 'strptime(date, "%Y/%m/%d %H:%M")', "strptime(date, '%Y/%m/%d %H:%M')"],
  [
    'flights',
    'hour(strptime(date, "%Y/%m/%d %H:%M")) * 100 + minute(strptime(date, "%Y/%m/%d %H:%M"))',
    "hour(strptime(date, '%Y/%m/%d %H:%M')) * 100 + minute(strptime(date, '%Y/%m/%d %H:%M'))",
  ],
  [
    'flights',
    'date_add("minute", delay, strptime(date, "%Y/%m/%d %H:%M"))',
    "strptime(date, '%Y/%m/%d %H:%M') + to_minutes(delay)",
  ],
  [
    'flights',
    'strptime(date || " +02:30", "%Y/%m/%d %H:%M %z")',
    "strptime(date || ' +02:30', '%Y/%m/%d %H:%M %z')",
  ],
];

/** Wraps DuckDB's result so it reads in the units the Arrow side gives. */
function duckValue(sql: string, type: string): string {
  if (type === 'date32') return `date_diff('day', DATE '1970-01-01', ${sql})::INTEGER`;
  if (type === 'timestamp') return `epoch_us(${sql})`;
  return sql;
}

describe.each(BOTH_ABIS)('date functions match DuckDB on weather and flights, ABI v%i', (abi) => {
  const tables = () => ({ w, flights }) as Record<string, TestTable>;

  it.each(CASES)('%s: %s', async (table, expression, sql) => {
    const t = tables()[table]!;
    const checked = checkExpression(expression, t.arrow.schema);
    if (!checked.ok) throw new Error(checked.errors[0]!.message);
    const out = runExpressionModule('derive', t, { column: 'v', expression }, { abi });
    const expected = await duckColumn(
      conn,
      `SELECT ${duckValue(sql, checked.type)} FROM ${table} ORDER BY rid`,
    );
    const actual = columnCells(out, 'v');
    expect(actual.length).toBe(expected.length);
    const mismatches = actual
      .map((a, i) => ({ row: i, actual: a, expected: expected[i] }))
      .filter((x) => !sameCell(x.actual, x.expected!));
    expect(mismatches.slice(0, 5)).toEqual([]);
  });

  it('strptime fails on text that does not match the format, naming the row, as DuckDB does', () => {
    expect(() =>
      runExpressionModule(
        'derive',
        flights,
        { column: 'v', expression: 'strptime(date, "%Y-%m-%d")' },
        { abi },
      ),
    ).toThrow(/does not match the format "%Y-%m-%d".* at row 0/);
  });

  it('date_add out of range names the date, the parts added and the row', async () => {
    const [first] = await duckColumn(
      conn,
      "SELECT strftime(date, '%Y-%m-%d') FROM w ORDER BY rid LIMIT 1",
    );
    const expression = 'date_add("year", 10000000000000, date)';
    expect(() => runExpressionModule('derive', w, { column: 'v', expression }, { abi })).toThrow(
      `date_add out of range (${String(first)} + 10000000000000 year) at row 0 of the batch`,
    );
  });
});

describe('date parts are checked on the host', () => {
  it('refuses an unknown part with a suggestion', () => {
    const r = checkExpression('date_trunc("mnth", date)', w.arrow.schema);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.errors[0]!.message).toMatch(
        /unknown part "mnth" at 1:12 \(did you mean "month"\?\)/,
      );
  });
});
