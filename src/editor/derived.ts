/**
 * What the editor derives from the document with src/pipeline's validator: issues per step
 * (badges on nodes, list in the inspector) and each step's input schema (column pickers,
 * expression checks). Output schemas seen in the last run feed inference where rules cannot
 * know them (CSV and file sources), as long as the step and its inputs are unchanged; before a
 * run, a JavaScript step's output inferred on a sample row (`inferredSchemas.ts`) and a SQL
 * step's output described by DuckDB (`sqlSchemas.ts`).
 */
import { useCallback, useMemo } from 'react';
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

/** Validation and schemas of `doc`, recomputed when it or the last run's previews change. */
export function usePipelineCheck(
  doc: PipelineDocument,
  catalog: Catalog,
  runStore: RunStore,
): PipelineCheck {
  const seen = useSeenSchemas(doc, runStore);
  const inferred = useInferredSchemas();
  const described = useDescribedSql();
  // Once loaded, chart specs are checked against Vega-Lite's schema: validate again.
  const specSchema = useVegaLiteSchema(doc);
  const check = useMemo(() => {
    // A run's schemas come first; a JavaScript step's sample inference fills in before one.
    let known: KnownSchemas = { ...inferredFor(doc, inferred), ...seen };
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
  }, [doc, catalog, seen, inferred, described, specSchema]);
  useDescribeSql(doc, check, described);
  return check;
}

/**
 * {@link knownSchemasOf} `doc` and the run view, as an object that changes only when a schema
 * does: a preview's rows (or a re-run that found the same columns) do not validate the
 * pipeline again, which on a first run took ~20 ms of the page per preview (CPU at 1/4).
 */
function useSeenSchemas(doc: PipelineDocument, runStore: RunStore): KnownSchemas {
  const now = useMemo(() => stepFingerprints(doc), [doc]);
  // A string, so that the editor re-renders only when it changes (snapshots compare by
  // Object.is): a preview's rows alone re-render only the panels that show them.
  const seenKey = useCallback(
    (v: RunView) => JSON.stringify(knownWith(now, v.previews, v.probed)),
    [now],
  );
  const key = useRunView(runStore, seenKey);
  return useMemo(() => JSON.parse(key) as KnownSchemas, [key]);
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
  return knownWith(stepFingerprints(doc), previews, probed);
}

/** {@link knownSchemasOf} given the document's `stepFingerprints`. */
function knownWith(
  now: Readonly<Record<string, string>>,
  previews: Readonly<Record<string, PreviewData>>,
  probed: Readonly<Record<string, Omit<PreviewData, 'rows'>>>,
): KnownSchemas {
  const known: Record<string, Record<string, TableSchema>> = {};
  for (const [stepId, p] of [...Object.entries(probed), ...Object.entries(previews)]) {
    if (now[stepId] === p.fingerprint) known[stepId] = { [p.port]: p.schema };
  }
  return known as KnownSchemas;
}

/**
 * Steps whose shown result (status and preview) is outdated: computed from a document whose
 * step, or anything upstream of it, has changed since, or not confirmed by the run under way
 * (waiting, running, or skipped by it).
 */
export function outdatedSteps(
  doc: PipelineDocument,
  view: Pick<RunView, 'resultOf' | 'steps'>,
): Set<string> {
  return outdatedOf(stepFingerprints(doc), view);
}

/** {@link outdatedSteps} given the document's `stepFingerprints`. */
function outdatedOf(
  now: Readonly<Record<string, string>>,
  view: Pick<RunView, 'resultOf' | 'steps'>,
): Set<string> {
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
  const now = useMemo(() => stepFingerprints(doc), [doc]);
  // The selector yields a string, so the canvas re-renders only when the set changes, not on
  // each progress event (React compares the snapshots with Object.is).
  const outdatedKey = useCallback((v: RunView) => [...outdatedOf(now, v)].sort().join('\n'), [now]);
  const key = useRunView(runStore, outdatedKey);
  return useMemo(() => new Set(key === '' ? [] : key.split('\n')), [key]);
}

/** The problems of each step, errors first, one per line, for its node's badge. */
export function problemsByStep(check: PipelineCheck): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const ordered = [...check.issues].sort(
    (a, b) => Number(a.severity === 'warning') - Number(b.severity === 'warning'),
  );
  for (const i of ordered) {
    if (!i.stepId) continue;
    const text = (i.detail || i.message).replace(/\n/g, ' ');
    const before = out.get(i.stepId);
    out.set(i.stepId, before === undefined ? text : `${before}\n${text}`);
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
