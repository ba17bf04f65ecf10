/**
 * The string functions (replace, regexp_*, split_part, trim family, substr, concat and ||,
 * lower/upper over Unicode) computed by derive against DuckDB on real text: vega-datasets'
 * movies (titles, directors, with their own nulls) and cars (names, origins).
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
} from '../filter/expr-oracle';
import { BOTH_ABIS } from '../sdk/reactor.testkit';

/** Time for the first build of the v1 module on a loaded machine. */
const BUILD_TIMEOUT_MS = 300_000;

let conn: DuckDBConnection;
let movies: TestTable;
let cars: TestTable;

beforeAll(async () => {
  conn = await openDuckDB();
  movies = await loadTable(
    conn,
    'movies',
    `SELECT (row_number() OVER ())::BIGINT AS rid, "Title"::VARCHAR AS title,
       "Director"::VARCHAR AS director, "Major Genre"::VARCHAR AS genre,
       "Release Date"::VARCHAR AS released, (("IMDB Votes" % 7) - 2)::BIGINT AS k
     FROM read_json_auto('${resolve(dataDir, 'movies.json')}')`,
    [
      { name: 'rid', kind: 'bigint' },
      { name: 'title', kind: 'varchar' },
      { name: 'director', kind: 'varchar' },
      { name: 'genre', kind: 'dict' },
      { name: 'released', kind: 'varchar' },
      { name: 'k', kind: 'bigint' },
    ],
  );
  cars = await loadTable(
    conn,
    'cars',
    `SELECT (row_number() OVER ())::BIGINT AS rid,
       CASE WHEN (row_number() OVER ()) % 9 = 0 THEN NULL ELSE "Name" END AS name,
       "Origin" AS origin
     FROM read_json_auto('${resolve(dataDir, 'cars.json')}')`,
    [
      { name: 'rid', kind: 'bigint' },
      { name: 'name', kind: 'varchar' },
      { name: 'origin', kind: 'varchar' },
    ],
  );
  // Builds (or loads) both ABI builds here, where a slow machine has time for it.
  for (const abi of BOTH_ABIS)
    runExpressionModule('derive', cars, { column: 'v', expression: 'name' }, { abi });
}, BUILD_TIMEOUT_MS);

/** [table, our expression, the same in DuckDB SQL] */
const CASES: [string, string, string][] = [
  ['movies', 'replace(title, "The ", "A ")', "replace(title, 'The ', 'A ')"],
  ['movies', 'replace(director, "", "x")', "replace(director, '', 'x')"],
  ['cars', 'replace(name, "o", "")', "replace(name, 'o', '')"],
  ['movies', 'trim(title, "Tea")', "trim(title, 'Tea')"],
  ['movies', 'ltrim(replace(title, "The", "  "))', "ltrim(replace(title, 'The', '  '))"],
  ['movies', 'rtrim(title, "s!")', "rtrim(title, 's!')"],
  ['cars', 'trim("  " || name || " ")', "trim('  ' || name || ' ')"],
  ['movies', 'substr(title, 3)', 'substr(title, 3)'],
  ['movies', 'substr(title, k, 4)', 'substr(title, k, 4)'],
  ['movies', 'substr(title, -4, k)', 'substr(title, -4, k)'],
  ['movies', 'substr(director, k * 3, -2)', 'substr(director, k * 3, -2)'],
  ['cars', 'split_part(name, " ", 1)', "split_part(name, ' ', 1)"],
  ['cars', 'split_part(name, " ", -1)', "split_part(name, ' ', -1)"],
  ['movies', 'split_part(title, " ", k)', "split_part(title, ' ', k)"],
  ['movies', 'split_part(title, "", 2)', "split_part(title, '', 2)"],
  ['movies', 'concat(title, " (", director, ")")', "concat(title, ' (', director, ')')"],
  ['movies', 'title || " by " || director', "title || ' by ' || director"],
  ['cars', 'concat(name, null, origin)', 'concat(name, NULL, origin)'],
  ['movies', 'upper(title)', 'upper(title)'],
  ['movies', 'lower(director)', 'lower(director)'],
  [
    'cars',
    'regexp_matches(name, "^(ford|chevrolet) ")',
    "regexp_matches(name, '^(ford|chevrolet) ')",
  ],
  ['movies', 'regexp_matches(title, "\\\\d{2,}")', "regexp_matches(title, '\\d{2,}')"],
  ['movies', 'regexp_matches(title, "^the\\\\b", "i")', "regexp_matches(title, '^the\\b', 'i')"],
  ['cars', 'regexp_extract(name, "[a-z]+$")', "regexp_extract(name, '[a-z]+$')"],
  [
    'cars',
    'regexp_extract(name, "(\\\\w+) (\\\\w+)", 2)',
    "regexp_extract(name, '(\\w+) (\\w+)', 2)",
  ],
  ['movies', 'regexp_extract(title, "(\\\\d+)?(s)", 1)', "regexp_extract(title, '(\\d+)?(s)', 1)"],
  ['movies', 'regexp_replace(title, "[aeiou]", "_")', "regexp_replace(title, '[aeiou]', '_')"],
  [
    'movies',
    'regexp_replace(title, "[aeiou]", "_", "g")',
    "regexp_replace(title, '[aeiou]', '_', 'g')",
  ],
  [
    'movies',
    'regexp_replace(title, "(\\\\w+) (\\\\w+)", "\\\\2 \\\\1", "g")',
    "regexp_replace(title, '(\\w+) (\\w+)', '\\2 \\1', 'g')",
  ],
  ['movies', 'regexp_replace(title, "x*", "-", "g")', "regexp_replace(title, 'x*', '-', 'g')"],
  [
    'movies',
    'regexp_replace(title, "e.*?s", "#", "gi")',
    "regexp_replace(title, 'e.*?s', '#', 'gi')",
  ],
  [
    'movies',
    'regexp_replace(title, "^[^ ]+|[.:!?]$", "")',
    "regexp_replace(title, '^[^ ]+|[.:!?]$', '')",
  ],
  [
    'cars',
    'regexp_replace(name, "(?:a|e)(\\\\s|$)", "<\\\\1>", "g")',
    "regexp_replace(name, '(?:a|e)(\\s|$)', '<\\1>', 'g')",
  ],
  ['cars', 'regexp_matches(name, "o{2}|[^\\\\x20-~]")', "regexp_matches(name, 'o{2}|[^ -~]')"],
];

