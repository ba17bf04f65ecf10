/**
 * The SQL step's as-you-type check, off the page's thread: DuckDB-Wasm (loaded on the first
 * message, `runtime/sql/engine-browser.ts`) parses each query it is sent and answers with its
 * parser error and position, if any. Only parser errors are reported: the input tables do not
 * exist here, so the binder's complaints about them would be wrong.
 */
import { loadBrowserSqlEngine } from '../runtime/sql/engine-browser';
import { errorPosition } from '../runtime/sql/position';

/** Page → worker: a query to check. */
export interface SqlCheckRequest {
  id: number;
  query: string;
}

/** Worker → page: `ready` once the engine is loaded, then one answer per request. */
export type SqlCheckReply =
  | { type: 'ready' }
  | { type: 'checked'; id: number; error?: { message: string; line?: number; column?: number } };

const scope = globalThis as unknown as {
  postMessage(message: SqlCheckReply): void;
  onmessage: ((event: MessageEvent<SqlCheckRequest>) => void) | null;
};
const connection = loadBrowserSqlEngine().then((db) => {
  scope.postMessage({ type: 'ready' });
  return db.connect();
});

scope.onmessage = (event) => {
  const { id, query } = event.data;
  void connection.then(
    (conn) => {
      try {
        conn.useUnsafe((db, c) => db.getTableNames(c, query));
        scope.postMessage({ type: 'checked', id });
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        if (!message.startsWith('Parser Error')) return scope.postMessage({ type: 'checked', id });
        const head = message.replace(/\nLINE \d+:[\s\S]*$/, '');
        scope.postMessage({
          type: 'checked',
          id,
          error: { message: head, ...errorPosition(message, query) },
        });
      }
    },
    (error: Error) =>
      scope.postMessage({
        type: 'checked',
        id,
        error: { message: `the SQL engine did not load: ${error.message}` },
      }),
  );
};
