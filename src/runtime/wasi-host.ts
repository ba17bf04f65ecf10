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
 * ```
 *
 * fd 0 is an empty stdin, fds 1 and 2 are captured as text. Input bytes are never copied:
 * the files wrap the caller's buffers (pass an ArrayBuffer or a Uint8Array view).
 */
import {
  ConsoleStdout,
  Directory,
  File,
  OpenFile,
  WASI,
  WASIProcExit,
  wasi,
} from '@bjorn3/browser_wasi_shim';
import type { Fd } from '@bjorn3/browser_wasi_shim';
import {
  ChunkedFile,
  collectFiles,
  ensureDirectory,
  GuardedPreopenDirectory,
  readOnlyFile,
} from './wasi-fs';
import { StdioCapture } from './wasi-stdio';

/** How the WASI clock and `random_get` behave. `deterministic` gives the same values each run. */
export type WasiSourceMode = 'real' | 'deterministic';

/** Options of {@link runWasiCommand}. */
export interface WasiCommandOptions {
  /** The compiled module; it must export `memory` and `_start`. */
  module: WebAssembly.Module;
  /**
   * Absolute path → bytes. Paths under `/in/` land in the `/in` preopen, others in `/`. An
   * array of chunks is one file read without joining them (e.g. the messages of an input).
   */
  files?: Record<string, Uint8Array | ArrayBuffer | readonly Uint8Array[]>;
  /** argv; defaults to `["module"]`. */
  args?: string[];
  /** Environment, as `NAME=value` strings; defaults to none. */
  env?: string[];
  /** Clock behaviour; default `deterministic` (fixed start, +1 ms per call). */
  clock?: WasiSourceMode;
  /** `random_get` behaviour; default `deterministic` (xorshift32 seeded with `randomSeed`). */
  random?: WasiSourceMode;
  /** Seed of the deterministic generator; default 0x9e3779b9. */
  randomSeed?: number;
  /**
   * Cap on the module's linear memory in MiB, checked before the start, at every WASI call and
   * at the end. To stop growth between calls, also compile the module with a memory maximum
   * (see `wasm-binary.ts`).
   */
  maxMemoryMiB?: number;
  /** Called with each complete line the module writes to stdout or stderr. */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Most bytes kept of each of stdout and stderr (the tail is kept); default 1 MiB. */
  stdioLimitBytes?: number;
}

/** Why a run did not succeed. */
export type WasiFailureKind =
  /** The module exited with a non-zero code. */
  | 'exit'
  /** A WebAssembly trap (RuntimeError): unreachable, out-of-bounds access, stack overflow... */
  | 'trap'
  /** The module's memory grew past `maxMemoryMiB`. */
  | 'memory-limit'
  /** Instantiation failed (missing import, bad exports). */
  | 'link'
  /** The WASI shim or the host threw (e.g. the shim's "sockets not supported"). */
  | 'host';

/** A failed run, with a message fit for the user. */
export interface WasiFailure {
  kind: WasiFailureKind;
  message: string;
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

/** Thrown inside the run (from a WASI call) when memory passes the cap; becomes a failure. */
class MemoryLimitExceeded extends Error {
  constructor(readonly maxMemoryMiB: number) {
    super(`memory limit of ${maxMemoryMiB} MiB exceeded`);
    this.name = 'MemoryLimitExceeded';
  }
}

const MIB = 1024 * 1024;
/** 2000-01-01T00:00:00Z in nanoseconds: start of the deterministic realtime clock. */
const DETERMINISTIC_EPOCH_NS = 946_684_800_000_000_000n;
/** The deterministic clocks advance by 1 ms per read, so waiting loops still end. */
const DETERMINISTIC_TICK_NS = 1_000_000n;

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
  const limit = opts.stdioLimitBytes ?? MIB;
  const stdout = new StdioCapture(limit, (line) => opts.onLine?.('stdout', line));
  const stderr = new StdioCapture(limit, (line) => opts.onLine?.('stderr', line));
  const fds: Fd[] = [
    new OpenFile(new File(new ArrayBuffer(0), { readonly: true })),
    new ConsoleStdout((bytes) => stdout.write(bytes)),
    new ConsoleStdout((bytes) => stderr.write(bytes)),
    new GuardedPreopenDirectory('/in', inDir, false),
    new GuardedPreopenDirectory('/out', outDir, true),
    new GuardedPreopenDirectory('/', root, false),
  ];
  const shim = new WASI(opts.args ?? ['module'], opts.env ?? [], fds, { debug: false });
  // Set once instantiated; the imports and checks below read it through this holder.
  const guest: { memory?: WebAssembly.Memory } = {};
  const capBytes = opts.maxMemoryMiB === undefined ? Infinity : opts.maxMemoryMiB * MIB;
  const checkMemory = (): void => {
    if (guest.memory !== undefined && guest.memory.buffer.byteLength > capBytes) {
      throw new MemoryLimitExceeded(opts.maxMemoryMiB ?? 0);
    }
  };
  const imports = guardImports(
    { ...shim.wasiImport, ...sourceOverrides(opts, () => guest.memory) },
    checkMemory,
  );

  const finish = (exitCode: number, failure?: WasiFailure): WasiCommandResult => {
    stdout.flush();
    stderr.flush();
    const outputs: Record<string, Uint8Array> = {};
    collectFiles(outDir, '/out', outputs);
    const result: WasiCommandResult = {
      exitCode,
      outputs,
      stdout: stdout.text(),
      stderr: stderr.text(),
      memoryBytes: guest.memory?.buffer.byteLength ?? 0,
    };
    if (failure !== undefined) result.failure = failure;
    return result;
  };

  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(opts.module, { wasi_snapshot_preview1: imports });
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
  guest.memory = exported.memory;
  try {
    checkMemory();
    const exitCode = shim.start(instance as unknown as Parameters<WASI['start']>[0]);
    checkMemory();
    return exitCode === 0
      ? finish(0)
      : finish(exitCode, { kind: 'exit', message: `exited with code ${exitCode}` });
  } catch (error) {
    return finish(-1, classify(error, guest.memory, capBytes, opts.maxMemoryMiB));
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

type ImportFn = (...args: never[]) => unknown;

/** Wraps each import so that every WASI call first checks the memory cap. */
function guardImports(
  imports: Record<string, ImportFn>,
  check: () => void,
): Record<string, ImportFn> {
  const guarded: Record<string, ImportFn> = {};
  for (const [name, fn] of Object.entries(imports)) {
    guarded[name] = (...args: never[]) => {
      check();
      return fn(...args);
    };
  }
  return guarded;
}

/** Deterministic clock and random imports, when asked for (the default). */
function sourceOverrides(
  opts: WasiCommandOptions,
  memory: () => WebAssembly.Memory | undefined,
): Record<string, ImportFn> {
  const overrides: Record<string, ImportFn> = {};
  const view = (): DataView => new DataView(memory()?.buffer ?? new ArrayBuffer(0));
  if ((opts.clock ?? 'deterministic') === 'deterministic') {
    let ticks = 0n;
    overrides.clock_time_get = ((id: number, _precision: bigint, timePtr: number): number => {
      if (id !== wasi.CLOCKID_REALTIME && id !== wasi.CLOCKID_MONOTONIC) return wasi.ERRNO_INVAL;
      ticks += 1n;
      const base = id === wasi.CLOCKID_REALTIME ? DETERMINISTIC_EPOCH_NS : 0n;
      view().setBigUint64(timePtr, base + ticks * DETERMINISTIC_TICK_NS, true);
      return wasi.ERRNO_SUCCESS;
    }) as ImportFn;
    overrides.clock_res_get = ((_id: number, resPtr: number): number => {
      view().setBigUint64(resPtr, DETERMINISTIC_TICK_NS, true);
      return wasi.ERRNO_SUCCESS;
    }) as ImportFn;
  }
  if ((opts.random ?? 'deterministic') === 'deterministic') {
    let state = (opts.randomSeed ?? 0x9e3779b9) >>> 0 || 1;
    overrides.random_get = ((bufPtr: number, bufLen: number): number => {
      const bytes = new Uint8Array(memory()?.buffer ?? new ArrayBuffer(0), bufPtr, bufLen);
      for (let i = 0; i < bufLen; i++) {
        // xorshift32 (Marsaglia 2003): cheap, fixed sequence for a given seed.
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        state >>>= 0;
        bytes[i] = state & 0xff;
      }
      return wasi.ERRNO_SUCCESS;
    }) as ImportFn;
  }
  return overrides;
}

/** Turns what the run threw into a failure; proc_exit never reaches here (the shim returns it). */
function classify(
  error: unknown,
  memory: WebAssembly.Memory | undefined,
  capBytes: number,
  maxMemoryMiB: number | undefined,
): WasiFailure {
  const overCap = memory !== undefined && memory.buffer.byteLength > capBytes;
  if (error instanceof MemoryLimitExceeded || overCap) {
    return { kind: 'memory-limit', message: `memory limit of ${maxMemoryMiB ?? 0} MiB exceeded` };
  }
  if (error instanceof WebAssembly.RuntimeError) {
    return { kind: 'trap', message: `trap: ${error.message}` };
  }
  if (error instanceof WASIProcExit) {
    return { kind: 'exit', message: `exited with code ${error.code}` };
  }
  return { kind: 'host', message: describe(error) };
}

/** A message for anything thrown, including the shim's bare strings. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}
