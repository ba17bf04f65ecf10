/**
 * Which link a new step gets (as KNIME chains a new node from the selected one, and n8n from
 * the "+" of an output): from the anchor step's output into the new step's first free input of
 * the same port type. Pure: the caller applies the link in the same edit as the new step.
 */
import { connect } from '../pipeline/edit';
import type { PipelineDocument, PortRef } from '../pipeline/types';
import type { Catalog } from './docOps';
import { finalStepId } from './finalStep';

/** Where a new step is linked from: a step, and one of its outputs or (without) any. */
export type LinkSource = { step: string; port?: string };

/** An output → input link the caller may add. */
export interface Link {
  from: PortRef;
  to: PortRef;
}

/**
 * The step a new palette step chains from: the one selected step, else (unless `selectedOnly`,
 * for a step dropped at a spot the user chose) the pipeline's final step, the last one in
 * document order that feeds nothing. Null when there is none.
 */
export function anchorStep(
  doc: PipelineDocument,
  selectedSteps: readonly string[],
  selectedOnly = false,
): string | null {
  if (selectedSteps.length === 1 && doc.steps.some((s) => s.id === selectedSteps[0])) {
    return selectedSteps[0]!;
  }
  return selectedOnly ? null : finalStepId(doc);
}

/**
 * The link from step `fromId` into step `toId`: from output `fromPort` (or, without it, the
 * first output that has somewhere to go) into the first of `toId`'s inputs that is free and of
 * the same type, and that `connect` accepts (no cycle). Null when there is none, e.g. the new
 * step has no inputs (a source) or the anchor has no outputs.
 */
export function linkInto(
  doc: PipelineDocument,
  catalog: Pick<Catalog, 'get'>,
  fromId: string,
  toId: string,
  fromPort?: string,
): Link | null {
  const src = doc.steps.find((s) => s.id === fromId);
  const dst = doc.steps.find((s) => s.id === toId);
  if (!src || !dst || fromId === toId) return null;
  const outs = (catalog.get(src.moduleId)?.outputs ?? []).filter(
    (p) => fromPort === undefined || p.name === fromPort,
  );
  const ins = catalog.get(dst.moduleId)?.inputs ?? [];
  for (const out of outs) {
    for (const inp of ins) {
      if (inp.type !== out.type) continue;
      const filled = doc.edges.some((e) => e.to.step === toId && e.to.port === inp.name);
      if (filled) continue;
      const link = { from: { step: fromId, port: out.name }, to: { step: toId, port: inp.name } };
      if (connect(doc, catalog, link.from, link.to).ok) return link;
    }
  }
  return null;
}
