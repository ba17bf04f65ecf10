/**
 * Which outputs of a run the step-output cache keeps whole, and which it keeps as counts only.
 * A row-local (streamable) WebAssembly step fed only by outputs that are kept is recomputed
 * from them at about the cost of replaying its own output (one streaming pass, in parallel;
 * not so a JavaScript step, whose interpreter is slow, which keeps its data), so its data is
 * not kept: no copy of it crosses to the main thread during the run, and the cache holds no
 * second copy of a filtered table. Its tap then receives only the end of its data (whether it
 * was whole), and its entry keeps its counts and preview, so it still shows as cached and a
 * consumer that is itself cached never needs it. A step the run targets (a live preview, Run to
 * here) is kept whole: it is the one the user looks at and builds on next.
 */
import type { PipelineDocument } from '../pipeline/types';
import type { ModuleManifest } from '../modules/manifest';
import type { CachePlan } from './cache-plan';

/** The ports a run taps for the cache, as `"<stepId>.<port>"`. */
export interface CacheTaps {
  /** Ports whose data is kept. */
  whole: string[];
  /** Ports whose tap receives only the end (their step's entry keeps counts only). */
  endOnly: string[];
}

/**
 * The taps of the steps that run (`steps`, in topological order) and may be cached under
 * `plan`; `targets`: the run's targets, if any.
 */
export function cacheTaps(
  doc: PipelineDocument,
  steps: readonly { step: { id: string }; manifest: ModuleManifest }[],
  plan: CachePlan,
  targets: readonly string[] = [],
): CacheTaps {
  const kept = new Set<string>();
  for (const [id, cached] of plan.cached) if (cached.meta.dataBytes !== null) kept.add(id);
  const taps: CacheTaps = { whole: [], endOnly: [] };
  for (const { step, manifest } of steps) {
    const id = step.id;
    if (plan.cached.has(id) || plan.uncacheable.has(id)) continue;
    const producers = doc.edges.filter((e) => e.to.step === id).map((e) => e.from.step);
    const recomputable =
      manifest.streamable &&
      manifest.kind !== 'host' &&
      !targets.includes(id) &&
      producers.length > 0 &&
      producers.every((p) => kept.has(p));
    if (!recomputable) kept.add(id);
    const ports = manifest.outputs.map((p) => `${id}.${p.name}`);
    (recomputable ? taps.endOnly : taps.whole).push(...ports);
  }
  return taps;
}
