/**
 * What the editor derives from the document with src/pipeline's validator: issues per step
 * (badges on nodes, list in the inspector) and each step's input schema (column pickers,
 * expression checks). Output schemas seen in the last run feed inference where rules cannot
 * know them (CSV and file sources), as long as the step and its inputs are unchanged; before a
 * run, a JavaScript step's output inferred on a sample row (`inferredSchemas.ts`).
 */
import { useMemo } from 'react';
import { stepFingerprints } from '../pipeline/fingerprint';
import type { KnownSchemas } from '../pipeline/infer';
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument } from '../pipeline/types';
import { validatePipelineWithSchemas, type PipelineCheck } from '../pipeline/validate';
import type { Catalog } from './docOps';
import { inferredFor, useInferredSchemas } from './inferredSchemas';
import { useRunView, type PreviewData, type RunStore, type RunView } from './runState';

const selectPreviews = (v: RunView) => v.previews;

/** Validation and schemas of `doc`, recomputed when it or the last run's previews change. */
export function usePipelineCheck(
  doc: PipelineDocument,
  catalog: Catalog,
  runStore: RunStore,
): PipelineCheck {
  const previews = useRunView(runStore, selectPreviews);
  const inferred = useInferredSchemas();
  return useMemo(() => {
    // A run's schemas come first; a JavaScript step's sample inference fills in before one.
    const known = { ...inferredFor(doc, inferred), ...knownSchemasOf(doc, previews) };
    return validatePipelineWithSchemas(doc, catalog, known as KnownSchemas);
  }, [doc, catalog, previews, inferred]);
}

/**
 * Output schemas seen in the last run that still hold for `doc`: a preview whose step (or
 * anything upstream of it) changed since, e.g. a new CSV delimiter, is left out.
 */
export function knownSchemasOf(
  doc: PipelineDocument,
  previews: Readonly<Record<string, PreviewData>>,
): KnownSchemas {
  const now = stepFingerprints(doc);
  const known: Record<string, Record<string, TableSchema>> = {};
  for (const [stepId, p] of Object.entries(previews)) {
    if (now[stepId] === p.fingerprint) known[stepId] = { [p.port]: p.schema };
  }
  return known as KnownSchemas;
}

/** The first error (else warning) of each step, for its node. */
export function problemsByStep(check: PipelineCheck): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const ordered = [...check.issues].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  for (const i of ordered) {
    if (i.stepId && !out.has(i.stepId)) out.set(i.stepId, i.detail || i.message);
  }
  return out;
}

/** The known schema of `stepId`'s first input, or null. */
export function inputSchemaOf(
  check: PipelineCheck,
  doc: PipelineDocument,
  catalog: Catalog,
  stepId: string | null,
): TableSchema | null {
  if (!stepId) return null;
  const step = doc.steps.find((s) => s.id === stepId);
  const port = step ? catalog.get(step.moduleId)?.inputs[0]?.name : undefined;
  const info = port ? check.schemas.inputs[stepId]?.[port] : undefined;
  return info?.known ? info.schema : null;
}
