/**
 * The SQL check's worker: loads DuckDB-Wasm (`runtime/sql/engine-browser.ts`) on start, says
 * `ready`, then answers each request with `checkSql` (`runtime/sql/check.ts`).
 */
import { loadBrowserSqlEngine } from '../runtime/sql/engine-browser';
import { checkSql, type SqlCheckReply, type SqlCheckRequest } from '../runtime/sql/check';

const scope = globalThis as unknown as {
  postMessage(message: SqlCheckReply): void;
  onmessage: ((event: MessageEvent<SqlCheckRequest>) => void) | null;
};
const connection = loadBrowserSqlEngine().then((db) => {
  scope.postMessage({ type: 'ready' });
  return db.connect();
});

scope.onmessage = (event) => {
  void connection.then(
    (conn) => scope.postMessage(checkSql(conn, event.data)),
    (error: Error) =>
      scope.postMessage({
        type: 'checked',
        id: event.data.id,
        error: { message: `the SQL engine did not load: ${error.message}` },
      }),
  );
};
