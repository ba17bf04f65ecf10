/**
 * What every WASI run shares, command (v1) or reactor (v2): the `wasi_snapshot_preview1`
 * imports of `@bjorn3/browser_wasi_shim` 0.4.2 with stdout/stderr captured as lines, a
 * deterministic or real clock and random source, a memory cap checked at every WASI call,
 * and the translation of whatever a run throws into a {@link WasiFailure}.
 */
import { ConsoleStdout, File, OpenFile, WASI, WASIProcExit, wasi } from '@bjorn3/browser_wasi_shim';
import type { Fd } from '@bjorn3/browser_wasi_shim';
import { StdioCapture } from './wasi-stdio';

/** How the WASI clock and `random_get` behave. `deterministic` gives the same values each run. */
export type WasiSourceMode = 'real' | 'deterministic';

/** Options shared by command and reactor runs. */
export interface WasiSandboxOptions {
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
   * Cap on the module's linear memory in MiB, checked at every WASI call and by the caller
   * between calls. To stop growth in between, also compile the module with a memory maximum
   * (see `wasm-binary.ts`).
   */
  maxMemoryMiB?: number;
  /**
   * Called with each complete line the module writes to stdout or stderr; returning false
   * means no more lines of that stream are wanted: they are counted for `onUnreported`.
   */
  onLine?: (stream: 'stdout' | 'stderr', line: string) => unknown;
  /** Called by `flush` with the lines and bytes of each stream `onLine` did not want. */
  onUnreported?: (lines: number, bytes: number) => void;
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
  | 'host'
  /** The module wrote more output than it may (`maxOutputBytes`). */
  | 'output-limit'
  /** The module's `/data` files would pass the storage cap. */
  | 'storage-limit';

/** A failed run, with a message fit for the user. */
export interface WasiFailure {
  kind: WasiFailureKind;
  message: string;
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

type ImportFn = (...args: never[]) => unknown;

/** One run's WASI world: its imports, captured output and memory cap. */
export class WasiSandbox {
  readonly stdout: StdioCapture;
  readonly stderr: StdioCapture;
  readonly shim: WASI;
  /** `{ wasi_snapshot_preview1: ... }`, each import checking the memory cap first. */
  readonly imports: WebAssembly.Imports;
  /** The guest's memory, once instantiated (set by the caller). */
  memory: WebAssembly.Memory | undefined;
  private readonly capBytes: number;

  /** `preopens` are the file descriptors from 3 on (none for a reactor). */
  constructor(
    private readonly opts: WasiSandboxOptions,
    preopens: Fd[] = [],
  ) {
    const limit = opts.stdioLimitBytes ?? MIB;
    this.stdout = new StdioCapture(limit, (line) => opts.onLine?.('stdout', line));
    this.stderr = new StdioCapture(limit, (line) => opts.onLine?.('stderr', line));
    const fds: Fd[] = [
      new OpenFile(new File(new ArrayBuffer(0), { readonly: true })),
      new ConsoleStdout((bytes) => this.stdout.write(bytes)),
      new ConsoleStdout((bytes) => this.stderr.write(bytes)),
      ...preopens,
    ];
    this.shim = new WASI(opts.args ?? ['module'], opts.env ?? [], fds, { debug: false });
    this.capBytes = opts.maxMemoryMiB === undefined ? Infinity : opts.maxMemoryMiB * MIB;
    const all = {
      ...this.shim.wasiImport,
      ...sourceOverrides(opts, () => this.memory),
      fd_write: this.stdioWrite(this.shim.wasiImport.fd_write as ImportFn, fds[1], fds[2]),
    };
    this.imports = { wasi_snapshot_preview1: guardImports(all, () => this.checkMemory()) };
  }

