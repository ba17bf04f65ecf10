/**
 * Pure edits of a pipeline document for the editor (and its undo stack): each takes a
 * document and returns a new one, never modifying its argument, sharing unchanged steps and
 * edges. Edits that can be refused (`connect`) return a reason the editor shows as is.
 */
import type { ModuleCatalog } from '../modules/catalog';
import { defaultLimits, defaultParams, defaultPermissions } from '../modules/defaults';
import type { ModuleManifest } from '../modules/manifest';
import { reaches } from './graph';
import { pruneGroupMembers } from './group-members';
import { edgeId, nextStepId, randomId } from './ids';
import {
  PIPELINE_FORMAT_VERSION,
  type Edge,
  type PipelineDocument,
  type PortRef,
  type Step,
} from './types';

/** Canvas position in React Flow coordinates (px at zoom 1). */
export type Position = Step['position'];

/** A new, empty pipeline with a random id. */
export function createPipeline(name: string): PipelineDocument {
  return {
    format: 'quiver-pipeline',
    version: PIPELINE_FORMAT_VERSION,
    id: randomId('p'),
    name,
    steps: [],
    edges: [],
  };
}

/**
 * Add a step running `manifest` at `position`, with the schema's default params (or `params`),
 * every permission denied and the manifest's limits. Returns the document and the new id.
 */
export function addStep(
  doc: PipelineDocument,
  manifest: ModuleManifest,
  position: Position,
  opts: { params?: Record<string, unknown>; label?: string } = {},
): { doc: PipelineDocument; stepId: string } {
  const step: Step = {
    id: nextStepId(doc, manifest.id),
    moduleId: manifest.id,
    ...(opts.label !== undefined ? { label: opts.label } : {}),
    params: opts.params ? structuredClone(opts.params) : defaultParams(manifest),
    permissions: defaultPermissions(),
    limits: defaultLimits(manifest),
    position: { x: position.x, y: position.y },
  };
  return { doc: { ...doc, steps: [...doc.steps, step] }, stepId: step.id };
}

/**
 * Remove steps and every edge touching them; groups lose them too (and a group left empty
 * goes). Unknown ids are ignored.
 */
export function removeSteps(doc: PipelineDocument, stepIds: Iterable<string>): PipelineDocument {
  const gone = new Set(stepIds);
  return pruneGroupMembers(
    {
      ...doc,
      steps: doc.steps.filter((s) => !gone.has(s.id)),
      edges: doc.edges.filter((e) => !gone.has(e.from.step) && !gone.has(e.to.step)),
    },
    gone,
  );
}

/**
 * Result of {@link connect}: the new edge (and, with `replace`, the edge it took the place of),
 * or why it was refused.
 */
export type ConnectResult =
  { ok: true; doc: PipelineDocument; edge: Edge; replaced?: Edge } | { ok: false; reason: string };

/**
 * Connect output `from` to input `to`. Refused, with a reason naming steps and ports, when a
 * step or port does not exist, the port types differ (`arrow` vs `bytes`), the input already
 * has an edge (unless `opts.replace`: then that edge is removed in the same edit, as ComfyUI
 * and KNIME do), or the edge would close a cycle (including a step feeding itself). Connecting
 * an input to the output it already comes from returns the same document.
 */
