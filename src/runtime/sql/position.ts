/**
 * Line and column of a DuckDB error in the query text. DuckDB 0.9 (the build in
 * `@duckdb/duckdb-wasm` 1.28) ends a parser or binder error with the offending line and a caret:
 * `LINE 2:   from t whre x = 1` then spaces and `^` under the token. A long line is shown as a
 * window with `...` at either end, so the column is found by locating the window in the line.
 * "syntax error at end of input" has no caret: it is placed just after the last character.
 */

/** 1-based line and column of an error in the query text. */
export interface SqlPosition {
  line: number;
  column: number;
}

const LINE_RE = /\nLINE (\d+): (.*)\n( *)\^\s*$/;

/** Where `message` (a DuckDB error) points in `sql`, or undefined if it points nowhere. */
export function errorPosition(message: string, sql: string): SqlPosition | undefined {
  const lines = sql.split('\n');
  const m = LINE_RE.exec(message);
  if (m === null) {
    if (!/syntax error at end of input/.test(message)) return undefined;
    const line = lines.length;
    return { line, column: (lines[line - 1] ?? '').length + 1 };
  }
  const line = Number(m[1]);
  const shown = m[2] ?? '';
  const caret = (m[3] ?? '').length - `LINE ${m[1]}: `.length;
  const source = lines[line - 1] ?? '';
  if (!shown.startsWith('...')) return { line, column: caret + 1 };
  const window = shown.slice(3).replace(/\.\.\.$/, '');
  const at = source.indexOf(window);
  return { line, column: at < 0 ? caret + 1 : at + caret - 3 + 1 };
}

/** DuckDB's message without its trailing `LINE n:` excerpt, prefixed with the position. */
export function describeSqlError(message: string, sql: string): string {
  const pos = errorPosition(message, sql);
  const head = message.replace(LINE_RE, '').trim();
  return pos === undefined ? head : `line ${pos.line}, column ${pos.column}: ${head}`;
}