  /**
   * `fd_write` that hands stdout and stderr writes to their capture as views of the guest's
   * memory (the capture copies them into its ring), instead of the shim's copy per iovec: a
   * module writing millions of log lines must not allocate per line. Other fds go to the shim.
   * The fds are matched by object, so a module that renumbers its fds cannot misroute data.
   */
  private stdioWrite(
    shimWrite: ImportFn,
    stdout: Fd | undefined,
    stderr: Fd | undefined,
  ): ImportFn {
    return ((fd: number, iovsPtr: number, iovsLen: number, nwrittenPtr: number): number => {
      const target = this.shim.fds[fd];
      const capture = target === stdout ? this.stdout : target === stderr ? this.stderr : null;
      const buffer = this.memory?.buffer;
      if (capture === null || buffer === undefined) {
        return (shimWrite as (...a: number[]) => number)(fd, iovsPtr, iovsLen, nwrittenPtr);
      }
      const view = new DataView(buffer);
      const bytes = new Uint8Array(buffer);
      let written = 0;
      for (let i = 0; i < iovsLen; i++) {
        const ptr = view.getUint32(iovsPtr + 8 * i, true);
        const len = view.getUint32(iovsPtr + 8 * i + 4, true);
        if (ptr + len > bytes.byteLength) return wasi.ERRNO_FAULT;
        capture.write(bytes.subarray(ptr, ptr + len));
        written += len;
      }
      view.setUint32(nwrittenPtr, written, true);
      return wasi.ERRNO_SUCCESS;
    }) as ImportFn;
  }

  /** Throws when the guest's memory is past the cap. */
  checkMemory(): void {
    if (this.memory !== undefined && this.memory.buffer.byteLength > this.capBytes) {
      throw new MemoryLimitExceeded(this.opts.maxMemoryMiB ?? 0);
    }
  }

  /** Emits the last partial lines of stdout and stderr, and what was only counted. */
  flush(): void {
    this.stdout.flush();
    this.stderr.flush();
    for (const capture of [this.stdout, this.stderr]) {
      const { lines, bytes } = capture.takeUnreported();
      if (lines > 0 || bytes > 0) this.opts.onUnreported?.(lines, bytes);
    }
  }

  /** Turns what a call threw into a failure (a proc_exit becomes an `exit` failure). */
  classify(error: unknown): WasiFailure {
    const overCap = this.memory !== undefined && this.memory.buffer.byteLength > this.capBytes;
    if (error instanceof MemoryLimitExceeded || overCap) {
      const mib = this.opts.maxMemoryMiB ?? 0;
      return { kind: 'memory-limit', message: `memory limit of ${mib} MiB exceeded` };
    }
    if (error instanceof WebAssembly.RuntimeError) {
      return { kind: 'trap', message: trapInWords(error.message) };
    }
    if (error instanceof RangeError && /call stack/i.test(error.message)) {
      return {
        kind: 'trap',
        message: 'stack overflow: the module called itself too deeply (unbounded recursion?)',
      };
    }
    if (error instanceof WASIProcExit) {
      return { kind: 'exit', message: `exited with code ${error.code}` };
    }
    return { kind: 'host', message: describe(error) };
  }
}

/**
 * What the engine's trap messages mean, in words (V8's messages; SpiderMonkey's and Wasmtime's
 * are close). The engine's own words stay first, so the message can be searched for.
 * Trap list: https://webassembly.github.io/spec/core/exec/instructions.html (every `trap`).
 */
const TRAP_WORDS: readonly [RegExp, string][] = [
  [/unreachable/, 'the module reached code it marks as impossible (abort(), a failed assert)'],
  [
    /memory access out of bounds/,
    'the module read or wrote outside its memory (a bad pointer, or its stack overflowed)',
  ],
  [/divi(de|sion) by zero/, 'an integer division by zero'],
  [/remainder by zero/, 'an integer remainder by zero'],
  [/integer overflow/, 'an integer division overflowed'],
  [/unrepresentable|invalid conversion/, 'a float too large (or NaN) converted to an integer'],
  [/table|signature mismatch|null function/, 'a call through a bad function pointer'],
];

/** `trap: <engine message> — <what it means>`. */
export function trapInWords(engineMessage: string): string {
  const words = TRAP_WORDS.find(([pattern]) => pattern.test(engineMessage))?.[1];
  return words === undefined ? `trap: ${engineMessage}` : `trap: ${engineMessage} — ${words}`;
}

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
  opts: WasiSandboxOptions,
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

/** A message for anything thrown, including the shim's bare strings. */
export function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  return String(error);
}