describe.each(BOTH_ABIS)('string functions match DuckDB on movies and cars, ABI v%i', (abi) => {
  const tables = () => ({ movies, cars }) as Record<string, TestTable>;

  it.each(CASES)('%s: %s', async (table, expression, sql) => {
    const t = tables()[table]!;
    const checked = checkExpression(expression, t.arrow.schema);
    if (!checked.ok) throw new Error(checked.errors[0]!.message);
    const out = runExpressionModule('derive', t, { column: 'v', expression }, { abi });
    const expected = await duckColumn(conn, `SELECT ${sql} FROM ${table} ORDER BY rid`);
    const actual = columnCells(out, 'v');
    expect(actual.length).toBe(expected.length);
    const mismatches = actual
      .map((a, i) => ({ row: i, actual: a, expected: expected[i] }))
      .filter((x) => x.actual !== x.expected);
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});

describe('lower and upper over all of Unicode', () => {
  it('map every code point of planes 0 and 1 as DuckDB does, except the documented ones', async () => {
    const t = await loadTable(
      conn,
      'codepoints',
      `SELECT cp::BIGINT AS rid, chr(cp::INTEGER) AS s FROM range(1, 131072) r(cp)
       WHERE cp < 55296 OR cp > 57343`,
      [
        { name: 'rid', kind: 'bigint' },
        { name: 's', kind: 'varchar' },
      ],
      20000,
    );
    const differ: string[] = [];
    for (const f of ['lower', 'upper']) {
      const out = runExpressionModule('derive', t, { column: 'v', expression: `${f}(s)` });
      const expected = await duckColumn(conn, `SELECT ${f}(s) FROM codepoints ORDER BY rid`);
      const input = columnCells(out, 's');
      columnCells(out, 'v').forEach((a, i) => {
        if (a !== expected[i]) {
          const hex = (s: unknown) =>
            [...String(s)].map((c) => c.codePointAt(0)!.toString(16).toUpperCase()).join(' ');
          differ.push(`${f} ${hex(input[i])}: ${hex(a)} (DuckDB ${hex(expected[i])})`);
        }
      });
    }
    expect(differ).toEqual(DUCKDB_CASE_DIFFERENCES);
  });
});

/** Where Unicode's simple case mapping (ours) and DuckDB's tables disagree (README): Unicode
 * gives ß no simple upper case; DuckDB maps it to ẞ (U+1E9E). */
const DUCKDB_CASE_DIFFERENCES = ['upper DF: DF (DuckDB 1E9E)'];

describe('the regular-expression engine', () => {
  it('matches a pattern that makes backtracking engines take exponential time, as DuckDB does', async () => {
    // (a*)*b over 5,000 a's: 2^5000 paths for a backtracker; a Pike VM visits each
    // instruction once per character.
    const t = await loadTable(
      conn,
      'aaaa',
      `SELECT 1::BIGINT AS rid, repeat('a', 5000) AS s UNION ALL SELECT 2, repeat('a', 5000) || 'b'`,
      [
        { name: 'rid', kind: 'bigint' },
        { name: 's', kind: 'varchar' },
      ],
    );
    const out = runExpressionModule('derive', t, {
      column: 'v',
      expression: 'regexp_matches(s, "^(a*)*b$") || false',
    });
    const expected = await duckColumn(
      conn,
      `SELECT regexp_matches(s, '^(a*)*b$') FROM aaaa ORDER BY rid`,
    );
    expect(columnCells(out, 'v')).toEqual(expected);
    expect(expected).toEqual([false, true]);
  });

  it.each([
    ['(a', /regular expression: missing \) at byte 2 of the pattern/],
    ['a)', /unmatched \) at byte 1/],
    ['[z-a]', /bad range in a class/],
    ['(a)\\\\1', /unsupported escape \(backreferences and \\p are not supported\)/],
    ['a**', /bad repetition operator/],
    ['(?=a)', /only \(\?: \) groups are supported/],
  ])('refuses %s, naming the byte', (pattern, message) => {
    expect(() =>
      runExpressionModule('derive', cars, {
        column: 'v',
        expression: `regexp_matches(name, "${pattern}")`,
      }),
    ).toThrow(message);
  });
});
