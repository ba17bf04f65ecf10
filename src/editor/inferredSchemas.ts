/**
 * Output schemas of JavaScript steps inferred in the inspector on a sample row
 * (`runtime/javascript/check.ts`), kept with the code and form they were inferred for, so that
 * validation can use them before any run (`derived.ts`). An entry counts only while its step's
 * code and form are unchanged; a run's own schema, when there is one, comes first.
 */
import { useSyncExternalStore } from 'react';
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument } from '../pipeline/types';

/** What was inferred for one step. */
export interface InferredSchema {
  code: string;
  mode: string;
  schema: TableSchema;
}

type Entries = Readonly<Record<string, InferredSchema>>;

let entries: Entries = {};
const listeners = new Set<() => void>();

/** Records (or, with null, forgets) what was inferred for `stepId`. */
export function setInferredSchema(stepId: string, inferred: InferredSchema | null): void {
  // Unchanged: no update, so validation (and the inspector it feeds) does not re-render.
  if (JSON.stringify(entries[stepId] ?? null) === JSON.stringify(inferred)) return;
  const next = { ...entries };
  if (inferred === null) delete next[stepId];
  else next[stepId] = inferred;
  entries = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Every recorded entry, re-rendering the caller when one changes. */
export function useInferredSchemas(): Entries {
  return useSyncExternalStore(subscribe, () => entries);
}

/** The `out` schemas of `entries` that still hold for `doc` (same code and form), by step. */
export function inferredFor(
  doc: PipelineDocument,
  all: Entries,
): Record<string, Record<string, TableSchema>> {
  const out: Record<string, Record<string, TableSchema>> = {};
  for (const step of doc.steps) {
    const e = all[step.id];
    if (e === undefined) continue;
    const mode = step.params.mode === 'batch' ? 'batch' : 'rows';
    if (e.code === step.params.code && e.mode === mode) out[step.id] = { out: e.schema };
  }
  return out;
}
