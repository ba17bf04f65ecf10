/**
 * Module data (`/data`) in Node: the files of module `key` live in `<root>/<key>/`, `root` being
 * the directory given to the CLI with `--data`. Node only (the worker entry registers it).
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { isSafeDataPath, type DataChanges, type DataFiles, type DataStore } from './module-data';

/** Every regular file under `dir`, by path relative to `base` with `/` separators. */
async function readTree(base: string, dir: string, into: DataFiles): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    // Symbolic links are not followed: a link could point outside the module's directory.
    if (entry.isDirectory()) await readTree(base, path, into);
    else if (entry.isFile()) {
      const bytes = await readFile(path);
      into.set(relative(base, path).split(sep).join('/'), new Uint8Array(bytes));
    }
  }
}

/** The directory of module `key` under `root`; refuses a key that is not one plain name. */
function moduleDir(root: string, key: string): string {
  if (!isSafeDataPath(key) || key.includes('/')) throw new Error(`bad module key "${key}"`);
  return join(root, key);
}

/** A {@link DataStore} on the file system. */
export const nodeDataStore: DataStore = {
  async load(root: string, key: string): Promise<DataFiles> {
    const files: DataFiles = new Map();
    const dir = moduleDir(root, key);
    await readTree(dir, dir, files);
    return files;
  },
  async save(root: string, key: string, changes: DataChanges): Promise<void> {
    const dir = moduleDir(root, key);
    for (const path of [...changes.written.keys(), ...changes.removed]) {
      if (!isSafeDataPath(path)) throw new Error(`refused path "${path}"`);
    }
    for (const [path, bytes] of changes.written) {
      const target = join(dir, ...path.split('/'));
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    for (const path of changes.removed) await rm(join(dir, ...path.split('/')), { force: true });
  },
};
