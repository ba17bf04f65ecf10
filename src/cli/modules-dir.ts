/**
 * `--modules <dir>`: modules from a folder, beside the built-ins. Each `<id>.wasm` comes with
 * its `<id>.json`, or carries its manifest in its `quiver.manifest` section (ABI.md §12). Every
 * one is read as a package (`src/modules/package.ts`: compiled, never run; sha256; imports
 * against the permissions its manifest asks for) before anything runs.
 *
 * A module with a manifest but an unusable binary (not WebAssembly, an import nothing covers)
 * stays in the catalog, so that the steps using it fail alone, with the refusal as their
 * message; a `.wasm` without any readable manifest cannot be named by a step and is reported.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifest } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import { packageRefusal, readModulePackage } from '../modules/package';

/** One module of the folder. */
export interface FolderModule {
  manifest: ModuleManifest;
  fileName: string;
  /** The `.wasm` bytes, when they may run. */
  bytes?: Uint8Array;
  /** sha256 of the `.wasm` (hex), when it is WebAssembly. */
  sha256?: string;
  /** Why it may not run: the message its steps fail with. */
  refusal?: string;
}

/** What {@link readModulesDir} found. */
export interface ModulesDir {
  modules: FolderModule[];
  /** Files that are no module anyone can name (a `.wasm` whose manifest cannot be read). */
  problems: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads the modules of `dir`. Rejects only when `dir` cannot be listed. */
export async function readModulesDir(dir: string): Promise<ModulesDir> {
  const names = new Set(await readdir(dir));
  const found: ModulesDir = { modules: [], problems: [] };
  for (const name of [...names].filter((n) => n.endsWith('.wasm')).sort()) {
    const id = name.slice(0, -'.wasm'.length);
    const jsonName = `${id}.json`;
    const bytes = new Uint8Array(await readFile(join(dir, name)));
    const manifestText = names.has(jsonName)
      ? await readFile(join(dir, jsonName), 'utf8')
      : undefined;
    found.modules.push(...(await readOne(bytes, name, jsonName, manifestText, found.problems)));
  }
  return found;
}

async function readOne(
  bytes: Uint8Array,
  wasmFileName: string,
  jsonName: string,
  manifestText: string | undefined,
  problems: string[],
): Promise<FolderModule[]> {
  const options =
    manifestText === undefined
      ? { wasmFileName }
      : { wasmFileName, manifestText, manifestFileName: jsonName };
  try {
    const pkg = await readModulePackage(bytes, options);
    const module: FolderModule = {
      manifest: pkg.manifest,
      fileName: manifestText === undefined ? wasmFileName : jsonName,
      sha256: pkg.sha256,
    };
    const refusal = packageRefusal(pkg);
    if (refusal === null) module.bytes = bytes;
    else module.refusal = refusal;
    return [module];
  } catch (error) {
    // The binary is unusable; with a manifest of its own, its steps can still fail by name.
    if (manifestText === undefined) {
      problems.push(message(error));
      return [];
    }
    try {
      const { manifest } = checkManifest(JSON.parse(manifestText) as unknown, jsonName);
      return [{ manifest, fileName: jsonName, refusal: message(error) }];
    } catch (manifestError) {
      problems.push(message(manifestError));
      return [];
    }
  }
}
