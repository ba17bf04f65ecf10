/**
 * Import inspection: before a module runs, read what it imports (`WebAssembly.Module.imports`)
 * and refuse anything the step was not granted (DESIGN.md, "Permissions and limits").
 *
 * Function names are those of WASI preview 1
 * (https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md).
 */
import type { GrantedPermissions, RequestedPermissions } from './manifest';

/** The only import module an ABI v1 step may use. */
export const WASI_MODULE = 'wasi_snapshot_preview1';

/**
 * Always allowed: arguments, environment, exit, and file descriptors / paths. The sandbox
 * decides what files exist (its preopens), so file functions need no separate permission;
 * `/data` is only preopened when storage was granted.
 */
const ALWAYS: ReadonlySet<string> = new Set([
  'args_get',
  'args_sizes_get',
  'environ_get',
  'environ_sizes_get',
  'proc_exit',
  'sched_yield',
  'fd_advise',
  'fd_allocate',
  'fd_close',
  'fd_datasync',
  'fd_fdstat_get',
  'fd_fdstat_set_flags',
  'fd_fdstat_set_rights',
  'fd_filestat_get',
  'fd_filestat_set_size',
  'fd_filestat_set_times',
  'fd_pread',
  'fd_prestat_get',
  'fd_prestat_dir_name',
  'fd_pwrite',
  'fd_read',
  'fd_readdir',
  'fd_renumber',
  'fd_seek',
  'fd_sync',
  'fd_tell',
  'fd_write',
  'path_create_directory',
  'path_filestat_get',
  'path_filestat_set_times',
  'path_link',
  'path_open',
  'path_readlink',
  'path_remove_directory',
  'path_rename',
  'path_symlink',
  'path_unlink_file',
]);

/** Need the clock permission. `poll_oneoff` is how wasi-libc sleeps (clock subscriptions). */
const CLOCK: ReadonlySet<string> = new Set(['clock_time_get', 'clock_res_get', 'poll_oneoff']);

/** Need the random permission. */
const RANDOM: ReadonlySet<string> = new Set(['random_get']);

/** Never available in ABI v1. */
const NEVER: Readonly<Record<string, string>> = {
  sock_accept: 'is a network function: steps have no network in ABI v1',
  sock_recv: 'is a network function: steps have no network in ABI v1',
  sock_send: 'is a network function: steps have no network in ABI v1',
  sock_shutdown: 'is a network function: steps have no network in ABI v1',
  proc_raise: 'raises a signal: not supported',
};

/** One import the step may not have, and why. */
export interface RefusedImport {
  module: string;
  name: string;
  kind: WebAssembly.ImportExportKind;
  reason: string;
}

/** Result of {@link inspectImports}. */
export type ImportInspection = { ok: true } | { ok: false; refused: RefusedImport[] };

/** Whether one import is allowed under `granted`; the reason if not. */
function check(
  imp: WebAssembly.ModuleImportDescriptor,
  granted: GrantedPermissions,
): string | null {
  if (imp.module !== WASI_MODULE) {
    return `is outside ${WASI_MODULE}, the only import module a step may use`;
  }
  if (imp.kind !== 'function') return `is a ${imp.kind}, not a function: not allowed`;
  if (ALWAYS.has(imp.name)) return null;
  if (CLOCK.has(imp.name)) {
    return granted.clock === 'none' ? 'needs the clock permission, which was not granted' : null;
  }
  if (RANDOM.has(imp.name)) {
    return granted.random === 'none' ? 'needs the random permission, which was not granted' : null;
  }
  return NEVER[imp.name] ?? 'is not a WASI preview 1 function';
}

/**
 * Check every import of `module` against what the step was granted. Refused imports are listed
 * in import order; see {@link describeRefusal} for the message a step fails with.
 */
export function inspectImports(
  module: WebAssembly.Module,
  granted: GrantedPermissions,
): ImportInspection {
  const refused: RefusedImport[] = [];
  for (const imp of WebAssembly.Module.imports(module)) {
    const reason = check(imp, granted);
    if (reason !== null)
      refused.push({ module: imp.module, name: imp.name, kind: imp.kind, reason });
  }
  return refused.length === 0 ? { ok: true } : { ok: false, refused };
}

/**
 * One sentence per refused import, e.g.
 * `refused before running: import "wasi_snapshot_preview1"."random_get" needs the random permission, which was not granted`.
 */
export function describeRefusal(refused: readonly RefusedImport[]): string {
  return refused
    .map((r) => `refused before running: import "${r.module}"."${r.name}" ${r.reason}`)
    .join('\n');
}

/**
 * The most a step of a module could be granted: everything its manifest asks for. Checking a
 * module with `inspectImports(module, grantsRequestedBy(manifest.permissions))` when it is
 * added finds imports its manifest forgot to ask for, before any user grants anything.
 */
export function grantsRequestedBy(requested: RequestedPermissions): GrantedPermissions {
  return {
    storage: requested.storage ?? 'none',
    clock: requested.clock ? 'real' : 'none',
    random: requested.random ? 'real' : 'none',
  };
}
