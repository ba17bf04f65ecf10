/**
 * Persistent storage (so the browser does not evict saved pipelines and files under storage
 * pressure) and how much Quiver stores, from the Storage API
 * (https://storage.spec.whatwg.org/).
 */

/** What `navigator.storage` reports for this origin. */
export interface StorageStatus {
  /** Bytes used by this origin: caches (precached app, modules, samples) and IndexedDB. */
  usageBytes: number;
  /** Bytes this origin may use before the browser refuses writes. */
  quotaBytes: number;
  /** True if the browser granted persistent storage. */
  persisted: boolean;
}

/**
 * Asks for persistent storage unless already granted, and returns whether it is granted.
 * Chromium decides without a prompt (installed apps and engaged sites are granted); Firefox
 * may ask the user. Returns false where the Storage API is missing.
 */
export async function ensurePersistentStorage(): Promise<boolean> {
  if (!navigator.storage?.persist) return false;
  if (await navigator.storage.persisted()) return true;
  return navigator.storage.persist();
}

/** Reads usage, quota and persistence; null where the Storage API is missing. */
export async function readStorageStatus(): Promise<StorageStatus | null> {
  if (!navigator.storage?.estimate) return null;
  const [estimate, persisted] = await Promise.all([
    navigator.storage.estimate(),
    navigator.storage.persisted(),
  ]);
  return { usageBytes: estimate.usage ?? 0, quotaBytes: estimate.quota ?? 0, persisted };
}

/** Formats a byte count for people: "0 B", "812 KB", "15.3 MB", "2.1 GB" (SI units). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`not a byte count: ${bytes}`);
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${units[unit]}`;
}