export function connect(
  doc: PipelineDocument,
  catalog: Pick<ModuleCatalog, 'get'>,
  from: PortRef,
  to: PortRef,
  opts: { replace?: boolean } = {},
): ConnectResult {
  const src = doc.steps.find((s) => s.id === from.step);
  const dst = doc.steps.find((s) => s.id === to.step);
  if (!src) return { ok: false, reason: `no step "${from.step}"` };
  if (!dst) return { ok: false, reason: `no step "${to.step}"` };
  const srcModule = catalog.get(src.moduleId);
  const dstModule = catalog.get(dst.moduleId);
  if (!srcModule)
    return { ok: false, reason: `step "${src.id}": unknown module "${src.moduleId}"` };
  if (!dstModule)
    return { ok: false, reason: `step "${dst.id}": unknown module "${dst.moduleId}"` };
  const out = srcModule.outputs.find((p) => p.name === from.port);
  const inp = dstModule.inputs.find((p) => p.name === to.port);
  if (!out) return { ok: false, reason: `step "${src.id}" has no output port "${from.port}"` };
  if (!inp) return { ok: false, reason: `step "${dst.id}" has no input port "${to.port}"` };
  if (out.type !== inp.type) {
    return {
      ok: false,
      reason: `cannot connect ${describe(from)} (${out.type}) to ${describe(to)} (${inp.type}): port types differ`,
    };
  }
  const filled = doc.edges.find((e) => e.to.step === to.step && e.to.port === to.port);
  if (filled && filled.from.step === from.step && filled.from.port === from.port) {
    return { ok: true, doc, edge: filled };
  }
  if (filled && !opts.replace) {
    return {
      ok: false,
      reason: `${describe(to)} is already connected (from ${describe(filled.from)}); disconnect it first`,
    };
  }
  const rest = filled ? disconnect(doc, [filled.id]) : doc;
  if (from.step === to.step || reaches(rest, to.step, from.step)) {
    return {
      ok: false,
      reason: `connecting ${describe(from)} to ${describe(to)} would create a cycle`,
    };
  }
  const edge: Edge = {
    id: edgeId(from, to),
    from: { step: from.step, port: from.port },
    to: { step: to.step, port: to.port },
  };
  const next = { ...rest, edges: [...rest.edges, edge] };
  return filled ? { ok: true, doc: next, edge, replaced: filled } : { ok: true, doc: next, edge };
}

function describe(p: PortRef): string {
  return `step "${p.step}" port "${p.port}"`;
}

/** Remove edges by id. Unknown ids are ignored. */
export function disconnect(doc: PipelineDocument, edgeIds: Iterable<string>): PipelineDocument {
  const gone = new Set(edgeIds);
  return { ...doc, edges: doc.edges.filter((e) => !gone.has(e.id)) };
}

/** Move steps to new positions (one or many, e.g. a dragged selection). Unknown ids are ignored. */
export function moveSteps(
  doc: PipelineDocument,
  positions: Readonly<Record<string, Position>>,
): PipelineDocument {
  return {
    ...doc,
    steps: doc.steps.map((s) => {
      const p = positions[s.id];
      return p ? { ...s, position: { x: p.x, y: p.y } } : s;
    }),
  };
}

/** Move one step. */
export function moveStep(
  doc: PipelineDocument,
  stepId: string,
  position: Position,
): PipelineDocument {
  return moveSteps(doc, { [stepId]: position });
}

/** Apply `change` to the step `stepId`; throws if there is no such step (a caller's bug). */
function mapStep(
  doc: PipelineDocument,
  stepId: string,
  change: (s: Step) => Step,
): PipelineDocument {
  let found = false;
  const steps = doc.steps.map((s) => {
    if (s.id !== stepId) return s;
    found = true;
    return change(s);
  });
  if (!found) throw new Error(`no step "${stepId}" in pipeline "${doc.id}"`);
  return { ...doc, steps };
}

/** Replace a step's params (the inspector's whole form value). Throws on an unknown step. */
export function updateParams(
  doc: PipelineDocument,
  stepId: string,
  params: Record<string, unknown>,
): PipelineDocument {
  return mapStep(doc, stepId, (s) => ({ ...s, params: structuredClone(params) }));
}

/**
 * Change a step's label, granted permissions or limits (each merged field by field).
 * `label: ''` removes the label. Throws on an unknown step.
 */
