/**
 * Which steps of a document a run starts: every step, or with `targets` only those and what
 * they need (their upstream); with `skipInvalid`, a step that cannot run (a validation error
 * of its own: an unconnected input, invalid params, an unknown module) is left out with its
 * reason, and so is everything downstream of it, while unrelated branches still run. Problems
 * of steps a targeted run does not start do not matter to it.
 */
import type { ModuleCatalog } from '../modules/catalog';
import { hasVegaLiteSchema } from '../pipeline/chart-spec';
import { topologicalOrder } from '../pipeline/graph';
import type { PipelineDocument } from '../pipeline/types';
import { validatePipeline, type ValidationIssue } from '../pipeline/validate';

/** The steps a run starts and those it skips before starting. */
export interface RunScope {
  /** The steps started, in a topological order. */
  order: string[];
  /** Steps skipped because they cannot run, with the reason shown for each. */
  blocked: Map<string, string>;
  /** The document restricted to `order` and the edges between those steps. */
  runDoc: PipelineDocument;
}

/**
 * The scope of running `doc`. Throws an Error listing the problems when the pipeline as a whole
 * cannot run (a cycle, a pipeline-level error, or, without `skipInvalid`, any error), or when a
 * target is not a step of `doc`.
 */
export function runScope(
  doc: PipelineDocument,
  catalog: ModuleCatalog,
  options: {
    skipInvalid?: boolean;
    targets?: readonly string[];
    /** Steps switched off (bypassed), skipped with their downstream, with the reason. */
    off?: ReadonlyMap<string, string>;
  } = {},
): RunScope {
  const wanted = options.targets ? upstreamOf(doc, options.targets) : null;
  // Steps outside the targets' upstream do not run, so their problems do not matter.
  // Nor do those of a step switched off.
  const errors = validated(doc, catalog).filter(
    (i) =>
      i.severity === 'error' &&
      (wanted === null || i.stepId === null || wanted.has(i.stepId)) &&
      (i.stepId === null || !options.off?.has(i.stepId)),
  );
  const topo = topologicalOrder(doc);
  const fatal = options.skipInvalid ? errors.filter((e) => e.stepId === null) : errors;
  if (fatal.length > 0 || !('order' in topo)) {
    const lines = fatal.map((e) => e.message);
    if (!('order' in topo)) lines.push(`the pipeline has a cycle: ${topo.cycle.join(' → ')}`);
    throw new Error(`the pipeline cannot run:\n${lines.join('\n')}`);
  }
  const blocked = new Map<string, string>(options.off ?? []);
  for (const e of errors)
    if (e.stepId !== null && !blocked.has(e.stepId)) blocked.set(e.stepId, e.detail);
  // Topological order: a step's producers are decided before it.
  for (const id of topo.order) {
    if (blocked.has(id)) continue;
    const cause = doc.edges.find((e) => e.to.step === id && blocked.has(e.from.step));
    if (cause) blocked.set(id, `needs "${cause.from.step}", which cannot run`);
  }
  for (const id of [...blocked.keys()]) if (wanted && !wanted.has(id)) blocked.delete(id);
  const order = topo.order.filter((id) => !blocked.has(id) && (wanted === null || wanted.has(id)));
  const kept = new Set(order);
  const runDoc: PipelineDocument = {
    ...doc,
    steps: doc.steps.filter((s) => kept.has(s.id)),
    edges: doc.edges.filter((e) => kept.has(e.from.step) && kept.has(e.to.step)),
  };
  return { order, blocked, runDoc };
}

/**
 * The last validation of each document object, with the catalog it was checked against: the
 * editor keeps a document object for as long as it is not edited, so a Run after a Run (or a
 * live preview after another) does not validate an unchanged pipeline again on the page.
 */
const validations = new WeakMap<
  PipelineDocument,
  { catalog: ModuleCatalog; chartSchema: boolean; issues: ValidationIssue[] }
>();

/**
 * {@link validatePipeline} of `doc`, or its last result when neither `doc`, `catalog` nor the
 * presence of Vega-Lite's schema (loaded lazily, it adds the chart specs' checks) changed.
 */
function validated(doc: PipelineDocument, catalog: ModuleCatalog): ValidationIssue[] {
  const last = validations.get(doc);
  const chartSchema = hasVegaLiteSchema();
  if (last?.catalog === catalog && last.chartSchema === chartSchema) return last.issues;
  const issues = validatePipeline(doc, catalog);
  validations.set(doc, { catalog, chartSchema, issues });
  return issues;
}

/** `targets` and every step upstream of them. Throws naming a target `doc` does not have. */
function upstreamOf(doc: PipelineDocument, targets: readonly string[]): Set<string> {
  const out = new Set<string>();
  const visit = (id: string): void => {
    if (out.has(id)) return;
    out.add(id);
    for (const e of doc.edges) if (e.to.step === id) visit(e.from.step);
  };
  for (const id of targets) {
    if (!doc.steps.some((s) => s.id === id)) throw new Error(`run to here: no step "${id}"`);
    visit(id);
  }
  return out;
}
