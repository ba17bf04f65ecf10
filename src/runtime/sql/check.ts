/**
 * The SQL step's as-you-type check (run off the page's thread by `editor/sql-check.worker.ts`, with
 * DuckDB-Wasm loaded there): each query is checked as it is sent. When every input's
 * columns are known, empty tables with those columns stand in for the inputs and the query is
 * described (`DESCRIBE`): any error (syntax, unknown column, types) comes back with its position,
 * else the output columns, and the Arrow schema a run would give (the query itself, limited to no
 * rows, over the empty tables: the same engine and conversion as the run's). Otherwise the query
 * is only parsed, and only a parser error counts.
 */

import { tableFromIPC } from 'apache-arrow';
import { fromArrowSchema } from '../../pipeline/arrow-schema';
import type { TableSchema } from '../../pipeline/table-schema';
import type { DuckDBConnection } from './engine';
import { errorPosition } from './position';

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
      /** The output's Arrow schema, when the query could be run without rows. */
      schema?: TableSchema;
    };

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

/**
 * The Arrow schema of `query`'s result over the (empty) tables `describe` created, or undefined
 * if it cannot be run as a subquery (a statement other than a query). `LIMIT 0` keeps a query
 * that makes its own rows (`range(1e12)`) from running.
 */
function outputSchema(conn: DuckDBConnection, query: string): TableSchema | undefined {
  const body = query.replace(/;\s*$/, '');
  try {
    const ipc = conn.useUnsafe((db, c) => db.runQuery(c, `SELECT * FROM (\n${body}\n) LIMIT 0`));
    return fromArrowSchema(tableFromIPC(ipc).schema);
  } catch {
    return undefined; // DESCRIBE accepted it: the columns are still shown, only not passed on.
  }
}

/** The answer to `request`, checked with `conn` (DuckDB-Wasm). Never throws. */
export function checkSql(conn: DuckDBConnection, request: SqlCheckRequest): SqlCheckReply {
  const { id, query, tables } = request;
  try {
    if (tables === undefined) {
      conn.useUnsafe((db, c) => db.getTableNames(c, query));
      return { type: 'checked', id };
    }
    const columns = describe(conn, query, tables);
    const schema = outputSchema(conn, query);
    return { type: 'checked', id, columns, ...(schema ? { schema } : {}) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // An input whose columns are not known yet is missing here, not in the run.
    if (/^Catalog Error: Table with name/.test(message)) return checkSql(conn, { id, query });
    if (tables === undefined && !message.startsWith('Parser Error')) return { type: 'checked', id };
    const head = message.replace(/\nLINE \d+:[\s\S]*$/, '');
    const shifted = tables === undefined ? query : `DESCRIBE\n${query}`;
    const at = errorPosition(message, shifted);
    const position =
      at === undefined ? {} : { line: at.line - (tables === undefined ? 0 : 1), column: at.column };
    return { type: 'checked', id, error: { message: head, ...position } };
  }
}
