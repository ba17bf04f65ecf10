/**
 * Which steps of a run come from the step-output cache, and which of those must replay their
 * data: a cached step is replayed only into steps that run (or a collected port); a cached step
 * whose data is gone (evicted, or meta only, like a CSV source) runs after all when something
 * needs its data, and the plan is redone, since its own inputs may now be needed.
 */
import { stepFingerprints } from '../pipeline/fingerprint';
import type { PipelineDocument } from '../pipeline/types';
import type { CacheEntryMeta, CachedPorts, StepCache } from './cache';
import { type IdentityOptions, stepIdentities, UNCACHEABLE } from './cache-identity';
import { splitPortKey } from './wiring';

/** A step served from the cache. */
export interface CachedStep {
  meta: CacheEntryMeta;
  /** Its data, when a running step or a collected port reads it. */
  data: CachedPorts | null;
}

/** The cache's part of a run. */
export interface CachePlan {
  /** Fingerprint of every step. */
  fingerprints: Record<string, string>;
  /** Steps whose output is never stored (it differs on every run). */
  uncacheable: Set<string>;
  /** Steps not run, by id. */
  cached: Map<string, CachedStep>;
}

/**
 * Plans the cache's part of running `order` (the steps of `doc` that run); with `headRows`
 * (a sampled run, `RunOptions.sampleRows`) data kept in files may be read only that far.
 * Rejects only when the cache itself throws, which a {@link StepCache} must not.
 */
export async function planCache(
  doc: PipelineDocument,
  order: readonly string[],
  cache: StepCache,
  opts: IdentityOptions,
  runId: string,
  headRows?: number,
): Promise<CachePlan> {
  const identities = await stepIdentities(doc, opts, runId);
  const fingerprints = stepFingerprints(doc, identities);
  const uncacheable = new Set(
    Object.keys(identities).filter((id) => identities[id]!.startsWith(UNCACHEABLE)),
  );
  const metas = await Promise.all(
    order.map(async (id) => [id, await cache.lookup(fingerprints[id]!)] as const),
  );
  const cached = new Map<string, CachedStep>();
  for (const [id, meta] of metas)
    if (meta && !uncacheable.has(id)) cached.set(id, { meta, data: null });
  const collected = new Set((opts.collect ?? []).map((key) => splitPortKey(key).stepId));
  const inRun = new Set(order);
  const feedsARunningStep = (id: string): boolean =>
    doc.edges.some((e) => e.from.step === id && inRun.has(e.to.step) && !cached.has(e.to.step));
  for (;;) {
    const needed = [...cached.keys()].filter((id) => collected.has(id) || feedsARunningStep(id));
    const missing = needed.filter((id) => cached.get(id)!.data === null);
    if (missing.length === 0) break;
    const loaded = await Promise.all(missing.map((id) => cache.data(fingerprints[id]!, headRows)));
    missing.forEach((id, i) => {
      const data = loaded[i] ?? null;
      if (data === null) cached.delete(id);
      else cached.get(id)!.data = data;
    });
  }
  return { fingerprints, uncacheable, cached };
}
