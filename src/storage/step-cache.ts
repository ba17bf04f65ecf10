/**
 * The editor's step-output cache: memory for the session, OPFS across reloads
 * (`cache-opfs.ts`), one instance per page. Budget: a quarter of the origin's storage quota
 * (`navigator.storage.estimate()`), at least 64 MiB and at most 4 GiB — the rest of the quota
 * is for saved pipelines, files and the app itself; 512 MiB of data in memory.
 */
import { TieredStepCache } from '../runtime/cache-tiers';
import { opfsCacheFiles } from './cache-opfs';

const MIB = 1024 * 1024;
/** Data kept in memory for the session, and the largest one entry may hold. */
const MEMORY_BYTES = 512 * MIB;
/** Persistent budget before the quota is known, and its bounds. */
const MIN_PERSISTENT_BYTES = 64 * MIB;
const MAX_PERSISTENT_BYTES = 4096 * MIB;

let instance: TieredStepCache | null = null;

/** The persistent budget for a storage quota of `quotaBytes`. */
export function budgetForQuota(quotaBytes: number): number {
  return Math.min(MAX_PERSISTENT_BYTES, Math.max(MIN_PERSISTENT_BYTES, Math.floor(quotaBytes / 4)));
}

/** The page's step-output cache (created on first use). */
export function editorStepCache(): TieredStepCache {
  if (instance) return instance;
  const files = opfsCacheFiles().catch((error: unknown) => {
    console.warn('Quiver: the step-output cache stays in memory (no OPFS):', error);
    return null;
  });
  const budget = {
    memoryBytes: MEMORY_BYTES,
    persistentBytes: MIN_PERSISTENT_BYTES,
    maxEntryBytes: MEMORY_BYTES,
  };
  const cache = new TieredStepCache(budget, files, true, (error) =>
    console.warn('Quiver: step-output cache:', error),
  );
  void navigator.storage
    ?.estimate?.()
    .then((e) => cache.setPersistentBudget(budgetForQuota(e.quota ?? 0)))
    .catch(() => undefined);
  instance = cache;
  return cache;
}
