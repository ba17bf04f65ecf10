import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { describeSqlError, errorPosition } from './position';

/** DuckDB-Wasm 1.28's parser error for `sql` (the same DuckDB 0.9 text as the step sees). */
const wasmStyle = (line: number, shown: string, caret: number, token: string): string =>
  `Parser Error: syntax error at or near "${token}"\nLINE ${line}: ${shown}\n${' '.repeat(`LINE ${line}: `.length + caret)}^`;

describe('errorPosition', () => {
  it('reads the line and the caret under it', () => {
    const sql = 'SELECT *\n  FROM t WHER x = 1';
    const message = wasmStyle(2, '  FROM t WHER x = 1', 14, 'x');
    expect(errorPosition(message, sql)).toEqual({ line: 2, column: 15 });
    expect(describeSqlError(message, sql)).toBe(
      'line 2, column 15: Parser Error: syntax error at or near "x"',
    );
  });

  it('finds the column of a long line shown as a window', () => {
    const long = `SELECT ${'a, '.repeat(60)}b c d FROM t`;
    const at = long.indexOf('c d');
    const shown = `...${long.slice(at - 20, at + 10)}...`;
    const message = wasmStyle(1, shown, 3 + 20, 'c');
    expect(errorPosition(message, long)).toEqual({ line: 1, column: at + 1 });
  });

  it('puts an error at the end of input after the last character', () => {
    expect(errorPosition('Parser Error: syntax error at end of input', 'SELECT 1 +\n  ')).toEqual({
      line: 2,
      column: 3,
    });
  });

  it('agrees with the offset native DuckDB reports (json_serialize_sql)', async () => {
    const sql = 'SELECT iata,\n  city\nFROM input WHER state = 1';
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const [row] = (
      await duck.runAndReadAll(`SELECT json_serialize_sql('${sql}') AS j`)
    ).getRowObjectsJS();
    const position = Number((JSON.parse(String(row?.j)) as { position: string }).position);
    const before = sql.slice(0, position).split('\n');
    const expected = { line: before.length, column: (before.at(-1) ?? '').length + 1 };
    expect(errorPosition(wasmStyle(3, 'FROM input WHER state = 1', 16, 'state'), sql)).toEqual(
      expected,
    );
  });
});
