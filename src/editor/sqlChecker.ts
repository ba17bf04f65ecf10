/**
 * The page's side of the SQL check worker (`sql-check.worker.ts`): one worker, started on first
 * use, shared by the query field (`SqlQueryWidget.tsx`) and the SQL output schemas fed to
 * validation (`sqlSchemas.ts`).
 */
import type { TableSchema } from '../pipeline/table-schema';
import type { SqlCheckReply, SqlCheckRequest, SqlColumn } from '../runtime/sql/check';

/** A query's problem, with its 1-based line and column when DuckDB gives a position. */
export type SqlProblem = { message: string; line?: number; column?: number };

/** What a check found: a problem, or the output columns (and schema) when the inputs are known. */
export type SqlChecked = { problem?: SqlProblem; columns?: SqlColumn[]; schema?: TableSchema };

let worker: Worker | undefined;
let ready: Promise<void> | undefined;
let nextId = 0;
const waiting = new Map<number, (checked: SqlChecked) => void>();

/** The check worker, started on first use; `ready` resolves once DuckDB has loaded in it. */
export function sqlChecker(): { worker: Worker; ready: Promise<void> } {
  if (worker === undefined || ready === undefined) {
    const w = new Worker(new URL('./sql-check.worker.ts', import.meta.url), { type: 'module' });
    ready = new Promise((resolve) => {
      w.onmessage = (event: MessageEvent<SqlCheckReply>) => {
        const reply = event.data;
        if (reply.type === 'ready') return resolve();
        waiting.get(reply.id)?.({
          problem: reply.error,
          columns: reply.columns,
          schema: reply.schema,
        });
        waiting.delete(reply.id);
      };
    });
    worker = w;
  }
  return { worker, ready };
}

/**
 * Checks `query` in the check worker: over `tables` (input name → column definitions,
 * `runtime/sql/column-definitions.ts`) when every input's columns are known, else its syntax only.
 */
export function checkSqlQuery(
  query: string,
  tables: Record<string, string> | undefined,
): Promise<SqlChecked> {
  const id = nextId++;
  const request: SqlCheckRequest = { id, query, tables };
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    sqlChecker().worker.postMessage(request);
  });
}
