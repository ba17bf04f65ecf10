/**
 * What the editor derives from the document with src/pipeline's validator: issues per step
 * (badges on nodes, list in the inspector) and each step's input schema (column pickers,
 * expression checks). Output schemas seen in the last run feed inference where rules cannot
 * know them (CSV and file sources), as long as the step and its inputs are unchanged; before a
 * run, a JavaScript step's output inferred on a sample row (`inferredSchemas.ts`) and a SQL
 * step's output described by DuckDB (`sqlSchemas.ts`).
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
import { describedFor, useDescribeSql, useDescribedSql } from './sqlSchemas';
import { useVegaLiteSchema } from './vegaLiteSchema';

const selectPreviews = (v: RunView) => v.previews;
const selectProbed = (v: RunView) => v.probed;

/** Validation and schemas of `doc`, recomputed when it or the last run's previews change. */
export function usePipelineCheck(
  doc: PipelineDocument,
  catalog: Catalog,
  runStore: RunStore,
): PipelineCheck {
  const previews = useRunView(runStore, selectPreviews);
  const probed = useRunView(runStore, selectProbed);
  const inferred = useInferredSchemas();
  const described = useDescribedSql();
  // Once loaded, chart specs are checked against Vega-Lite's schema: validate again.
  const specSchema = useVegaLiteSchema(doc);
  const check = useMemo(() => {
    // A run's schemas come first; a JavaScript step's sample inference fills in before one.
    let known: KnownSchemas = {
      ...inferredFor(doc, inferred),
      ...knownSchemasOf(doc, previews, probed),
    };
    let check = validatePipelineWithSchemas(doc, catalog, known);
    // Then SQL steps described over their inputs' columns; each pass may make the inputs of
    // one more SQL step known (a SQL step after a SQL step).
    for (;;) {
      const more = describedFor(doc, check, described, known);
      if (Object.keys(more).length === 0) return check;
      known = { ...known, ...more };
      check = validatePipelineWithSchemas(doc, catalog, known);
    }
    // specSchema is read by the chart rule through chart-spec.ts, not here.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doc, catalog, previews, probed, inferred, described, specSchema]);
  useDescribeSql(doc, check, described);
  return check;
}

/**
 * Output schemas seen in the last run, or probed without a run, that still hold for `doc`: one
 * whose step (or anything upstream of it) changed since, e.g. a new CSV delimiter, is left out.
 * A run's preview wins over a probe.
 */
export function knownSchemasOf(
  doc: PipelineDocument,
  previews: Readonly<Record<string, PreviewData>>,
  probed: Readonly<Record<string, Omit<PreviewData, 'rows'>>> = {},
): KnownSchemas {
  const now = stepFingerprints(doc);
  const known: Record<string, Record<string, TableSchema>> = {};
  for (const [stepId, p] of [...Object.entries(probed), ...Object.entries(previews)]) {
    if (now[stepId] === p.fingerprint) known[stepId] = { [p.port]: p.schema };
  }
  return known as KnownSchemas;
}

const selectResultView = (v: RunView) => v.resultOf;
const selectSteps = (v: RunView) => v.steps;

/**
 * Steps whose shown result (status and preview) is outdated: computed from a document whose
 * step, or anything upstream of it, has changed since, or not confirmed by the run under way
 * (waiting, running, or skipped by it).
 */
export function outdatedSteps(
  doc: PipelineDocument,
  view: Pick<RunView, 'resultOf' | 'steps'>,
): Set<string> {
  const now = stepFingerprints(doc);
  const out = new Set<string>();
  for (const [stepId, fingerprint] of Object.entries(view.resultOf)) {
    const state = view.steps[stepId]?.state;
    const unconfirmed = state === 'waiting' || state === 'running' || state === 'skipped';
    if (now[stepId] !== fingerprint || unconfirmed) out.add(stepId);
  }
  return out;
}

/**
 * {@link outdatedSteps} of `doc`: a set that stays the same object while its members do, so
 * progress events (which change the run view) do not re-render every node.
 */
export function useOutdatedSteps(doc: PipelineDocument, runStore: RunStore): ReadonlySet<string> {
  const resultOf = useRunView(runStore, selectResultView);
  const steps = useRunView(runStore, selectSteps);
  const key = useMemo(
    () => [...outdatedSteps(doc, { resultOf, steps })].sort().join('\n'),
    [doc, resultOf, steps],
  );
  return useMemo(() => new Set(key === '' ? [] : key.split('\n')), [key]);
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

/** The known schema of each input port of `stepId`, by port name (unknown ports left out). */
export function inputSchemasOf(
  check: PipelineCheck,
  stepId: string | null,
): Readonly<Record<string, TableSchema>> {
  const out: Record<string, TableSchema> = {};
  for (const [port, info] of Object.entries(stepId ? (check.schemas.inputs[stepId] ?? {}) : {})) {
    if (info.known) out[port] = info.schema;
  }
  return out;
}
