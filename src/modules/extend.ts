/**
 * Modules beside the built-ins: a catalog and a byte loader extended with installed or
 * embedded modules, the same way in the editor and the CLI.
 */
import { createCatalog, ManifestError, type ModuleCatalog } from './catalog';
import type { UnpackedModule } from './embedded';

/** The two things a host needs to know of its modules (a part of the runtime's `RunOptions`). */
export interface ModuleSource {
  catalog: ModuleCatalog;
  loadModule: (moduleId: string) => Promise<Uint8Array>;
}

/**
 * `base` plus `modules`: their manifests in the catalog, their bytes served from memory.
 * Throws {@link ManifestError} when a module's id is already in `base` (a built-in cannot be
 * replaced) or given twice.
 */
export function withModules<T extends ModuleSource>(
  base: T,
  modules: readonly UnpackedModule[],
): T {
  if (modules.length === 0) return base;
  const bytes = new Map<string, Uint8Array>();
  for (const { pkg, wasm } of modules) {
    const id = pkg.manifest.id;
    if (base.catalog.get(id) || bytes.has(id)) {
      const what = bytes.has(id) ? 'is given twice' : 'is already a module of this app';
      throw new ManifestError(`${id}: id: "${id}" ${what}`, `${id}.json`, [
        { pointer: '/id', message: what },
      ]);
    }
    bytes.set(id, wasm);
  }
  const catalog = createCatalog([
    ...base.catalog.list().map((manifest) => ({ manifest, fileName: `${manifest.id}.json` })),
    ...modules.map(({ pkg }) => ({ manifest: pkg.manifest, fileName: `${pkg.manifest.id}.json` })),
  ]);
  return {
    ...base,
    catalog,
    loadModule: (id: string) => {
      const own = bytes.get(id);
      return own ? Promise.resolve(own) : base.loadModule(id);
    },
  };
}
