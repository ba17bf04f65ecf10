/**
 * Test kit shared by the select, limit, sort and aggregate module tests: runs a built module
 * (public/modules/<id>.wasm) on an Arrow table through the real WASI host, loads the
 * vega-datasets tables identically into DuckDB (the oracle) and into Arrow, and compares
 * results cell by cell (integers exactly, floats to 1e-9 relative, nulls by position).
 *
 * Every dataset reaches both sides through one Parquet file: DuckDB reads it with
 * `file_row_number` (so tests can state input order in SQL), parquet-wasm turns it into the
 * Arrow IPC stream the module reads.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  Dictionary,
  Int32,
  Int8,
  RecordBatch,
  Table,
  Type,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import type { DataType, Vector } from 'apache-arrow';
import { readParquet, writeParquet, Table as ParquetTable } from 'parquet-wasm';
import { DuckDBInstance } from '@duckdb/node-api';
import type { DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { Abi } from '../sdk/c-build';
import { builtModule, committedAbi, runBuiltModule } from '../sdk/reactor.testkit';

/** Repository root (this file is modules/sort/testkit.ts). */
export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const DATA_DIR = join(REPO_ROOT, 'node_modules/vega-datasets/data');

/** The committed build of module `id`, compiled once per test process. */
export function loadModule(id: string): WebAssembly.Module {
  return builtModule(id, committedAbi(id));
}

/** What a module run gave: exit code, stderr, and the decoded output (when it succeeded). */
export interface ModuleRun {
  exitCode: number;
  stderr: string;
  output: Table | undefined;
  /** Wall-clock time of the run, in milliseconds. */
  elapsedMs: number;
  /** CPU time (user + system) of this process during the run, in milliseconds: less
   * sensitive than wall time to other processes on a shared machine. */
  cpuMs: number;
}

/** Runs module `id` on `input` (its `in` port) with `params`: its committed build, or its
 * build for `abi` (ABI v1 through /in/in.arrow and /params.json, v2 pushed batch by batch). */
export function runModule(
  id: string,
  input: Uint8Array,
  params: unknown,
  abi: Abi = committedAbi(id),
): ModuleRun {
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = runBuiltModule(id, abi, input, params, 2048);
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const output = result.output !== undefined ? tableFromIPC(result.output) : undefined;
  return { exitCode: result.exitCode, stderr: result.stderr, output, elapsedMs, cpuMs };
}

/** Runs module `id` (see {@link runModule}) and returns its output table; fails the test with
 * stderr otherwise. */
export function runOk(id: string, input: Uint8Array | Table, params: unknown, abi?: Abi): Table {
  const bytes = input instanceof Table ? tableToIPC(input, 'stream') : input;
  const run = runModule(id, bytes, params, abi);
  if (run.exitCode !== 0 || run.output === undefined) {
    throw new Error(`${id} exited with ${run.exitCode}: ${run.stderr}`);
  }
  return run.output;
}

/** Runs module `id` (see {@link runModule}), expects it to fail, and returns its stderr. */
export function runFails(
  id: string,
  input: Uint8Array | Table,
  params: unknown,
  abi?: Abi,
): string {
  const bytes = input instanceof Table ? tableToIPC(input, 'stream') : input;
  const run = runModule(id, bytes, params, abi);
  expect(run.exitCode, `expected ${id} to fail; stderr: ${run.stderr}`).not.toBe(0);
  return run.stderr;
}

/** A DuckDB connection with helpers; close with `close()`. */
export interface Oracle {
  connection: DuckDBConnection;
  /** A temporary directory for the Parquet files the loaders write; removed by `close()`. */
  scratchDir: string;
  /** Runs `sql` and returns its columns by name, as JS values (bigint, number, Date...). */
  columns(sql: string): Promise<Record<string, unknown[]>>;
  /** Closes DuckDB and removes `scratchDir`. */
  close(): void;
}

