/**
 * One instance of an ABI v2 module (a WASI reactor, `modules/sdk/ABI.md` §11), driven
 * synchronously in the calling thread: `qv_begin`, `qv_push`, `qv_finish`, and after each
 * call the pending output of every port, copied out of module memory once per IPC message.
 *
 * Nothing the module returns is trusted: every pointer and length is checked against its
 * memory, output bytes must split into whole IPC messages, the memory cap is checked after
 * every call, and any trap, exit or bad value becomes a {@link ReactorError}.
 */
import type { Fd } from '@bjorn3/browser_wasi_shim';
import { REACTOR_EXPORTS } from '../modules/manifest';
import { splitIpc, type IpcMessageKind } from './ipc';
import { describe, WasiSandbox, type WasiSandboxOptions } from './wasi-sandbox';
import type { WasiFailureKind } from './wasi-sandbox';

/** Whether a compiled module has the ABI v2 exports. */
export function isReactor(module: WebAssembly.Module): boolean {
  const names = new Set(WebAssembly.Module.exports(module).map((e) => e.name));
  return names.has('memory') && REACTOR_EXPORTS.every((name) => names.has(name));
}

/** Options of {@link ReactorInstance}. */
export interface ReactorOptions extends WasiSandboxOptions {
  /** The compiled module (its memory maximum already set to the cap). */
  module: WebAssembly.Module;
  /** Number of output ports (indices 0..outputs-1, manifest order). */
  outputs: number;
  /** File descriptors from 3 on: the step's `/data` when it was granted storage; else none. */
  preopens?: Fd[];
}

/** One IPC message copied out of module memory, in a buffer of its own. */
export interface ReactorOutput {
  port: number;
  kind: IpcMessageKind;
  rows: number;
  buffer: ArrayBuffer;
}

/** Why a v2 call failed: a WASI failure kind, or the module broke the ABI. */
export type ReactorErrorKind = WasiFailureKind | 'abi';

/** A failed call; `stderrTail` holds the module's last stderr lines. */
export class ReactorError extends Error {
  override name = 'ReactorError';
  constructor(
    readonly kind: ReactorErrorKind,
    message: string,
    readonly stderrTail: string[],
  ) {
    super(message);
  }
}

/** What a call said: go on, or the module needs no more input. */
export type ReactorStatus = 'continue' | 'done';

type Exports = {
  memory: WebAssembly.Memory;
  qv_alloc: (sizeBytes: number) => number;
  qv_free: (ptr: number) => void;
  qv_begin: (ptr: number, sizeBytes: number) => number;
  qv_push: (port: number, ptr: number, sizeBytes: number) => number;
  qv_finish: () => number;
  qv_output_ptr: (port: number) => number;
  qv_output_size: (port: number) => number;
  qv_output_clear: (port: number) => void;
};

/** Lines of stderr kept for a failure. */
const STDERR_TAIL_LINES = 20;

/** A live ABI v2 instance. Not reusable after a {@link ReactorError}. */
export class ReactorInstance {
  private readonly sandbox: WasiSandbox;
  private readonly exports: Exports;

  /** Instantiates and initialises the module. Throws {@link ReactorError} (`link`). */
  constructor(private readonly opts: ReactorOptions) {
    this.sandbox = new WasiSandbox(opts, opts.preopens);
    let instance: WebAssembly.Instance;
    try {
      instance = new WebAssembly.Instance(opts.module, this.sandbox.imports);
    } catch (error) {
      throw this.error('link', `cannot instantiate module: ${describe(error)}`);
    }
    const exported = instance.exports as Record<string, unknown>;
    const missing = ['memory', ...REACTOR_EXPORTS].filter((n) => exported[n] === undefined);
    if (missing.length > 0 || !(exported.memory instanceof WebAssembly.Memory)) {
      throw this.error('link', `an ABI 2 module must export ${missing.join(', ')}`);
    }
    this.exports = exported as unknown as Exports;
    this.sandbox.memory = this.exports.memory;
    // The shim's `initialize` binds its imports to this instance, then runs `_initialize`.
    const shim = this.sandbox.shim;
    this.call('_initialize', () =>
      shim.initialize(instance as unknown as Parameters<typeof shim.initialize>[0]),
    );
  }

