/**
 * The csv module against an independent oracle, DuckDB's read_csv, on real files
 * (vega-datasets, flights-3m.parquet as CSV, and the Arrow conformance file
 * aggregate_test_100.csv).
 *
 * Types: DuckDB sniffs with the same options (sample_size=-1: every row); our inferred types
 * must be its types, except where a difference is listed in `typeDifferences` with why.
 * Values: DuckDB re-reads the file with our types forced (`types=`), so both sides parse the
 * same text as the same type: integers and dates must be equal, floats equal to 1e-9
 * relative, strings equal, nulls in the same rows.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceDir, rawValues, repoRoot, runCsv } from './csv-harness';

const vega = (f: string): string => join(repoRoot, 'node_modules', 'vega-datasets', 'data', f);

const files: { name: string; path: string }[] = [
  ...[
    'seattle-weather.csv',
    'airports.csv',
    'unemployment.tsv',
    'github.csv',
    'stocks.csv',
    'birdstrikes.csv',
    'zipcodes.csv',
    'la-riots.csv',
    'weather.csv',
    'disasters.csv',
  ].map((name) => ({ name, path: vega(name) })),
  {
    name: 'aggregate_test_100.csv',
    path: join(conformanceDir, 'aggregate_test_100.csv'),
  },
  // Timestamps on real data: 100,000 flights from flights-3m.parquet, written as CSV by
  // DuckDB in beforeAll ("2001-01-01 00:01:00", several record batches).
  {
    name: 'flights-100k.csv',
    path: join(tmpdir(), `quiver-csv-test-${process.pid}-flights-100k.csv`),
  },
];

/** Where our inference differs from DuckDB's on purpose: file → column → [ours, DuckDB's]. */
const typeDifferences: Record<string, Record<string, [string, string]>> = {
  // DuckDB's sniffer tries strftime formats such as "%Y/%m/%d %H:%M:%S"; we read ISO 8601
  // unless told a format, so "2015/01/01 01:00:00" stays text here (with timestampFormat it
  // is a timestamp: csv.formats.test.ts).
  'github.csv': { time: ['VARCHAR', 'TIMESTAMP'] },
};

const NULL_TOKENS = ['', 'NA', 'NULL', 'null'];

/** DuckDB's name for each Arrow type our module produces. */
function duckType(arrowType: string): string {
  if (arrowType === 'Int64') return 'BIGINT';
  if (arrowType === 'Float64') return 'DOUBLE';
  if (arrowType === 'Bool') return 'BOOLEAN';
  if (arrowType === 'Date32<DAY>') return 'DATE';
  if (arrowType === 'Timestamp<MICROSECOND>') return 'TIMESTAMP';
  if (arrowType === 'Timestamp<MICROSECOND, UTC>') return 'TIMESTAMP WITH TIME ZONE';
  if (arrowType === 'Utf8') return 'VARCHAR';
  throw new Error(`unexpected Arrow type ${arrowType}`);
}

const sqlString = (s: string): string => `'${s.replaceAll("'", "''")}'`;
const ident = (s: string): string => `"${s.replaceAll('"', '""')}"`;

function readCsvSql(path: string, delimiter: string, types?: Record<string, string>): string {
  const opts = [
    'header=true',
    `delim=${sqlString(delimiter)}`,
    `quote='"'`,
    `escape='"'`,
    `nullstr=[${NULL_TOKENS.map(sqlString).join(', ')}]`,
    'allow_quoted_nulls=false',
    'sample_size=-1',
  ];
  if (types) {
    opts.push(
      `types={${Object.entries(types)
        .map(([k, v]) => `${sqlString(k)}: ${sqlString(v)}`)
        .join(', ')}}`,
    );
  }
  return `read_csv(${sqlString(path)}, ${opts.join(', ')})`;
}

/** Relative difference check for floats (NaN equals NaN). */
function floatsClose(a: number, b: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (a === b) return true;
  return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
}

describe('csv module vs DuckDB read_csv', () => {
  let connection: DuckDBConnection;
  beforeAll(async () => {
    const db = await DuckDBInstance.create(':memory:');
    connection = await db.connect();
    const parquet = vega('flights-3m.parquet');
    const flights = files.at(-1)!.path;
    await connection.run(
      `COPY (SELECT * FROM read_parquet(${sqlString(parquet)}) LIMIT 100000) TO ${sqlString(flights)} (HEADER, DELIMITER ',')`,
    );
  });
  afterAll(() => {
    connection.closeSync();
    rmSync(files.at(-1)!.path, { force: true });
  });

  it.each(files)('$name: same columns, types, row count and values', async ({ name, path }) => {
    const delimiter = name.endsWith('.tsv') ? '\t' : ',';
    const run = runCsv(readFileSync(path), { delimiter });
    expect(run.exitCode, run.stderr).toBe(0);
    const table = run.table!;
    const ours = Object.fromEntries(
      table.schema.fields.map((f) => [f.name, duckType(String(f.type))]),
    );

    const sniffed = await connection.runAndReadAll(
      `DESCRIBE SELECT * FROM ${readCsvSql(path, delimiter)}`,
    );
    const theirs = Object.fromEntries(sniffed.getRows().map((r) => [String(r[0]), String(r[1])]));
    expect(Object.keys(ours)).toEqual(Object.keys(theirs));
    for (const [column, [ourType, theirType]] of Object.entries(typeDifferences[name] ?? {})) {
      expect([ours[column], theirs[column]]).toEqual([ourType, theirType]);
      theirs[column] = ourType;
    }
    expect(ours).toEqual(theirs);

    const projections = Object.entries(ours).map(([column, type]) => {
      if (type === 'DATE') return `(${ident(column)} - DATE '1970-01-01')::INTEGER`;
      if (type.startsWith('TIMESTAMP')) return `epoch_us(${ident(column)})`;
      return ident(column);
    });
    const reader = await connection.runAndReadAll(
      `SELECT ${projections.join(', ')} FROM ${readCsvSql(path, delimiter, ours)}`,
    );
    const expected = reader.getColumnsJS();
    expect(table.numRows).toBe(reader.currentRowCount);
    Object.entries(ours).forEach(([column, type], k) => {
      const got = rawValues(table, column);
      const want = expected[k]!;
      expect(got).toHaveLength(want.length);
      if (type === 'DOUBLE') {
        const bad = got.findIndex((v, i) =>
          v === null || want[i] === null
            ? v !== want[i]
            : !floatsClose(v as number, want[i] as number),
        );
        expect(bad, `${column} row ${bad}: ${String(got[bad])} vs ${String(want[bad])}`).toBe(-1);
      } else {
        expect(got, column).toEqual(want);
      }
    });
  });
});
