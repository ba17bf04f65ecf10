/**
 * Test-only driver of ABI v2 modules (modules/sdk/ABI.md section 11), standing in for the
 * host: instantiates a reactor with `@bjorn3/browser_wasi_shim` (stdout and stderr captured,
 * no files), and drives qv_alloc / qv_begin / qv_push / qv_finish, draining qv_output_* after
 * every call as the host does. Also runs a built-in module in its v1 or v2 build on one input
 * stream, so module tests can check both builds against the same oracle.
 *
 * Not the runtime's host (src/runtime): it trusts nothing the module returns, but it reports
 * problems by throwing, for tests.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleStdout, File, OpenFile, WASI, WASIProcExit } from '@bjorn3/browser_wasi_shim';
import { runWasiCommand } from '../../src/runtime/wasi-host';
import { type Abi, buildModuleWasm, repoRoot } from './c-build';

/** qv_begin / qv_push / qv_finish results (ABI.md 11.1). */
export const STATUS = { continue: 0, done: 1, failed: 2 } as const;

/** The exports of an ABI v2 module. */
interface ReactorExports {
  memory: WebAssembly.Memory;
  _initialize?: () => void;
  qv_alloc(size: number): number;
  qv_free(ptr: number): void;
  qv_begin(ptr: number, size: number): number;
  qv_push(port: number, ptr: number, size: number): number;
  qv_finish(): number;
  qv_output_ptr(port: number): number;
  qv_output_size(port: number): number;
  qv_output_clear(port: number): void;
}

/** One instance of a v2 module, driven call by call. */
export class Reactor {
  private readonly exports: ReactorExports;
  private readonly outputs: Uint8Array[][];
  private stderrText = '';
  /** The exit code if the module called proc_exit (qv_fail), else undefined. */
  exitCode: number | undefined;
  /** Address of the block of the last qv_push. */
  lastPushPtr = 0;

  constructor(module: WebAssembly.Module, nOutputs = 1) {
    const decoder = new TextDecoder();
    const shim = new WASI(
      ['module'],
      [],
      [
        new OpenFile(new File(new ArrayBuffer(0), { readonly: true })),
        new ConsoleStdout(() => {}),
        new ConsoleStdout((bytes) => {
          this.stderrText += decoder.decode(bytes, { stream: true });
        }),
      ],
    );
    const instance = new WebAssembly.Instance(module, {
      wasi_snapshot_preview1: shim.wasiImport,
    });
    this.exports = instance.exports as unknown as ReactorExports;
    shim.initialize(instance as unknown as Parameters<WASI['initialize']>[0]);
    this.outputs = Array.from({ length: nOutputs }, () => []);
  }

  /** What the module wrote to stderr so far. */
  get stderr(): string {
    return this.stderrText;
  }

  /** Size of the module's linear memory, in bytes. */
  get memoryBytes(): number {
    return this.exports.memory.buffer.byteLength;
  }

  /** Copies `bytes` into a fresh qv_alloc block; returns its address. */
  private place(bytes: Uint8Array): number {
    const ptr = this.exports.qv_alloc(bytes.length);
    if (ptr === 0) throw new Error(`qv_alloc(${bytes.length}) returned 0 (out of memory)`);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    return ptr;
  }

  /** Runs one export call; a proc_exit becomes status 2; then drains every output. */
  private call(fn: () => number): number {
    let status: number;
    try {
      status = fn();
    } catch (error) {
      if (!(error instanceof WASIProcExit)) throw error;
      this.exitCode = error.code;
      return STATUS.failed;
    }
    this.drain();
    return status;
  }

  /** Copies and clears every output's pending bytes, checking they lie inside memory. */
  private drain(): void {
    this.outputs.forEach((chunks, port) => {
      const size = this.exports.qv_output_size(port) >>> 0;
      if (size === 0) return;
      const ptr = this.exports.qv_output_ptr(port) >>> 0;
      const memory = this.exports.memory.buffer;
      if (ptr + size > memory.byteLength) {
        throw new Error(`qv_output_ptr(${port}) = ${ptr}, size ${size}: outside memory`);
      }
      chunks.push(new Uint8Array(memory, ptr, size).slice());
      this.exports.qv_output_clear(port);
    });
  }

  /** qv_begin with `params` as JSON. */
  begin(params: unknown): number {
    return this.beginBytes(new TextEncoder().encode(JSON.stringify(params)));
  }

  /** qv_begin with these bytes as the parameters (e.g. malformed JSON). */
  beginBytes(bytes: Uint8Array): number {
    const ptr = this.place(bytes);
    return this.call(() => this.exports.qv_begin(ptr, bytes.length));
  }