  /** `qv_begin` with the params JSON; returns the outputs it wrote. */
  begin(params: Uint8Array): ReactorOutput[] {
    const ptr = this.place(params);
    const status = this.call('qv_begin', () => this.exports.qv_begin(ptr, params.byteLength));
    this.status('qv_begin', status);
    return this.drain();
  }

  /** `qv_push` of `bytes` to input `port`; returns the status and the outputs it wrote. */
  push(port: number, bytes: Uint8Array): { status: ReactorStatus; outputs: ReactorOutput[] } {
    const ptr = this.place(bytes);
    const status = this.call('qv_push', () => this.exports.qv_push(port, ptr, bytes.byteLength));
    return { status: this.status('qv_push', status), outputs: this.drain() };
  }

  /** `qv_finish`; returns the last outputs. */
  finish(): ReactorOutput[] {
    this.status(
      'qv_finish',
      this.call('qv_finish', () => this.exports.qv_finish()),
    );
    this.sandbox.flush();
    return this.drain();
  }

  /** Size of the module's memory, in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Copies `bytes` into a block from `qv_alloc` (whose ownership the next call passes on). */
  private place(bytes: Uint8Array): number {
    const size = bytes.byteLength;
    const ptr = this.call('qv_alloc', () => this.exports.qv_alloc(size)) >>> 0;
    if (ptr === 0) throw this.error('memory-limit', `out of memory: qv_alloc(${size}) failed`);
    this.checkRange('qv_alloc', ptr, size);
    new Uint8Array(this.exports.memory.buffer, ptr, size).set(bytes);
    return ptr;
  }

  /** Copies every port's pending output out, one buffer per IPC message, and clears it. */
  private drain(): ReactorOutput[] {
    const out: ReactorOutput[] = [];
    for (let port = 0; port < this.opts.outputs; port++) {
      const ptr = this.call('qv_output_ptr', () => this.exports.qv_output_ptr(port)) >>> 0;
      const size = this.call('qv_output_size', () => this.exports.qv_output_size(port)) >>> 0;
      if (size === 0) continue;
      this.checkRange(`qv_output_ptr/qv_output_size(${port})`, ptr, size);
      const view = new Uint8Array(this.exports.memory.buffer, ptr, size);
      let messages;
      try {
        messages = splitIpc(view);
      } catch (error) {
        throw this.error('abi', `output port ${port}: malformed Arrow IPC: ${describe(error)}`);
      }
      for (const m of messages) {
        out.push({ port, kind: m.kind, rows: m.rows, buffer: m.bytes.slice().buffer });
      }
      this.call('qv_output_clear', () => this.exports.qv_output_clear(port));
    }
    return out;
  }

  /** Runs one export, turning anything it throws into a {@link ReactorError}. */
  private call<T>(name: string, fn: () => T): T {
    try {
      const result = fn();
      this.sandbox.checkMemory();
      return result;
    } catch (error) {
      if (error instanceof ReactorError) throw error;
      const failure = this.sandbox.classify(error);
      const tail = this.stderrTail();
      const last = tail[tail.length - 1];
      const message =
        failure.kind === 'exit' && last !== undefined
          ? `${last} (${failure.message})`
          : `${name}: ${failure.message}`;
      throw new ReactorError(failure.kind, message, tail);
    }
  }

  /** Maps a status code; anything but 0 and 1 is a failure explained on stderr. */
  private status(name: string, code: number): ReactorStatus {
    if (code === 0) return 'continue';
    if (code === 1) return 'done';
    const tail = this.stderrTail();
    const last = tail[tail.length - 1];
    const message =
      last === undefined
        ? `${name} returned status ${code} without an error message`
        : `${last} (${name} returned ${code})`;
    throw new ReactorError('exit', message, tail);
  }

  private checkRange(what: string, ptr: number, size: number): void {
    const memorySize = this.exports.memory.buffer.byteLength;
    if (ptr < 0 || size < 0 || ptr + size > memorySize) {
      throw this.error(
        'abi',
        `${what} gave ${size} bytes at ${ptr}, outside the module's memory of ${memorySize} bytes`,
      );
    }
  }

  private error(kind: ReactorErrorKind, message: string): ReactorError {
    return new ReactorError(kind, message, this.stderrTail());
  }

  private stderrTail(): string[] {
    this.sandbox.flush();
    return this.sandbox.stderr
      .text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .slice(-STDERR_TAIL_LINES);
  }
}
