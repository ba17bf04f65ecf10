/**
 * The editor's few compositions of the pure document edits in src/pipeline/edit.ts (where the
 * rules live: ids, refusal reasons, copy and paste).
 */
import type { ModuleCatalog } from '../modules/catalog';
import { disconnect, removeSteps } from '../pipeline/edit';
import type { PipelineDocument } from '../pipeline/types';

/** The module catalog as the editor uses it. */
export type Catalog = ModuleCatalog;

/** Remove steps (with their edges) and edges in one edit; the same doc if nothing is named. */
export function removeElements(
  doc: PipelineDocument,
  stepIds: readonly string[],
  edgeIds: readonly string[],
): PipelineDocument {
  if (stepIds.length === 0 && edgeIds.length === 0) return doc;
  return disconnect(removeSteps(doc, stepIds), edgeIds);
}
