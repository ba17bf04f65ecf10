/**
 * The SQL step's as-you-type check, off the page's thread: DuckDB-Wasm (loaded on the first
 * message, `runtime/sql/engine-browser.ts`) checks each query it is sent. When every input's
 * columns are known, empty tables with those columns stand in for the inputs and the query is
 * described (`DESCRIBE`): any error (syntax, unknown column, types) comes back with its position,
 * else the output columns. Otherwise the query is only parsed, and only a parser error counts.
 */
import { tableFromIPC } from 'apache-arrow';
import type { DuckDBConnection } from '../runtime/sql/engine';
import { loadBrowserSqlEngine } from '../runtime/sql/engine-browser';
import { errorPosition } from '../runtime/sql/position';

/** Page → worker: a query to check, with the input tables' column definitions if all known. */
export interface SqlCheckRequest {
  id: number;
  query: string;
  tables?: Record<string, string>;
}

/** An output column of a described query (DuckDB's type name). */
export interface SqlColumn {
  name: string;
  type: string;
}

/** Worker → page: `ready` once the engine is loaded, then one answer per request. */
export type SqlCheckReply =
  | { type: 'ready' }
  | {
      type: 'checked';
      id: number;
      error?: { message: string; line?: number; column?: number };
      columns?: SqlColumn[];
    };

const scope = globalThis as unknown as {
  postMessage(message: SqlCheckReply): void;
  onmessage: ((event: MessageEvent<SqlCheckRequest>) => void) | null;
};
const connection = loadBrowserSqlEngine().then((db) => {
  scope.postMessage({ type: 'ready' });
  return db.connect();
});

/** The output columns of `query` over `tables`; throws DuckDB's error. */
function describe(conn: DuckDBConnection, query: string, tables: Record<string, string>) {
  const run = (sql: string): Uint8Array => conn.useUnsafe((db, c) => db.runQuery(c, sql));
  for (const [name, columns] of Object.entries(tables))
    run(`CREATE OR REPLACE TABLE "${name}" (${columns})`);
  // On a line of its own, so that DuckDB's positions in the query keep their columns.
  const described = tableFromIPC(run(`DESCRIBE\n${query}`)).toArray();
  return described.map((r: Record<string, unknown>) => ({
    name: String(r.column_name),
    type: String(r.column_type),
  }));
}

function check(conn: DuckDBConnection, request: SqlCheckRequest): SqlCheckReply {
  const { id, query, tables } = request;
  try {
    if (tables === undefined) {
      conn.useUnsafe((db, c) => db.getTableNames(c, query));
      return { type: 'checked', id };
    }
    return { type: 'checked', id, columns: describe(conn, query, tables) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An input whose columns are not known yet is missing here, not in the run.
    if (/^Catalog Error: Table with name/.test(message)) return check(conn, { id, query });
    if (tables === undefined && !message.startsWith('Parser Error')) return { type: 'checked', id };
    const head = message.replace(/\nLINE \d+:[\s\S]*$/, '');
    const shifted = tables === undefined ? query : `DESCRIBE\n${query}`;
    const at = errorPosition(message, shifted);
    const position =
      at === undefined ? {} : { line: at.line - (tables === undefined ? 0 : 1), column: at.column };
    return { type: 'checked', id, error: { message: head, ...position } };
  }
}

scope.onmessage = (event) => {
  void connection.then(
    (conn) => scope.postMessage(check(conn, event.data)),
    (error: Error) =>
      scope.postMessage({
        type: 'checked',
        id: event.data.id,
        error: { message: `the SQL engine did not load: ${error.message}` },
      }),
  );
};
