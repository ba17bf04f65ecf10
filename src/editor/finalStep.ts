/**
 * Which step's output to show when a run ends and nothing is selected: the pipeline's result.
 */
import type { PipelineDocument } from '../pipeline/types';

/**
 * The id of `doc`'s final step: one with no outgoing edges; of several, the last in document
 * order. Null for an empty pipeline (or one where every step feeds another, i.e. a cycle).
 */
export function finalStepId(doc: PipelineDocument): string | null {
  const feeds = new Set(doc.edges.map((e) => e.from.step));
  for (let i = doc.steps.length - 1; i >= 0; i -= 1) {
    const s = doc.steps[i]!;
    if (!feeds.has(s.id)) return s.id;
  }
  return null;
}