  /** qv_push of `bytes` to input `port`. */
  push(port: number, bytes: Uint8Array): number {
    const ptr = this.place(bytes);
    this.lastPushPtr = ptr;
    return this.call(() => this.exports.qv_push(port, ptr, bytes.length));
  }

  /** qv_finish. */
  finish(): number {
    return this.call(() => this.exports.qv_finish());
  }

  /**
   * Allocates a block of `size` bytes, fills it with 0xAA and holds it to the end: after a push
   * of that size, the allocator usually hands back the block the module just freed, so a module
   * still reading a freed block reads garbage. Returns the block's address.
   */
  reuseFreed(size: number): number {
    return this.place(new Uint8Array(size).fill(0xaa)); /* never freed: held to the end */
  }

  /** Every byte output `port` produced so far, as one Arrow IPC stream (end marker added). */
  output(port = 0): Uint8Array {
    const chunks = [...(this.outputs[port] ?? []), END_OF_STREAM];
    const total = chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

/**
 * The encapsulated messages of an Arrow IPC stream (continuation-marker framing), in order,
 * each with its body: the Schema message first. The end-of-stream marker is dropped.
 */
export function splitMessages(stream: Uint8Array): Uint8Array[] {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const messages: Uint8Array[] = [];
  let at = 0;
  while (at + 8 <= stream.length) {
    if (view.getUint32(at, true) !== 0xffffffff) throw new Error(`no continuation at ${at}`);
    const metaSize = view.getInt32(at + 4, true);
    if (metaSize === 0) break;
    const meta = stream.subarray(at + 8, at + 8 + metaSize);
    const end = at + 8 + metaSize + bodyLength(meta);
    messages.push(stream.subarray(at, end));
    at = end;
  }
  return messages;
}

/** The `bodyLength` field of a FlatBuffers `Message` (slot 3, int64). */
function bodyLength(meta: Uint8Array): number {
  const view = new DataView(meta.buffer, meta.byteOffset, meta.byteLength);
  const table = view.getUint32(0, true);
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 4 + 2 * 3;
  if (slot + 2 > vtableSize) return 0;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? 0 : Number(view.getBigInt64(table + offset, true));
}

/** Joins `parts` into one array. */
function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Options of {@link runReactor}. */
export interface ReactorRunOptions {
  /** Messages per qv_push after the schema push; default 1. */
  messagesPerPush?: number;
  /** After each data push, allocate and hold a 0xAA block of the pushed size (see
   * {@link Reactor.reuseFreed}). */
  reuseFreed?: boolean;
}

/** What {@link runReactor} gives. */
export interface ReactorRun {
  /** The instance, for its stderr, output and memory. */
  reactor: Reactor;
  /** Status of qv_begin, then of each qv_push, then of qv_finish (if reached). */
  statuses: number[];
  /** True if every call returned 0 or 1. */
  ok: boolean;
  /** How many held 0xAA blocks landed where a pushed block had been (reuseFreed). */
  reusedBlocks: number;
}

/**
 * Runs a one-input v2 module as the host would: qv_begin(params), the schema push, the other
 * messages of `stream` in pushes of `messagesPerPush`, stopping early on status 1, then
 * qv_finish; output 0 is drained after every call.
 */
export function runReactor(
  module: WebAssembly.Module,
  params: unknown,
  stream: Uint8Array,
  options: ReactorRunOptions = {},
): ReactorRun {
  const { messagesPerPush = 1, reuseFreed = false } = options;
  const reactor = new Reactor(module);
  const statuses = [reactor.begin(params)];
  const [schema, ...rest] = splitMessages(stream);
  if (schema === undefined) throw new Error('the input stream has no schema message');
  const blocks = [[schema]];
  for (let i = 0; i < rest.length; i += messagesPerPush) {
    blocks.push(rest.slice(i, i + messagesPerPush));
  }
  let reusedBlocks = 0;
  for (const block of blocks) {
    if (statuses.at(-1) !== STATUS.continue) break;
    const bytes = concat(block);
    const status = reactor.push(0, bytes);
    statuses.push(status);
    if (reuseFreed && status === STATUS.continue && block[0] !== schema) {
      if (reactor.reuseFreed(bytes.length) === reactor.lastPushPtr) reusedBlocks++;
    }
  }
  if (statuses.at(-1) !== STATUS.failed) statuses.push(reactor.finish());
  const ok = statuses.every((s) => s === STATUS.continue || s === STATUS.done);
  return { reactor, statuses, ok, reusedBlocks };
}

/* --- built-in modules in either build --------------------------------------------------- */

const builds = new Map<string, WebAssembly.Module>();
let buildDir: string | undefined;

/** Module `id` built for `abi`: the committed public/modules build for its manifest's ABI,
 * otherwise built from source (once per test process). */
export function builtModule(id: string, abi: Abi): WebAssembly.Module {
  const key = `${id}@${abi}`;
  let module = builds.get(key);
  if (module !== undefined) return module;
  let path = join(repoRoot, 'public/modules', `${id}.wasm`);
  if (committedAbi(id) !== abi) {
    if (buildDir === undefined) {
      const dir = mkdtempSync(join(tmpdir(), 'quiver-builds-'));
      process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
      buildDir = dir;
    }
    path = join(buildDir, `${id}-v${abi}.wasm`);
    buildModuleWasm(id, abi, path);
  }
  module = new WebAssembly.Module(readFileSync(path));
  builds.set(key, module);
  return module;
}

/** Both builds of a one-source module, the committed (v2) first: for `describe.each`. */
export const BOTH_ABIS: Abi[] = [2, 1];

/** The ABI of the committed build of module `id` (its manifest in public/modules). */
export function committedAbi(id: string): Abi {
  const manifest = JSON.parse(
    readFileSync(join(repoRoot, 'public/modules', `${id}.json`), 'utf8'),
  ) as { abi: Abi };
  return manifest.abi;
}

/** One run of a built-in module on one `in` stream. */
export interface BuiltRun {
  /** 0 on success; v1: the exit code (-1 for a trap); v2: 1 for a failed status. */
  exitCode: number;
  stderr: string;
  /** The `out` stream (on success). */
  output: Uint8Array | undefined;
}

/** Runs module `id` (its `abi` build) on `input` (an Arrow IPC stream) with `params`. */
export function runBuiltModule(
  id: string,
  abi: Abi,
  input: Uint8Array,
  params: unknown,
  maxMemoryMiB: number,
): BuiltRun {
  const module = builtModule(id, abi);
  if (abi === 2) {
    const run = runReactor(module, params, input);
    if (run.reactor.memoryBytes > maxMemoryMiB * 1024 * 1024) {
      throw new Error(`${id}: memory limit of ${maxMemoryMiB} MiB exceeded`);
    }
    const output = run.ok ? run.reactor.output() : undefined;
    return { exitCode: run.ok ? 0 : 1, stderr: run.reactor.stderr, output };
  }
  const result = runWasiCommand({
    module,
    files: {
      '/in/in.arrow': input,
      '/params.json': new TextEncoder().encode(JSON.stringify(params)),
    },
    maxMemoryMiB,
  });
  const output = result.exitCode === 0 ? result.outputs['/out/out.arrow'] : undefined;
  return { exitCode: result.exitCode, stderr: result.stderr, output };
}

/** One input port's stream for {@link runBuiltModuleInputs}. */
export interface PortInput {
  /** The port's name (the v1 build reads `/in/<name>.arrow`). */
  name: string;
  /** An Arrow IPC stream. */
  stream: Uint8Array;
}

/**
 * Runs module `id` (its `abi` build) on several inputs, as the host would: v1 reads every
 * `/in/<port>.arrow`; v2 gets every port's schema in port order, then the data of the ports in
 * `order` (port indices: held ports first, as the runtime pushes them), one message per push.
 */
export function runBuiltModuleInputs(
  id: string,
  abi: Abi,
  inputs: PortInput[],
  params: unknown,
  order: number[],
  maxMemoryMiB = 2048,
): BuiltRun {
  const module = builtModule(id, abi);
  if (abi === 1) {
    const files: Record<string, Uint8Array> = {
      '/params.json': new TextEncoder().encode(JSON.stringify(params)),
    };
    for (const input of inputs) files[`/in/${input.name}.arrow`] = input.stream;
    const result = runWasiCommand({ module, files, maxMemoryMiB });
    const output = result.exitCode === 0 ? result.outputs['/out/out.arrow'] : undefined;
    return { exitCode: result.exitCode, stderr: result.stderr, output };
  }
  const reactor = new Reactor(module);
  const statuses = [reactor.begin(params)];
  const messages = inputs.map((input) => splitMessages(input.stream));
  messages.forEach((m, port) => statuses.push(reactor.push(port, m[0] ?? new Uint8Array())));
  for (const port of order) {
    for (const message of (messages[port] ?? []).slice(1)) {
      if (statuses.at(-1) !== STATUS.continue) break;
      statuses.push(reactor.push(port, message));
    }
  }
  if (statuses.at(-1) !== STATUS.failed) statuses.push(reactor.finish());
  const ok = statuses.every((s) => s === STATUS.continue || s === STATUS.done);
  if (reactor.memoryBytes > maxMemoryMiB * 1024 * 1024) {
    throw new Error(`${id}: memory limit of ${maxMemoryMiB} MiB exceeded`);
  }
  const output = ok ? reactor.output() : undefined;
  return { exitCode: ok ? 0 : 1, stderr: reactor.stderr, output };
}
