/**
 * The editor's modules: the built-ins (served from /modules/) and the modules the user
 * installed (kept in IndexedDB, so they work offline). One external store, read with
 * `useSyncExternalStore`: its catalog merges both, its `loadModule` serves both, and it says
 * for each module id where the binary comes from (for pins).
 */
import { useSyncExternalStore } from 'react';
import type { ModuleCatalog } from '../modules/catalog';
import type { UnpackedModule } from '../modules/embedded';
import { withModules } from '../modules/extend';
import { readModulePackage, type ModulePackage } from '../modules/package';
import type { ModuleOrigin } from '../pipeline/pins';
import type { ModulePin } from '../pipeline/types';
import { deleteModule, listModules, saveModule, type InstalledModule } from '../storage/db';

/** What the library holds at one moment (immutable; a new object after each change). */
export interface LibraryState {
  /** Built-ins, then installed modules. */
  catalog: ModuleCatalog;
  /** Installed modules by id, each read and checked again when the app started. */
  installed: ReadonlyMap<string, UnpackedModule>;
  /** Where a module id's binary comes from now, for `checkPins`; undefined when unknown. */
  origin: (moduleId: string) => ModuleOrigin | undefined;
}

/** Built-in modules and how to fetch their bytes. */
export interface Builtins {
  catalog: ModuleCatalog;
  loadModule: (moduleId: string) => Promise<Uint8Array>;
}

export class ModuleLibrary {
  private state: LibraryState;
  private listeners = new Set<() => void>();

  constructor(private readonly builtins: Builtins) {
    this.state = this.stateOf(new Map());
  }

  getState = (): LibraryState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * Read the installed modules from IndexedDB, checking each again as at install. Resolves with
   * a sentence per module that could not be read (kept stored, left out of the catalog).
   */
  async load(): Promise<string[]> {
    const problems: string[] = [];
    const installed = new Map<string, UnpackedModule>();
    for (const record of await listModules()) {
      try {
        installed.set(record.id, await unpackRecord(record));
      } catch (e) {
        problems.push(`Installed module ${record.id} could not be read: ${(e as Error).message}`);
      }
    }
    this.publish(installed);
    return problems;
  }

  /** Keep `module` (accepted on the install card), replacing an installed one of the same id. */
  async install(module: UnpackedModule): Promise<void> {
    const { pkg, wasm } = module;
    if (this.builtins.catalog.get(pkg.manifest.id)) {
      throw new Error(`${pkg.manifest.id} is a built-in module; choose another id`);
    }
    await saveModule({
      id: pkg.manifest.id,
      manifest: pkg.manifest,
      sha256: pkg.sha256,
      wasm: wasm.slice().buffer,
      sizeBytes: pkg.sizeBytes,
      installedAtMs: Date.now(),
    });
    this.publish(new Map(this.state.installed).set(pkg.manifest.id, module));
  }

  /** Forget an installed module. */
  async remove(moduleId: string): Promise<void> {
    await deleteModule(moduleId);
    const next = new Map(this.state.installed);
    next.delete(moduleId);
    this.publish(next);
  }

  /** The bytes of a module, installed or built in. */
  loadModule = (moduleId: string): Promise<Uint8Array> => {
    const own = this.state.installed.get(moduleId);
    return own ? Promise.resolve(own.wasm) : this.builtins.loadModule(moduleId);
  };

  /** Whether `moduleId` is one of the app's own modules. */
  isBuiltin(moduleId: string): boolean {
    return this.builtins.catalog.get(moduleId) !== undefined;
  }

  /** The pin a new step of `moduleId` records: installed modules only. */
  pinFor(moduleId: string): ModulePin | undefined {
    const own = this.state.installed.get(moduleId)?.pkg;
    return own ? { version: own.manifest.version, sha256: own.sha256 } : undefined;
  }

  private publish(installed: Map<string, UnpackedModule>): void {
    this.state = this.stateOf(installed);
    for (const l of this.listeners) l();
  }

  private stateOf(installed: ReadonlyMap<string, UnpackedModule>): LibraryState {
    const builtins = this.builtins.catalog;
    return {
      catalog: withModules(this.builtins, [...installed.values()]).catalog,
      installed,
      origin: (id) => {
        const own = installed.get(id)?.pkg;
        if (own) return { kind: 'installed', version: own.manifest.version, sha256: own.sha256 };
        return builtins.get(id) ? { kind: 'builtin' } : undefined;
      },
    };
  }
}

async function unpackRecord(record: InstalledModule): Promise<UnpackedModule> {
  const wasm = new Uint8Array(record.wasm);
  const pkg: ModulePackage = await readModulePackage(wasm, {
    manifestText: JSON.stringify(record.manifest),
    wasmFileName: `${record.id}.wasm`,
  });
  if (pkg.sha256 !== record.sha256) {
    throw new Error(`its stored bytes have sha256 ${pkg.sha256}, not ${record.sha256}`);
  }
  return { pkg, wasm };
}

/** The library's current state in a component. */
export function useLibrary(library: ModuleLibrary): LibraryState {
  return useSyncExternalStore(library.subscribe, library.getState);
}
