/**
 * Runs a WASI preview 1 command (`_start`) once, synchronously, in the calling thread, with
 * `@bjorn3/browser_wasi_shim` 0.4.2 and a virtual filesystem. Used by the step worker and by
 * module tests; it has no DOM and no Node dependency.
 *
 * Filesystem layout seen by the module (three preopens; wasi-libc resolves an absolute path
 * through the preopen with the longest matching prefix):
 *
 * ```
 * fd 3  /in    read-only   every `files` entry under /in/ (e.g. /in/in.arrow, /in/csv.bytes)
 * fd 4  /out   read-write  empty at start; what the module writes is returned in `outputs`
 * fd 5  /      read-only   every other `files` entry (e.g. /params.json), plus `in` and `out`
 * fd 6  /data  as granted  only when `data` is given: the module's persistent directory
 * ```
 *
 * fd 0 is an empty stdin, fds 1 and 2 are captured as text. Input bytes are never copied:
 * the files wrap the caller's buffers (pass an ArrayBuffer or a Uint8Array view).
 */
import { Directory, File } from '@bjorn3/browser_wasi_shim';
import type { WriteBudget } from './wasi-fs';
import {
  ChunkedFile,
  collectFiles,
  ensureDirectory,
  GuardedPreopenDirectory,
  readOnlyFile,
} from './wasi-fs';
import { describe, WasiSandbox, type WasiFailure, type WasiSandboxOptions } from './wasi-sandbox';

export { describe } from './wasi-sandbox';
export type { WasiFailure, WasiFailureKind, WasiSourceMode } from './wasi-sandbox';

/** Options of {@link runWasiCommand}. */
export interface WasiCommandOptions extends WasiSandboxOptions {
  /** The compiled module; it must export `memory` and `_start`. */
  module: WebAssembly.Module;
  /**
   * Absolute path → bytes. Paths under `/in/` land in the `/in` preopen, others in `/`. An
   * array of chunks is one file read without joining them (e.g. the messages of an input).
   */
  files?: Record<string, Uint8Array | ArrayBuffer | readonly Uint8Array[]>;
  /**
   * Cap on the bytes the files under `/out` may hold together; a write past it fails with
   * EFBIG and the run with an `output-limit` failure, whatever the module does next.
   */
  maxOutputBytes?: number;
  /** The failure message when `maxOutputBytes` is passed; default `output limit of N MiB exceeded`. */
  outputLimitMessage?: string;
  /**
   * The step's `/data` (storage permission), preopened after `/`; writes count against
   * `budget`, and a write refused for want of it fails the run with `storageLimitMessage`.
   */
  data?: { dir: Directory; writable: boolean; budget: WriteBudget; limitMessage: string };
}

/** What {@link runWasiCommand} returns; it never throws for a misbehaving module. */
export interface WasiCommandResult {
  /** The WASI exit code; -1 when the module did not exit (trap, memory limit, host error). */
  exitCode: number;
  /** Files under `/out`, by absolute path (e.g. `/out/out.arrow`); views, not copies. */
  outputs: Record<string, Uint8Array>;
  stdout: string;
  stderr: string;
  /** Set when exitCode is not 0 or the module did not exit. */
  failure?: WasiFailure;
  /** Size of the module's linear memory when it stopped, in bytes. */
  memoryBytes: number;
}

/** Runs `opts.module` once; see the file comment for the filesystem layout. */
export function runWasiCommand(opts: WasiCommandOptions): WasiCommandResult {
  const root = new Directory(new Map());
  const inDir = ensureDirectory(root, ['in']);
  const outDir = ensureDirectory(root, ['out']);
  for (const [path, value] of Object.entries(opts.files ?? {})) {
    const file = Array.isArray(value)
      ? new ChunkedFile(value)
      : readOnlyFile(value instanceof Uint8Array ? value : new Uint8Array(value as ArrayBuffer));
    placeFile(root, path, file);
  }
  const budget = { leftBytes: opts.maxOutputBytes ?? Infinity, exceeded: false };
  const preopens = [
    new GuardedPreopenDirectory('/in', inDir, false),
    new GuardedPreopenDirectory('/out', outDir, true, budget),
    new GuardedPreopenDirectory('/', root, false),
  ];
  const data = opts.data;
  if (data !== undefined) {
    preopens.push(new GuardedPreopenDirectory('/data', data.dir, data.writable, data.budget));
  }
  const sandbox = new WasiSandbox(opts, preopens);

  const finish = (exitCode: number, failure?: WasiFailure): WasiCommandResult => {
    sandbox.flush();
    const outputs: Record<string, Uint8Array> = {};
    collectFiles(outDir, '/out', outputs);
    const result: WasiCommandResult = {
      exitCode,
      outputs,
      stdout: sandbox.stdout.text(),
      stderr: sandbox.stderr.text(),
      memoryBytes: sandbox.memory?.buffer.byteLength ?? 0,
    };
    if (budget.exceeded) {
      const mib = Math.round(((opts.maxOutputBytes ?? 0) / 1048576) * 100) / 100;
      const message = opts.outputLimitMessage ?? `output limit of ${mib} MiB exceeded`;
      result.failure = { kind: 'output-limit', message };
    } else if (data?.budget.exceeded) {
      result.failure = { kind: 'storage-limit', message: data.limitMessage };
    } else if (failure !== undefined) result.failure = failure;
    return result;
  };

  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(opts.module, sandbox.imports);
  } catch (error) {
    return finish(-1, { kind: 'link', message: `cannot instantiate module: ${describe(error)}` });
  }
  const exported = instance.exports as Record<string, unknown>;
  if (!(exported.memory instanceof WebAssembly.Memory) || typeof exported._start !== 'function') {
    return finish(-1, {
      kind: 'link',
      message: 'module must export "memory" and "_start" (a WASI command)',
    });
  }
  sandbox.memory = exported.memory;
  try {
    sandbox.checkMemory();
    const exitCode = sandbox.shim.start(
      instance as unknown as Parameters<WasiSandbox['shim']['start']>[0],
    );
    sandbox.checkMemory();
    return exitCode === 0
      ? finish(0)
      : finish(exitCode, { kind: 'exit', message: `exited with code ${exitCode}` });
  } catch (error) {
    return finish(-1, sandbox.classify(error));
  }
}

/** Puts `file` at absolute `path` in the tree rooted at `root`. */
function placeFile(root: Directory, path: string, file: File): void {
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  const name = parts.pop();
  if (!path.startsWith('/') || name === undefined || parts.includes('..')) {
    throw new Error(`runWasiCommand: file path "${path}" must be absolute, without ".."`);
  }
  if (parts[0] === 'out') throw new Error(`runWasiCommand: "${path}": /out starts empty`);
  ensureDirectory(root, parts).contents.set(name, file);
}
