/**
 * The editor's persistent tier of the step-output cache: the cache's files in the Origin
 * Private File System (https://fs.spec.whatwg.org/), directory `step-cache`. OPFS counts
 * against the origin's storage quota like IndexedDB, and survives reloads and offline use.
 */
import type { CacheFiles } from '../runtime/cache-tiers';

/** Name of the cache's directory at the root of the origin's OPFS. */
export const OPFS_CACHE_DIR = 'step-cache';

/** The cache's files in OPFS; null where the browser has no OPFS. */
export async function opfsCacheFiles(): Promise<CacheFiles | null> {
  if (!navigator.storage?.getDirectory) return null;
  const root = await navigator.storage.getDirectory();
  const dir = await root.getDirectoryHandle(OPFS_CACHE_DIR, { create: true });
  return {
    async list() {
      const names: string[] = [];
      // `keys()` is in the spec and Chromium, not yet in TypeScript's DOM library.
      const entries = dir as unknown as { keys(): AsyncIterable<string> };
      for await (const name of entries.keys()) names.push(name);
      return names;
    },
    async read(name) {
      try {
        const file = await (await dir.getFileHandle(name)).getFile();
        return new Uint8Array(await file.arrayBuffer());
      } catch (error) {
        if ((error as DOMException).name === 'NotFoundError') return null;
        throw error;
      }
    },
    async readHead(name, bytes) {
      try {
        const file = await (await dir.getFileHandle(name)).getFile();
        return new Uint8Array(await file.slice(0, bytes).arrayBuffer());
      } catch (error) {
        if ((error as DOMException).name === 'NotFoundError') return null;
        throw error;
      }
    },
    async write(name, parts) {
      const handle = await dir.getFileHandle(name, { create: true });
      // A writable stream writes to a swap file, applied on close: a reader never sees half, and
      // a page closed before the close leaves the file as it was (empty, for a new one: created
      // above; `TieredStepCache` drops an empty meta or a data file without one).
      const writable = await handle.createWritable();
      try {
        for (const part of parts) await writable.write(part as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => undefined);
        throw error;
      }
    },
    async remove(name) {
      try {
        await dir.removeEntry(name);
      } catch (error) {
        if ((error as DOMException).name !== 'NotFoundError') throw error;
      }
    },
  };
}
