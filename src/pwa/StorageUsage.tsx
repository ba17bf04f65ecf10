/**
 * A small line for a toolbar or menu: Quiver's version, how much this device stores for it
 * (app, modules, samples, saved pipelines and files), whether that storage is persistent, and
 * what the step-output cache holds against its budget, with a button to clear it.
 */
import { useCallback, useEffect, useState } from 'react';
import type { CacheStats } from '../runtime/cache-tiers';
import { editorStepCache } from '../storage/step-cache';
import { formatBytes, readStorageStatus, type StorageStatus } from './storage';
import { QUIVER_VERSION } from './version';

/** How often the figure refreshes while shown (10 s): saves and runs change it. */
const REFRESH_INTERVAL_MS = 10_000;

/** Renders e.g. "Quiver 0.1.0+abc123 · 15.8 MB on this device · kept · cache 3.2 MB of 1.1 GB". */
export function StorageUsage() {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  const [cache, setCache] = useState<CacheStats | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(0);
  useEffect(() => {
    let shown = true;
    const refresh = () => {
      readStorageStatus().then(
        (s) => {
          if (shown) setStatus(s);
        },
        (e: unknown) => {
          if (shown) setError(e instanceof Error ? e.message : String(e));
        },
      );
      void editorStepCache()
        .stats()
        .then((s) => {
          if (shown) setCache(s);
        });
    };
    refresh();
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    return () => {
      shown = false;
      clearInterval(timer);
    };
  }, [live]);
  const clear = useCallback(() => {
    void editorStepCache()
      .clear()
      .then(() => setLive((n) => n + 1));
  }, []);
  let storage = 'storage use unknown';
  if (error !== null) storage = `storage use unavailable: ${error}`;
  else if (status !== null) {
    const kept = status.persisted ? 'kept' : 'may be cleared by the browser';
    storage = `${formatBytes(status.usageBytes)} on this device · ${kept}`;
  }
  return (
    <span className="quiver-pwa-storage" role="status" aria-label="Storage used by Quiver">
      Quiver {QUIVER_VERSION} · {storage}
      {cache && (
        <>
          {' '}
          · step cache {formatBytes(cache.bytes)} of {formatBytes(cache.budgetBytes)} (
          {cache.entries} results){' '}
          <button type="button" onClick={clear} disabled={cache.entries === 0}>
            Clear cache
          </button>
        </>
      )}
    </span>
  );
}
