/**
 * Module data (`/data`) in the browser: the files of module `key` live in the Origin Private
 * File System under `<root>/<key>/` (`root` is {@link MODULE_DATA_ROOT}). The step worker loads
 * and saves them (`module-data.ts`); the inspector lists and clears them. Browser only.
 *
 * OPFS: https://fs.spec.whatwg.org/#origin-private-file-system — private to the origin, never
 * visible to the user's file system, counted in the origin's storage quota.
 */
import { isSafeDataPath, type DataChanges, type DataFiles, type DataStore } from './module-data';

/** The OPFS directory holding every module's data. */
export const MODULE_DATA_ROOT = 'module-data';

/** One stored file, as the inspector lists it. */
export interface StoredFile {
  /** Relative path under `/data`, e.g. `cache/index.bin`. */
  path: string;
  sizeBytes: number;
}

type DirHandle = FileSystemDirectoryHandle & {
  entries(): AsyncIterableIterator<[string, FileSystemHandle]>;
};

/** The directory `<root>/<key>`, created when `create`; null when absent and not created. */
async function moduleDir(root: string, key: string, create: boolean): Promise<DirHandle | null> {
  if (!isSafeDataPath(key) || key.includes('/')) throw new Error(`bad module key "${key}"`);
  try {
    const top = await navigator.storage.getDirectory();
    const base = await top.getDirectoryHandle(root, { create });
    return (await base.getDirectoryHandle(key, { create })) as DirHandle;
  } catch (error) {
    if (!create && (error as DOMException).name === 'NotFoundError') return null;
    throw error;
  }
}

/** Calls `visit` with each file under `dir` and its relative path. */
async function walk(
  dir: DirHandle,
  prefix: string,
  visit: (path: string, file: FileSystemFileHandle) => Promise<void>,
): Promise<void> {
  for await (const [name, handle] of dir.entries()) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (handle.kind === 'file') await visit(path, handle as FileSystemFileHandle);
    else await walk(handle as DirHandle, path, visit);
  }
}

/** The handle of the directory holding `path` (created as needed). */
async function parentOf(dir: DirHandle, path: string, create: boolean): Promise<DirHandle> {
  let current = dir;
  const parts = path.split('/');
  for (const part of parts.slice(0, -1)) {
    current = (await current.getDirectoryHandle(part, { create })) as DirHandle;
  }
  return current;
}

/** A {@link DataStore} in the Origin Private File System. */
export const opfsDataStore: DataStore = {
  async load(root: string, key: string): Promise<DataFiles> {
    const files: DataFiles = new Map();
    const dir = await moduleDir(root, key, false);
    if (dir === null) return files;
    await walk(dir, '', async (path, handle) => {
      const file = await handle.getFile();
      files.set(path, new Uint8Array(await file.arrayBuffer()));
    });
    return files;
  },
  async save(root: string, key: string, changes: DataChanges): Promise<void> {
    for (const path of [...changes.written.keys(), ...changes.removed]) {
      if (!isSafeDataPath(path)) throw new Error(`refused path "${path}"`);
    }
    const dir = await moduleDir(root, key, true);
    if (dir === null) return;
    for (const [path, bytes] of changes.written) {
      const parent = await parentOf(dir, path, true);
      const handle = await parent.getFileHandle(path.split('/').pop() ?? '', { create: true });
      const writable = await handle.createWritable();
      await writable.write(new Uint8Array(bytes));
      await writable.close();
    }
    for (const path of changes.removed) {
      const parent = await parentOf(dir, path, false).catch(() => null);
      await parent?.removeEntry(path.split('/').pop() ?? '').catch(() => undefined);
    }
  },
};

/** What module `key` stored, sorted by path; empty when nothing. */
export async function listModuleData(key: string): Promise<StoredFile[]> {
  const dir = await moduleDir(MODULE_DATA_ROOT, key, false);
  if (dir === null) return [];
  const files: StoredFile[] = [];
  await walk(dir, '', async (path, handle) => {
    files.push({ path, sizeBytes: (await handle.getFile()).size });
  });
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

/** Deletes everything module `key` stored. */
export async function clearModuleData(key: string): Promise<void> {
  const top = await navigator.storage.getDirectory();
  const base = await top.getDirectoryHandle(MODULE_DATA_ROOT, { create: true });
  await base.removeEntry(key, { recursive: true }).catch((error: DOMException) => {
    if (error.name !== 'NotFoundError') throw error;
  });
}
