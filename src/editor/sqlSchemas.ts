/**
 * SQL steps' output schemas before a run: DuckDB runs each query without rows over empty tables
 * with its inputs' columns (the check worker, `sql-check.worker.ts`), and the schema it gives
 * feeds validation (`derived.ts`), so a step after a SQL step has column pickers and its column
 * errors before Run. An entry counts only while its step's query and its inputs' columns are the
 * ones it was described for; a run's own schema, when there is one, comes first.
 */
import { useEffect, useSyncExternalStore } from 'react';
import type { KnownSchemas } from '../pipeline/infer';
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument, Step } from '../pipeline/types';
import type { PipelineCheck } from '../pipeline/validate';
import { SQL_MODULE_IDS } from '../runtime/sql/prepare';
import { checkSqlQuery } from './sqlChecker';
import { columnDefinitions } from '../runtime/sql/column-definitions';

/** What was described for one step: its query, over its inputs' columns, gives `schema`. */
export interface DescribedSql {
  query: string;
  /** JSON of input name → column definitions (`runtime/sql/column-definitions.ts`). */
  tables: string;
  schema: TableSchema;
}

type Entries = Readonly<Record<string, DescribedSql>>;

/** Milliseconds of quiet after an edit before queries are described. */
const DESCRIBE_DELAY_MS = 300;

let entries: Entries = {};
const listeners = new Set<() => void>();
const pending = new Set<string>();

function record(stepId: string, described: DescribedSql): void {
  entries = { ...entries, [stepId]: described };
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every described SQL step, re-rendering the caller when one is added. */
export function useDescribedSql(): Entries {
  return useSyncExternalStore(subscribe, () => entries);
}

/** The query of a SQL step, or undefined for any other step. */
function queryOf(step: Step): string | undefined {
  if (!SQL_MODULE_IDS.includes(step.moduleId)) return undefined;
  return typeof step.params.query === 'string' ? step.params.query : undefined;
}

/** JSON of `stepId`'s input tables' column definitions; undefined while an input is unknown. */
export function sqlTablesOf(check: PipelineCheck, stepId: string): string | undefined {
  const ports = Object.entries(check.schemas.inputs[stepId] ?? {});
  if (ports.length === 0) return undefined;
  const tables: Record<string, string> = {};
  for (const [port, info] of ports) {
    if (!info.known) return undefined;
    tables[port] = columnDefinitions(info.schema);
  }
  return JSON.stringify(tables);
}

/**
 * Output schemas of `doc`'s SQL steps that `all` holds for their query and inputs as `check`
 * sees them, leaving out the steps `known` already has (a run's schema wins).
 */
export function describedFor(
  doc: PipelineDocument,
  check: PipelineCheck,
  all: Entries,
  known: KnownSchemas,
): Record<string, Record<string, TableSchema>> {
  const out: Record<string, Record<string, TableSchema>> = {};
  for (const step of doc.steps) {
    const e = all[step.id];
    if (e === undefined || known[step.id] !== undefined || e.query !== queryOf(step)) continue;
    if (e.tables === sqlTablesOf(check, step.id)) out[step.id] = { out: e.schema };
  }
  return out;
}

/**
 * Describes, after edits settle, each SQL step of `doc` whose inputs `check` knows and whose
 * query has not been described over them; each answer re-renders the `useDescribedSql` callers.
 */
export function useDescribeSql(doc: PipelineDocument, check: PipelineCheck, all: Entries): void {
  useEffect(() => {
    const todo = doc.steps.flatMap((step) => {
      const query = queryOf(step);
      const tables = sqlTablesOf(check, step.id);
      if (query === undefined || tables === undefined) return [];
      const e = all[step.id];
      const key = `${step.id}\u0000${query}\u0000${tables}`;
      if ((e?.query === query && e.tables === tables) || pending.has(key)) return [];
      return [{ stepId: step.id, query, tables, key }];
    });
    if (todo.length === 0) return;
    const timer = setTimeout(() => {
      for (const { stepId, query, tables, key } of todo) {
        pending.add(key);
        void checkSqlQuery(query, JSON.parse(tables) as Record<string, string>).then((r) => {
          pending.delete(key);
          // A query with an error has no schema: its step's output stays unknown.
          if (r.schema) record(stepId, { query, tables, schema: r.schema });
        });
      }
    }, DESCRIBE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [doc, check, all]);
}
