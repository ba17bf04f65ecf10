/**
 * The storage permission (`/data`, `modules/sdk/ABI.md` §6.1): one persistent directory per
 * module id, kept by the host (the Origin Private File System in the browser,
 * `module-data-opfs.ts`; a directory given with `--data` in Node, `module-data-node.ts`).
 *
 * A step granted storage gets the module's files as a snapshot: loaded into a virtual directory
 * before the module runs, preopened at `/data` (read-only or read-write as granted), and, when
 * the step was granted read-write and finished, its changes written back. A failed step writes
 * nothing back, so a module that crashes halfway never leaves half-written data. The files of a
 * module together may hold at most the step's storage cap; a write past it fails with EFBIG and
 * the step with `storage limit of N MiB reached`.
 *
 * This file is the store-independent part; the worker's entry registers the store
 * ({@link setDataStore}).
 */
import { Directory, File } from '@bjorn3/browser_wasi_shim';
import type { StepDataSpec } from './protocol';
import { StepError } from './step-outputs';
import { ensureDirectory, type WriteBudget } from './wasi-fs';

/** Files of a module's data directory: relative path (`a/b.txt`) → bytes. */
export type DataFiles = Map<string, Uint8Array>;

/** What a run changed: files written (new or changed) and paths removed. */
export interface DataChanges {
  written: DataFiles;
  removed: string[];
}

/** Where module data is kept; `key` is the module id. Errors name the key and the path. */
export interface DataStore {
  /** Every file under `root`/`key`; an absent directory is empty. */
  load(root: string, key: string): Promise<DataFiles>;
  /** Applies `changes` under `root`/`key`, creating directories as needed. */
  save(root: string, key: string, changes: DataChanges): Promise<void>;
}

/** The default cap on a module's stored bytes, in MiB (the whole directory is held in memory while the step runs). */
export const DEFAULT_MAX_DATA_MIB = 64;

let store: DataStore | null = null;

/** Sets the store of this worker (each worker entry registers its own). */
export function setDataStore(dataStore: DataStore): void {
  store = dataStore;
}

/**
 * Whether `path` is a relative path a store may write: components that are not empty, `.` or
 * `..`, without `\` or NUL. The shim never produces others; the check keeps the store safe if it did.
 */
export function isSafeDataPath(path: string): boolean {
  return path
    .split('/')
    .every((part) => part !== '' && part !== '.' && part !== '..' && !/[\\\0]/.test(part));
}

/** The directory of a step's `/data` while it runs, and how to write back its changes. */
export class StepData {
  readonly budget: WriteBudget;
  readonly dir: Directory;

  private constructor(
    readonly spec: StepDataSpec,
    private readonly loaded: DataFiles,
  ) {
    let used = 0;
    for (const bytes of loaded.values()) used += bytes.byteLength;
    this.budget = { leftBytes: Math.max(0, spec.maxBytes - used), exceeded: false };
    this.dir = new Directory(new Map());
    for (const [path, bytes] of loaded) {
      const parts = path.split('/');
      const name = parts.pop() ?? '';
      const file = new File(new ArrayBuffer(0), { readonly: !spec.writable });
      // A copy: writes may change a file in place, and `loaded` is what they are compared with.
      file.data = spec.writable ? bytes.slice() : bytes;
      ensureDirectory(this.dir, parts).contents.set(name, file);
    }
  }

  /** Loads the module's files from the worker's store. Throws {@link StepError}. */
  static async open(spec: StepDataSpec): Promise<StepData> {
    if (store === null) throw new StepError('storage (/data) is not available in this host');
    try {
      return new StepData(spec, await store.load(spec.root, spec.key));
    } catch (error) {
      throw new StepError(
        `storage (/data): cannot load the data of "${spec.key}": ${message(error)}`,
      );
    }
  }

  /** The failure message of a write refused for want of room (`budget.exceeded`). */
  capMessage(): string {
    const mib = Math.round((this.spec.maxBytes / 1048576) * 100) / 100;
    return `storage limit of ${mib} MiB reached: a write to /data was refused`;
  }

  /** Writes back what the run changed (read-write grants only). Throws {@link StepError}. */
  async commit(): Promise<void> {
    if (!this.spec.writable || store === null) return;
    const changes = diff(this.loaded, this.dir);
    if (changes.written.size === 0 && changes.removed.length === 0) return;
    try {
      await store.save(this.spec.root, this.spec.key, changes);
    } catch (error) {
      throw new StepError(
        `storage (/data): cannot save the data of "${this.spec.key}": ${message(error)}`,
      );
    }
  }
}

/** Files of `dir` that differ from `loaded` (a file whose bytes were replaced) and those gone. */
function diff(loaded: DataFiles, dir: Directory): DataChanges {
  const now: DataFiles = new Map();
  walk(dir, '', now);
  const written: DataFiles = new Map();
  for (const [path, bytes] of now) {
    const before = loaded.get(path);
    if (before === undefined || !sameBytes(before, bytes)) written.set(path, bytes);
  }
  const removed = [...loaded.keys()].filter((path) => !now.has(path));
  return { written, removed };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function walk(dir: Directory, prefix: string, into: DataFiles): void {
  for (const [name, entry] of dir.contents) {
    const path = prefix === '' ? name : `${prefix}/${name}`;
    if (entry instanceof File) into.set(path, entry.data);
    else if (entry instanceof Directory) walk(entry, path, into);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
