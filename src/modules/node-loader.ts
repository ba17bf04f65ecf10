/**
 * The Node side of {@link ManifestLoader}: files of a module directory on disk (e.g.
 * `public/modules`). Kept out of `catalog.ts` so browser bundles never see `node:fs`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ManifestLoader } from './catalog';

/** A loader reading `<dir>/<fileName>`; errors name the full path. */
export function fsLoader(dir: string): ManifestLoader {
  const read = async (fileName: string): Promise<Buffer> => {
    const path = join(dir, fileName);
    try {
      return await readFile(path);
    } catch (e) {
      throw new Error(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        cause: e,
      });
    }
  };
  return {
    readText: async (f) => (await read(f)).toString('utf8'),
    readBytes: async (f) => {
      const b = await read(f);
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    },
  };
}
