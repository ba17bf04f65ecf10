/**
 * A small line for a toolbar or menu: Quiver's version, how much this device stores for it
 * (app, modules, samples, saved pipelines and files), and whether that storage is persistent.
 */
import { useEffect, useState } from 'react';
import { formatBytes, readStorageStatus, type StorageStatus } from './storage';
import { QUIVER_VERSION } from './version';

/** How often the figure refreshes while shown (10 s): saves and runs change it. */
const REFRESH_INTERVAL_MS = 10_000;

/** Renders e.g. "Quiver 0.1.0+abc123 · 15.8 MB on this device · kept". */
export function StorageUsage() {
  const [status, setStatus] = useState<StorageStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    const refresh = () => {
      readStorageStatus().then(
        (s) => {
          if (live) setStatus(s);
        },
        (e: unknown) => {
          if (live) setError(e instanceof Error ? e.message : String(e));
        },
      );
    };
    refresh();
    const timer = setInterval(refresh, REFRESH_INTERVAL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
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
    </span>
  );
}