/** Opens an in-memory DuckDB (2 threads) with its own scratch directory. */
export async function openOracle(): Promise<Oracle> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('SET threads = 2');
  const scratchDir = mkdtempSync(join(tmpdir(), 'quiver-relational-'));
  return {
    connection,
    scratchDir,
    async columns(sql: string) {
      const reader = await connection.runAndReadAll(sql);
      const names = reader.columnNames();
      const values = reader.getColumnsJS();
      return Object.fromEntries(names.map((n, i) => [n, values[i] ?? []]));
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(scratchDir, { recursive: true, force: true });
    },
  };
}

/** Reads a Parquet file into an Arrow table (record batches of `batchRows` rows). */
export function parquetToArrow(path: string, batchRows = 1 << 20): Table {
  return tableFromIPC(readParquet(readFileSync(path), { batchSize: batchRows }).intoIPCStream());
}

/**
 * Loads a vega-datasets file as DuckDB table `name` (with a `file_row_number` column giving
 * input order) and as the Arrow table a module reads. CSV files are typed by DuckDB's sniffer
 * and go through Parquet; `.arrow` files are written to Parquet with parquet-wasm.
 */
export async function loadDataset(
  oracle: Oracle,
  name: string,
  file: string,
  batchRows?: number,
): Promise<Table> {
  const source = join(DATA_DIR, file);
  let parquet: string;
  if (file.endsWith('.parquet')) {
    parquet = source;
  } else if (file.endsWith('.csv')) {
    parquet = join(oracle.scratchDir, `${name}.parquet`);
    await oracle.connection.run(
      `COPY (SELECT * FROM read_csv('${source}')) TO '${parquet}' (FORMAT parquet)`,
    );
  } else {
    parquet = join(oracle.scratchDir, `${name}.parquet`);
    const ipc = tableToIPC(tableFromIPC(readFileSync(source)), 'stream');
    writeFileSync(parquet, writeParquet(ParquetTable.fromIPCStream(ipc)));
  }
  await oracle.connection.run(
    `CREATE TABLE ${name} AS SELECT * FROM read_parquet('${parquet}', file_row_number = true)`,
  );
  return parquetToArrow(parquet, batchRows);
}

/**
 * Materialises the result of `sql` (DuckDB) as DuckDB table `name`, with `file_row_number`
 * giving its row order, and returns the same rows as an Arrow table. Use it to give the
 * module and the oracle identical derived data (nulls, casts, special values).
 */
export async function loadQuery(
  oracle: Oracle,
  name: string,
  sql: string,
  batchRows?: number,
): Promise<Table> {
  const parquet = join(oracle.scratchDir, `${name}.parquet`);
  await oracle.connection.run(`COPY (${sql}) TO '${parquet}' (FORMAT parquet)`);
  await oracle.connection.run(
    `CREATE TABLE ${name} AS SELECT * FROM read_parquet('${parquet}', file_row_number = true)`,
  );
  return parquetToArrow(parquet, batchRows);
}

/** `table` as one record batch (re-built column by column; meant for small tables). */
function singleBatch(table: Table): RecordBatch {
  if (table.batches.length === 1) return table.batches[0]!;
  const columns: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    columns[f.name] = vectorFromArray([...table.getChild(f.name)!], f.type);
  }
  return new Table(columns).batches[0]!;
}

/**
 * Re-cuts `table` into record batches of the given sizes in order (0 makes an empty batch);
 * rows left after the list go in batches of the last non-zero size.
 */
export function rechunk(table: Table, sizes: number[]): Table {
  const whole = singleBatch(table);
  const n = table.numRows;
  const batches: RecordBatch[] = [];
  let at = 0;
  const cut = (size: number) => {
    const end = Math.min(at + size, n);
    batches.push(whole.slice(at, end));
    at = end;
  };
  for (const size of sizes) cut(size);
  const step = sizes.filter((s) => s > 0).at(-1) ?? n;
  while (at < n) cut(step);
  return new Table(whole.schema, batches);
}

/**
 * Replaces string column `name` by a dictionary-encoded one (int32 indices, one dictionary
 * shared by every row, in first-appearance order, so index order is not value order).
 * The result is one record batch; re-cut it with {@link rechunk} (slices share the dictionary).
 */