export function updateStep(
  doc: PipelineDocument,
  stepId: string,
  patch: {
    label?: string;
    permissions?: Partial<Step['permissions']>;
    limits?: Partial<Step['limits']>;
    bypass?: boolean;
  },
): PipelineDocument {
  return mapStep(doc, stepId, (s) => {
    const next: Step = {
      ...s,
      permissions: { ...s.permissions, ...patch.permissions },
      limits: { ...s.limits, ...patch.limits },
    };
    if (patch.bypass === false) delete next.bypass;
    else if (patch.bypass === true) next.bypass = true;
    if (patch.label === '') delete next.label;
    else if (patch.label !== undefined) next.label = patch.label;
    return next;
  });
}

/** Rename the pipeline. */
export function renamePipeline(doc: PipelineDocument, name: string): PipelineDocument {
  return { ...doc, name };
}

/** Steps and the edges among them, as copied to the clipboard. */
export interface PipelineFragment {
  steps: Step[];
  edges: Edge[];
}

/**
 * Copy steps and the edges whose both ends are among them (edges to steps outside the set are
 * left behind). The fragment is a deep copy, safe to keep while the document changes.
 */
export function copySteps(doc: PipelineDocument, stepIds: Iterable<string>): PipelineFragment {
  const ids = new Set(stepIds);
  return structuredClone({
    steps: doc.steps.filter((s) => ids.has(s.id)),
    edges: doc.edges.filter((e) => ids.has(e.from.step) && ids.has(e.to.step)),
  });
}

/**
 * Insert a fragment with fresh step and edge ids, moved by `offset`. Edges keep connecting the
 * pasted copies to each other. Returns the document and the new step ids, in fragment order.
 */
export function pasteSteps(
  doc: PipelineDocument,
  fragment: PipelineFragment,
  offset: Position = { x: 40, y: 40 },
): { doc: PipelineDocument; stepIds: string[] } {
  const idMap = new Map<string, string>();
  const taken = new Set<string>();
  const steps = fragment.steps.map((s) => {
    const id = nextStepId(doc, s.moduleId, taken);
    taken.add(id);
    idMap.set(s.id, id);
    return {
      ...structuredClone(s),
      id,
      position: { x: s.position.x + offset.x, y: s.position.y + offset.y },
    };
  });
  const edges = fragment.edges.flatMap((e) => {
    const fromStep = idMap.get(e.from.step);
    const toStep = idMap.get(e.to.step);
    if (fromStep === undefined || toStep === undefined) return [];
    const from = { step: fromStep, port: e.from.port };
    const to = { step: toStep, port: e.to.port };
    return [{ id: edgeId(from, to), from, to }];
  });
  return {
    doc: { ...doc, steps: [...doc.steps, ...steps], edges: [...doc.edges, ...edges] },
    stepIds: steps.map((s) => s.id),
  };
}

/**
 * Copy and paste in one edit: duplicates of `stepIds`, moved by `offset`, with the edges among
 * them and their incoming links: each copy's inputs are wired to the same producers as the
 * original's (an output may feed many inputs), as n8n and KNIME duplicate. Links out of the
 * originals are not copied (the consumers' inputs are taken). Returns the document and the
 * copies' ids, in document order of the originals.
 */
export function duplicateSteps(
  doc: PipelineDocument,
  stepIds: Iterable<string>,
  offset?: Position,
): { doc: PipelineDocument; stepIds: string[] } {
  const fragment = copySteps(doc, stepIds);
  const pasted = pasteSteps(doc, fragment, offset);
  const copyOf = new Map(fragment.steps.map((s, i) => [s.id, pasted.stepIds[i]!]));
  const incoming = doc.edges.flatMap((e) => {
    const toCopy = copyOf.get(e.to.step);
    if (toCopy === undefined || copyOf.has(e.from.step)) return [];
    const to = { step: toCopy, port: e.to.port };
    return [{ id: edgeId(e.from, to), from: { ...e.from }, to }];
  });
  if (incoming.length === 0) return pasted;
  return {
    doc: { ...pasted.doc, edges: [...pasted.doc.edges, ...incoming] },
    stepIds: pasted.stepIds,
  };
}
