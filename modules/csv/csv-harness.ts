/**
 * Test harness of the csv module: builds `modules/csv/*.c` with the SDK to wasm (the same
 * clang-19 flags as scripts/build-modules.mjs) into `node_modules/.cache/quiver-csv/`, keyed
 * by the SHA-256 of every source, and runs it with the runtime's WASI host. Tests use the
 * source build, so they test the code as it is; `npm run check:modules` ties the committed
 * public/modules/csv.wasm to the same sources.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC, type Table } from 'apache-arrow';
import { runWasiCommand } from '../../src/runtime/wasi-host';

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

/** C sources of a folder, without unit tests and fuzz targets (as the build script does). */
function cSources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir))
    .filter((f) => /\.[ch]$/.test(f) && !f.endsWith('_test.c') && !f.startsWith('fuzz_'))
    .sort()
    .map((f) => `${dir}/${f}`);
}

let cached: WebAssembly.Module | undefined;

/** The csv module compiled from the current sources (compiled once per process). */
export function csvModule(): WebAssembly.Module {
  if (cached) return cached;
  const files = [...cSources('modules/csv'), ...cSources('modules/sdk')];
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(repoRoot, f)));
  const target = join(cacheDir, `csv-${hash.digest('hex').slice(0, 16)}.wasm`);
  if (!existsSync(target)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    const flags = ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-std=c11', '-Wall', '-Wextra'];
    flags.push('-Werror', '-Imodules/sdk', '-Wl,--strip-all');
    execFileSync(
      'clang-19',
      [...flags, '-o', relative(repoRoot, partial), ...files.filter((f) => f.endsWith('.c'))],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    renameSync(partial, target);
  }
  cached = new WebAssembly.Module(readFileSync(target));
  return cached;
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
  /** Size of the output stream, in bytes. */
  outputSizeBytes: number;
  /** Size of the module's linear memory at the end (its peak: memory never shrinks). */
  memoryBytes: number;
}

/**
 * Runs the csv module on `input` (text is UTF-8 encoded) with `params` as /params.json.
 * `decode: false` skips decoding the output (apache-arrow takes seconds for 10^4 columns);
 * `maxMemoryMiB` caps the module's memory as the step limit does.
 */
export function runCsv(
  input: string | Uint8Array,
  params: Record<string, unknown> = {},
  { decode = true, maxMemoryMiB }: { decode?: boolean; maxMemoryMiB?: number } = {},
): CsvRun {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const result = runWasiCommand({
    module: csvModule(),
    files: {
      '/in/csv.bytes': bytes,
      '/params.json': new TextEncoder().encode(JSON.stringify(params)),
    },
    ...(maxMemoryMiB === undefined ? {} : { maxMemoryMiB }),
  });
  const out = result.outputs['/out/out.arrow'];
  const run: CsvRun = {
    exitCode: result.exitCode,
    stdout: result.stdout,
    stderr: result.stderr,
    batchCount: 0,
    outputSizeBytes: out?.byteLength ?? 0,
    memoryBytes: result.memoryBytes,
  };
  if (decode && result.exitCode === 0 && out) {
    run.table = tableFromIPC(out);
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
