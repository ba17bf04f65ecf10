/**
 * Test harness of the csv module: builds `modules/csv/*.c` with the SDK for ABI 1 (a WASI
 * command, the SDK's v1 driver) or ABI 2 (a reactor, the v2 driver; the shipped build) with
 * modules/sdk/c-build.ts into `node_modules/.cache/quiver-csv/`, keyed by the ABI and the
 * SHA-256 of every source, and runs it: v1 with the runtime's WASI host, v2 by pushing the
 * input in chunks as the host does (ABI.md 11). Tests use the source build, so they test the
 * code as it is; `npm run check:modules` ties the committed public/modules/csv.wasm to the
 * same sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC, type Table } from 'apache-arrow';
import { concatStream } from '../../src/runtime/ipc';
import {
  ReactorError,
  ReactorInstance,
  type ReactorOptions,
  type ReactorOutput,
} from '../../src/runtime/reactor-host';
import { runWasiCommand } from '../../src/runtime/wasi-host';
import { type Abi, buildWasm, moduleSources } from '../sdk/c-build';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The shared CSV conformance files (`shared/conformance/csv`): beside the repository
 * (/work/main → /work/shared), or one level further up from a git worktree
 * (/work/wt/<name> → /work/shared).
 */
export const conformanceDir =
  [join(repoRoot, '..'), join(repoRoot, '..', '..')]
    .map((root) => join(root, 'shared', 'conformance', 'csv'))
    .find((dir) => existsSync(dir)) ?? join(repoRoot, '..', 'shared', 'conformance', 'csv');
const cacheDir = join(repoRoot, 'node_modules', '.cache', 'quiver-csv');

/** C sources and headers of a folder, without unit tests and fuzz targets. */
function cSources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter(
      (f) =>
        /\.[ch]$/.test(f) &&
        !f.endsWith('_test.c') &&
        !f.startsWith('fuzz_') &&
        !/^step_v\d+\.c$/.test(f), // the SDK's ABI drivers; this build has its own main
    )
    .sort()
    .map((f) => `${dir}/${f}`);
}

const cached = new Map<Abi, WebAssembly.Module>();

/** The csv module built for `abi` from the current sources (compiled once per process). */
export function csvModule(abi: Abi = 2): WebAssembly.Module {
  const known = cached.get(abi);
  if (known) return known;
  const files = [...cSources('modules/csv'), ...cSources('modules/sdk')];
  const hash = createHash('sha256').update(`abi ${abi}`);
  for (const f of files) hash.update(f).update(readFileSync(join(repoRoot, f)));
  const target = join(cacheDir, `csv-v${abi}-${hash.digest('hex').slice(0, 16)}.wasm`);
  if (!existsSync(target)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    buildWasm(moduleSources('csv'), partial, { abi });
    renameSync(partial, target);
  }
  const module = new WebAssembly.Module(readFileSync(target));
  cached.set(abi, module);
  return module;
}

/** Result of one run of the csv module. */
export interface CsvRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** The decoded output, when the module succeeded. */
  table?: Table;
  /** Number of record batches in the output stream. */
  batchCount: number;
  /** The output stream (with its end-of-stream marker), when the module succeeded. */
  output: Uint8Array | undefined;
  /** Size of the output stream, in bytes. */
  outputSizeBytes: number;
  /** Size of the module's linear memory at the end (its peak: memory never shrinks). */
  memoryBytes: number;
}

/** How {@link runCsv} runs the module. */
export interface CsvRunOptions {
  /** Decode the output (default true); apache-arrow takes seconds for 10^4 columns. */
  decode?: boolean;
  /** Cap on the module's memory, as the step limit. */
  maxMemoryMiB?: number;
  /** The build: 2 (default, the shipped reactor) or 1 (a command reading /in/csv.bytes). */
  abi?: Abi;
  /** v2: bytes per qv_push (default 65,536); the chunks split lines and characters. */
  chunkBytes?: number;
}

/** What a module run gives before decoding. */
interface RawRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  output: Uint8Array | undefined;
  memoryBytes: number;
}

/**
 * Runs the v2 build with the runtime's own host (`ReactorInstance`): qv_begin(params), qv_push
 * of `input` in chunks of `chunkBytes` to port 0, qv_finish, draining output 0 after every
 * call and checking the memory cap after every call. A failed call is exit code 1, its message
 * appended to stderr unless stderr already ends with it.
 */
