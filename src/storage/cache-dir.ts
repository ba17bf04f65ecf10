/**
 * The CLI's persistent tier of the step-output cache (`--cache-dir <dir>`): the cache's files
 * in a directory of the file system, each written to a temporary name and renamed, so a run
 * killed mid-write never leaves a truncated file under a real name. Node only.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CacheFiles } from '../runtime/cache-tiers';

/** The files of `dir`, created on first write. */
export function directoryCacheFiles(dir: string): CacheFiles {
  let made: Promise<unknown> | null = null;
  // Each write has a temporary name of its own: two writes of one file may overlap.
  let writes = 0;
  return {
    async list() {
      try {
        return await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
    },
    async read(name) {
      try {
        return new Uint8Array(await readFile(join(dir, name)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
    },
    async write(name, parts) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const temporary = join(dir, `.${name}.${process.pid}.${++writes}.tmp`);
      await writeFile(temporary, parts);
      await rename(temporary, join(dir, name));
    },
    async remove(name) {
      await rm(join(dir, name), { force: true });
    },
  };
}