export function dictionaryEncode(table: Table, name: string): Table {
  const columns: Record<string, Vector> = {};
  for (const f of table.schema.fields) {
    const values = [...table.getChild(f.name)!];
    columns[f.name] =
      f.name === name
        ? vectorFromArray(values as (string | null)[], new Dictionary(new Utf8(), new Int32()))
        : vectorFromArray(values, f.type);
  }
  return new Table(columns);
}

/**
 * Re-cuts `table` into batches of `batchRows` rows with string column `name`
 * dictionary-encoded separately in each batch (int8 indices): each batch carries its own
 * dictionary, so the IPC stream holds dictionary replacements or deltas.
 */
export function dictionaryPerBatch(table: Table, name: string, batchRows: number): Table {
  const type = new Dictionary(new Utf8(), new Int8());
  const batches: RecordBatch[] = [];
  for (let at = 0; at < table.numRows; at += batchRows) {
    const part = table.slice(at, Math.min(at + batchRows, table.numRows));
    const columns: Record<string, Vector> = {};
    for (const f of table.schema.fields) {
      const values = [...part.getChild(f.name)!];
      columns[f.name] =
        f.name === name
          ? vectorFromArray(values as (string | null)[], type)
          : vectorFromArray(values, f.type);
    }
    batches.push(...new Table(columns).batches);
  }
  return new Table(batches);
}

/** `table`'s schema with no record batch at all (an IPC stream of schema and end marker). */
export function withoutBatches(table: Table): Table {
  return new Table(table.schema, []);
}

/** Value of one cell as a comparable JS value: strings, numbers, bigints, or null. */
function cell(value: unknown): unknown {
  if (value instanceof Date) return value.getTime();
  return value ?? null;
}

function isFloat(type: DataType): boolean {
  return type.typeId === Type.Float;
}

/** Why `a` (module) and `e` (oracle) differ as cells of a column, or undefined if equal. */
function cellMismatch(a: unknown, e: unknown, float: boolean): string | undefined {
  if (a === null || e === null) return a === e ? undefined : 'null differs from a value';
  if (float) {
    const x = Number(a);
    const y = Number(e);
    if (Number.isNaN(x) || Number.isNaN(y)) {
      return Number.isNaN(x) && Number.isNaN(y) ? undefined : 'NaN differs from a number';
    }
    if (x === y) return undefined;
    const relative = Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y));
    return relative <= 1e-9 ? undefined : `relative difference ${relative}`;
  }
  if (typeof a === 'bigint' || typeof e === 'bigint') {
    return BigInt(a as bigint) === BigInt(e as bigint) ? undefined : 'integers differ';
  }
  return a === e ? undefined : 'values differ';
}

/**
 * Expects column `name` of `actual` to equal `expected` (a DuckDB column), row by row:
 * nulls at the same rows, integers (bigint or number) exactly, floats to 1e-9 relative
 * (NaN equals NaN), dates and timestamps as epoch milliseconds, strings exactly. Reports the
 * first differing row.
 */
export function expectColumn(actual: Table, name: string, expected: unknown[]): void {
  const vector = actual.getChild(name);
  expect(vector, `output column "${name}"`).not.toBeNull();
  expect(vector!.length, `rows of "${name}"`).toBe(expected.length);
  const float = isFloat(vector!.type);
  const values: unknown[] = [...vector!];
  for (let i = 0; i < expected.length; i++) {
    const a = cell(values[i]);
    const e = cell(expected[i]);
    const why = cellMismatch(a, e, float);
    if (why !== undefined) {
      expect.fail(`column "${name}" row ${i}: ${why}: module ${String(a)}, DuckDB ${String(e)}`);
    }
  }
}

/** Expects every column of `expected` (DuckDB, by name) to match the same column of `actual`,
 * and `actual` to have exactly those columns in that order. */
export function expectTable(actual: Table, expected: Record<string, unknown[]>): void {
  expect(actual.schema.fields.map((f) => f.name)).toEqual(Object.keys(expected));
  for (const [name, values] of Object.entries(expected)) expectColumn(actual, name, values);
}
