/**
 * Hooks that run before the app reloads into a new version, so the open pipeline is saved
 * first. The editor registers its save with `setBeforeUpdate`; the update prompt awaits
 * `runBeforeUpdate()` and reloads only if it resolves.
 */

/** Saves whatever must survive a reload; rejects if it could not. */
export type BeforeUpdateHook = () => Promise<void>;

const hooks = new Set<BeforeUpdateHook>();

/**
 * Registers a hook run before an update reload (e.g. the editor saving the open pipeline).
 * Returns a function that unregisters it.
 */
export function setBeforeUpdate(hook: BeforeUpdateHook): () => void {
  hooks.add(hook);
  return () => {
    hooks.delete(hook);
  };
}

/**
 * Runs every registered hook in parallel and waits for all. Rejects with an Error naming
 * how many hooks failed and the first failure's message, so the caller can keep the page
 * (and the unsaved work) instead of reloading.
 */
export async function runBeforeUpdate(): Promise<void> {
  const results = await Promise.allSettled([...hooks].map((hook) => hook()));
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failures.length > 0) {
    const first: unknown = failures[0]?.reason;
    const message = first instanceof Error ? first.message : String(first);
    throw new Error(
      `Could not save before updating (${failures.length} of ${results.length} save hooks failed): ${message}`,
      { cause: first },
    );
  }
}
