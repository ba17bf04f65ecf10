/**
 * Preparing a host SQL step on the main thread: nothing to compile or read (DuckDB-Wasm is
 * loaded in the step's worker), only the spec built from its params and its manifest's ports.
 */
import type { ModuleManifest } from '../../modules/manifest';
import type { Step } from '../../pipeline/types';
import type { SqlStepSpec } from '../protocol';

/** Ids of the SQL steps' manifests: `sql.json` (one input) and `sql2.json` (two). */
export const SQL_MODULE_IDS: readonly string[] = ['sql', 'sql2'];

/** Whether a manifest id is one of the SQL steps. */
export function isSqlModule(id: string): boolean {
  return SQL_MODULE_IDS.includes(id);
}

/** The `run-step` spec of a SQL step (its params already valid against the manifest). */
export function prepareSql(step: Step, manifest: ModuleManifest): SqlStepSpec {
  return {
    kind: 'sql',
    stepId: step.id,
    query: String(step.params.query ?? ''),
    inputs: manifest.inputs.map((p) => p.name),
    limits: step.limits,
  };
}