function runReactor(
  input: Uint8Array,
  params: Uint8Array,
  chunkBytes: number,
  maxMemoryMiB: number | undefined,
): RawRun {
  const logs = { stdout: '', stderr: '' };
  const options: ReactorOptions = {
    module: csvModule(2),
    outputs: 1,
    args: ['csv'],
    onLine: (stream, line) => (logs[stream] += `${line}\n`),
  };
  if (maxMemoryMiB !== undefined) options.maxMemoryMiB = maxMemoryMiB;
  const reactor = new ReactorInstance(options);
  const messages: Uint8Array[] = [];
  const keep = (outputs: ReactorOutput[]): void => {
    for (const o of outputs) messages.push(new Uint8Array(o.buffer));
  };
  try {
    keep(reactor.begin(params));
    let status = 'continue';
    for (let at = 0; status === 'continue' && at < input.length; at += chunkBytes) {
      const pushed = reactor.push(0, input.subarray(at, at + chunkBytes));
      keep(pushed.outputs);
      status = pushed.status;
    }
    keep(reactor.finish());
  } catch (error) {
    if (!(error instanceof ReactorError)) throw error;
    const last = error.stderrTail.at(-1);
    if (last === undefined || !logs.stderr.endsWith(`${last}\n`))
      logs.stderr += `${error.message}\n`;
    return { exitCode: 1, ...logs, output: undefined, memoryBytes: reactor.memoryBytes };
  }
  return { exitCode: 0, ...logs, output: concatStream(messages), memoryBytes: reactor.memoryBytes };
}

/** Runs the v1 build with /in/csv.bytes and /params.json. */
function runCommand(input: Uint8Array, params: Uint8Array, maxMemoryMiB?: number): RawRun {
  const result = runWasiCommand({
    module: csvModule(1),
    files: { '/in/csv.bytes': input, '/params.json': params },
    ...(maxMemoryMiB === undefined ? {} : { maxMemoryMiB }),
  });
  return {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    output: result.outputs['/out/out.arrow'],
    memoryBytes: result.memoryBytes,
  };
}

/**
 * Runs the csv module on `input` (text is UTF-8 encoded) with `params`, in its v2 build
 * (input pushed in chunks) unless `options.abi` is 1.
 */
export function runCsv(
  input: string | Uint8Array,
  params: Record<string, unknown> = {},
  options: CsvRunOptions = {},
): CsvRun {
  const { decode = true, maxMemoryMiB, abi = 2, chunkBytes = 65_536 } = options;
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const paramBytes = new TextEncoder().encode(JSON.stringify(params));
  const raw =
    abi === 2
      ? runReactor(bytes, paramBytes, chunkBytes, maxMemoryMiB)
      : runCommand(bytes, paramBytes, maxMemoryMiB);
  const run: CsvRun = {
    exitCode: raw.exitCode,
    stdout: raw.stdout,
    stderr: raw.stderr,
    batchCount: 0,
    output: raw.exitCode === 0 ? raw.output : undefined,
    outputSizeBytes: raw.output?.byteLength ?? 0,
    memoryBytes: raw.memoryBytes,
  };
  if (decode && raw.exitCode === 0 && raw.output) {
    run.table = tableFromIPC(raw.output);
    run.batchCount = run.table.batches.length;
  }
  return run;
}

/** Column `name` of `table` as plain values (null for nulls), in row order. */
export function columnValues(table: Table, name: string): unknown[] {
  const column = table.getChild(name);
  if (!column)
    throw new Error(`no column "${name}" in ${table.schema.fields.map((f) => f.name).join(', ')}`);
  return [...column];
}

/**
 * Column `name` as exact values read from the Arrow buffers: int64 and timestamp (µs) as
 * bigint, date32 as days (number), float64 as number, bool as boolean, utf8 as string; null
 * for nulls.
 */
export function rawValues(table: Table, name: string): unknown[] {
  const column = table.getChild(name);
  if (!column)
    throw new Error(`no column "${name}" in ${table.schema.fields.map((f) => f.name).join(', ')}`);
  const out: unknown[] = [];
  for (const data of column.data) {
    const values = data.values as ArrayLike<unknown>;
    for (let i = 0; i < data.length; i++) {
      if (!data.getValid(i)) out.push(null);
      else if (
        values instanceof Int32Array ||
        values instanceof BigInt64Array ||
        values instanceof Float64Array
      ) {
        out.push(values[data.offset + i]);
      } else {
        out.push(column.get(out.length));
      }
    }
  }
  return out;
}

/** Field types of `table` as strings ("Int64", "Float64", "Date32<DAY>", ...) by name. */
export function typesOf(table: Table): Record<string, string> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, String(f.type)]));
}
