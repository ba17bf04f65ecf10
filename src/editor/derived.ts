/**
 * Values the editor derives from the document: problems per step (shown on nodes) and the
 * schema of the selected step's input (for column pickers and expression checks).
 */
import { useCallback, useMemo } from 'react';
import type { TableSchema } from '../pipeline/table-schema';
import type { PipelineDocument } from '../pipeline/types';
import type { Catalog } from './docOps';
import { useRunView, type RunStore, type RunView } from './runState';

/** Problems per step id: unknown module, unconnected input. */
export function useProblems(doc: PipelineDocument, catalog: Catalog): ReadonlyMap<string, string> {
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const s of doc.steps) {
      const m = catalog.get(s.moduleId);
      if (!m) {
        out.set(s.id, `unknown module "${s.moduleId}"`);
        continue;
      }
      const open = m.inputs.filter(
        (p) => !doc.edges.some((e) => e.to.step === s.id && e.to.port === p.name),
      );
      if (open.length > 0)
        out.set(s.id, `input ${open.map((p) => p.name).join(', ')} not connected`);
    }
    return out;
  }, [doc, catalog]);
}

/**
 * The schema flowing into `stepId`'s first input, as last seen in a run preview of the step
 * upstream; null when unknown.
 */
export function useUpstreamColumns(
  doc: PipelineDocument,
  _catalog: Catalog,
  stepId: string | null,
  runStore: RunStore,
): TableSchema | null {
  const upstreamId = useMemo(() => {
    if (!stepId) return null;
    return doc.edges.find((e) => e.to.step === stepId)?.from.step ?? null;
  }, [doc.edges, stepId]);
  const fromPreview = useRunView(
    runStore,
    useCallback(
      (v: RunView) => (upstreamId ? (v.previews[upstreamId]?.schema ?? null) : null),
      [upstreamId],
    ),
  );
  return fromPreview;
}
