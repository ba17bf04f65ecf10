/**
 * Document edits the editor performs. Each takes a document and returns a new one (or the same
 * object when nothing changes), so the store can keep whole documents on its undo stack.
 */
import { defaultLimits, defaultParams, defaultPermissions } from '../modules/defaults';
import type { ModuleManifest } from '../modules/manifest';
import type { Edge, PipelineDocument, PortRef, Step } from '../pipeline/types';

/** What the editor needs of the module catalog (src/modules/catalog.ts `ModuleCatalog`). */
export interface Catalog {
  get(moduleId: string): ModuleManifest | undefined;
  list(): readonly ModuleManifest[];
}

/** A step id not used in `doc`, shaped `<moduleId>-<n>`. */
export function freshStepId(doc: PipelineDocument, moduleId: string, taken?: Set<string>): string {
  const used = taken ?? new Set(doc.steps.map((s) => s.id));
  for (let n = 1; ; n += 1) {
    const id = `${moduleId}-${n}`;
    if (!used.has(id)) return id;
  }
}

function edgeId(from: PortRef, to: PortRef): string {
  return `${from.step}.${from.port}->${to.step}.${to.port}`;
}

/** Add a step running `manifest` at `position`; returns the document and the new step's id. */
export function addStep(
  doc: PipelineDocument,
  manifest: ModuleManifest,
  position: { x: number; y: number },
  params?: Record<string, unknown>,
): { doc: PipelineDocument; stepId: string } {
  const id = freshStepId(doc, manifest.id);
  const step: Step = {
    id,
    moduleId: manifest.id,
    params: params ?? defaultParams(manifest),
    permissions: defaultPermissions(),
    limits: defaultLimits(manifest),
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return { doc: { ...doc, steps: [...doc.steps, step] }, stepId: id };
}

/** Would an edge `from → to` close a cycle? (Is `from.step` reachable from `to.step`?) */
function reaches(doc: PipelineDocument, start: string, goal: string): boolean {
  const seen = new Set<string>();
  const stack = [start];
  while (stack.length > 0) {
    const cur = stack.pop() as string;
    if (cur === goal) return true;
    if (seen.has(cur)) continue;
    seen.add(cur);
    for (const e of doc.edges) if (e.from.step === cur) stack.push(e.to.step);
  }
  return false;
}

/**
 * Why connecting `from` (an output port) to `to` (an input port) is refused, or null if it is
 * allowed: unknown step or port, a cycle, incompatible port types, or an input already filled.
 */
export function connectionRefusal(
  doc: PipelineDocument,
  catalog: Catalog,
  from: PortRef,
  to: PortRef,
): string | null {
  const src = doc.steps.find((s) => s.id === from.step);
  const dst = doc.steps.find((s) => s.id === to.step);
  if (!src || !dst) return 'Both ends must be steps on the canvas.';
  if (src.id === dst.id) return 'A step cannot feed itself.';
  const outPort = catalog.get(src.moduleId)?.outputs.find((p) => p.name === from.port);
  const inPort = catalog.get(dst.moduleId)?.inputs.find((p) => p.name === to.port);
  if (!outPort) return `Step ${src.id} has no output "${from.port}".`;
  if (!inPort) return `Step ${dst.id} has no input "${to.port}".`;
  if (outPort.type !== inPort.type) {
    return `Cannot join ${outPort.type} output "${from.port}" to ${inPort.type} input "${to.port}".`;
  }
  if (doc.edges.some((e) => e.to.step === to.step && e.to.port === to.port)) {
    return `Input "${to.port}" of ${dst.id} is already connected.`;
  }
  if (reaches(doc, dst.id, src.id)) return 'This connection would make a cycle.';
  return null;
}

/** Connect two ports; returns the refusal reason instead when the connection is not allowed. */
export function connect(
  doc: PipelineDocument,
  catalog: Catalog,
  from: PortRef,
  to: PortRef,
): { doc: PipelineDocument } | { reason: string } {
  const reason = connectionRefusal(doc, catalog, from, to);
  if (reason) return { reason };
  const edge: Edge = { id: edgeId(from, to), from, to };
  return { doc: { ...doc, edges: [...doc.edges, edge] } };
}

/** Remove steps (with their edges) and edges. */
export function removeElements(
  doc: PipelineDocument,
  stepIds: readonly string[],
  edgeIds: readonly string[],
): PipelineDocument {
  if (stepIds.length === 0 && edgeIds.length === 0) return doc;
  const steps = new Set(stepIds);
  const edges = new Set(edgeIds);
  return {
    ...doc,
    steps: doc.steps.filter((s) => !steps.has(s.id)),
    edges: doc.edges.filter(
      (e) => !edges.has(e.id) && !steps.has(e.from.step) && !steps.has(e.to.step),
    ),
  };
}

/** Move steps to new positions (React Flow coordinates). */
export function moveSteps(
  doc: PipelineDocument,
  positions: ReadonlyMap<string, { x: number; y: number }>,
): PipelineDocument {
  if (positions.size === 0) return doc;
  return {
    ...doc,
    steps: doc.steps.map((s) => {
      const p = positions.get(s.id);
      return p ? { ...s, position: { x: Math.round(p.x), y: Math.round(p.y) } } : s;
    }),
  };
}

/** Replace one step by `fn(step)`. */
export function updateStep(
  doc: PipelineDocument,
  stepId: string,
  fn: (s: Step) => Step,
): PipelineDocument {
  return { ...doc, steps: doc.steps.map((s) => (s.id === stepId ? fn(s) : s)) };
}

/** What copy puts on the clipboard: the steps and the edges between them. */
export interface Clip {
  format: 'quiver-clip';
  steps: Step[];
  edges: Edge[];
}

/** Copy `stepIds` and every edge whose both ends are among them. */
export function copySteps(doc: PipelineDocument, stepIds: readonly string[]): Clip {
  const ids = new Set(stepIds);
  return {
    format: 'quiver-clip',
    steps: doc.steps.filter((s) => ids.has(s.id)),
    edges: doc.edges.filter((e) => ids.has(e.from.step) && ids.has(e.to.step)),
  };
}

/** Paste a clip with fresh ids, shifted by `offset`; returns the new step ids. */
export function pasteClip(
  doc: PipelineDocument,
  clip: Clip,
  offset: { x: number; y: number },
): { doc: PipelineDocument; stepIds: string[] } {
  const taken = new Set(doc.steps.map((s) => s.id));
  const rename = new Map<string, string>();
  const steps = clip.steps.map((s) => {
    const id = freshStepId(doc, s.moduleId, taken);
    taken.add(id);
    rename.set(s.id, id);
    return {
      ...structuredClone(s),
      id,
      position: { x: s.position.x + offset.x, y: s.position.y + offset.y },
    };
  });
  const edges = clip.edges.map((e) => {
    const from = { step: rename.get(e.from.step) as string, port: e.from.port };
    const to = { step: rename.get(e.to.step) as string, port: e.to.port };
    return { id: edgeId(from, to), from, to };
  });
  return {
    doc: { ...doc, steps: [...doc.steps, ...steps], edges: [...doc.edges, ...edges] },
    stepIds: steps.map((s) => s.id),
  };
}
