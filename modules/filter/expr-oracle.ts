/**
 * Test helpers shared by the filter and derive oracle tests: real vega-datasets tables loaded
 * into DuckDB (the oracle) and, with exactly the same values, into Arrow IPC streams (the
 * modules' input); running a built module (either ABI build) on them.
 *
 * Tables use the expression language's own types on the DuckDB side (BIGINT, DOUBLE, VARCHAR,
 * DATE, TIMESTAMP), so DuckDB computes in the same types as the module.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import {
  Bool,
  DataType,
  DateDay,
  Dictionary,
  Field,
  Float64,
  Int32,
  Int64,
  Schema,
  Table,
  TimestampMicrosecond,
  TimestampMillisecond,
  Utf8,
  makeData,
  makeVector,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
  RecordBatch,
  Struct,
} from 'apache-arrow';
import { resolve } from 'node:path';
import { compileExpressionParams } from '../../src/pipeline/expression/index';
import type { Abi } from '../sdk/c-build';
import { committedAbi, runBuiltModule } from '../sdk/reactor.testkit';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const dataDir = resolve(repoRoot, 'node_modules/vega-datasets/data');

/** How a test column is typed in DuckDB and in Arrow. */
export type ColKind =
  'bigint' | 'double' | 'varchar' | 'dict' | 'date' | 'ts_us' | 'ts_ms_utc' | 'bool';

/** SQL that reads column `name` of kind `kind` as a plain JS-friendly value. */
function sqlRead(name: string, kind: ColKind): string {
  const q = `"${name}"`;
  switch (kind) {
    case 'date':
      return `date_diff('day', DATE '1970-01-01', ${q})::INTEGER`;
    case 'ts_us':
    case 'ts_ms_utc':
      return `epoch_us(${q})`;
    default:
      return q;
  }
}

function arrowType(kind: ColKind): DataType {
  switch (kind) {
    case 'bigint':
      return new Int64();
    case 'double':
      return new Float64();
    case 'varchar':
      return new Utf8();
    case 'dict':
      return new Dictionary(new Utf8(), new Int32());
    case 'date':
      return new DateDay();
    case 'ts_us':
      return new TimestampMicrosecond();
    case 'ts_ms_utc':
      return new TimestampMillisecond('UTC');
    case 'bool':
      return new Bool();
  }
}

type Cell = number | bigint | string | boolean | null;

function validity(values: readonly Cell[]): { bitmap: Uint8Array; nullCount: number } {
  const bitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else bitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { bitmap, nullCount };
}

/** Builds an Arrow vector of `kind` from plain values (as read by {@link sqlRead}). */
function vectorOf(kind: ColKind, values: readonly Cell[]) {
  const type = arrowType(kind);
  const { bitmap, nullCount } = validity(values);
  const length = values.length;
  const num = (v: Cell) => (v === null ? 0 : Number(v));
  const big = (v: Cell) => (v === null ? 0n : BigInt(v as number | bigint));
  switch (kind) {
    case 'bigint':
    case 'ts_us':
      return makeVector(
        makeData({
          type: type as Int64,
          length,
          nullCount,
          nullBitmap: bitmap,
          data: BigInt64Array.from(values, big),
        }),
      );
    case 'ts_ms_utc':
      return makeVector(
        makeData({
          type: type as TimestampMillisecond,
          length,
          nullCount,
          nullBitmap: bitmap,
          data: BigInt64Array.from(values, (v) => big(v) / 1000n),
        }),
      );
    case 'double':
      return makeVector(
        makeData({
          type: type as Float64,
          length,
          nullCount,
          nullBitmap: bitmap,
          data: Float64Array.from(values, num),
        }),
      );
    case 'date':
      return makeVector(
        makeData({
          type: type as DateDay,
          length,
          nullCount,
          nullBitmap: bitmap,
          data: Int32Array.from(values, num),
        }),
      );
    default:
      return vectorFromArray(values as (string | boolean | null)[], type);
  }
}

/** A loaded test table: in DuckDB as `name`, and as an Arrow IPC stream of `batchRows` rows per batch. */
export interface TestTable {
  name: string;
  columns: { name: string; kind: ColKind }[];
  arrow: Table;
  ipc: Uint8Array;
}

/**
 * Creates table `name` in DuckDB from `selectSql` (which must produce a `rid` BIGINT row id and
 * the listed columns), then reads it back to build the Arrow table, split into record batches
 * of `batchRows` rows (the module must handle several batches).
 */
export async function loadTable(
  conn: DuckDBConnection,
  name: string,
  selectSql: string,
  columns: { name: string; kind: ColKind }[],
  batchRows = 1000,
): Promise<TestTable> {
  await conn.run(`CREATE TABLE ${name} AS ${selectSql}`);
  const reader = await conn.runAndReadAll(
    `SELECT ${columns.map((c) => sqlRead(c.name, c.kind)).join(', ')} FROM ${name} ORDER BY rid`,
  );
  const cols = reader.getColumnsJS() as Cell[][];
  const fields = columns.map((c) => new Field(c.name, arrowType(c.kind), true));
  const whole = columns.map((c, i) => vectorOf(c.kind, cols[i]!));
  const n = cols[0]!.length;
  const batches: RecordBatch[] = [];
  const schema = new Schema(fields);
  for (let start = 0; start < n || (n === 0 && start === 0); start += batchRows) {
    const end = Math.min(n, start + batchRows);
    const children = whole.map((v) => v.slice(start, end).data[0]!);
    const data = makeData({
      type: new Struct(fields),
      length: end - start,
      nullCount: 0,
      children,
    });
    batches.push(new RecordBatch(schema, data));
    if (n === 0) break;
  }
  const arrow = new Table(schema, batches);
  return { name, columns, arrow, ipc: tableToIPC(arrow, 'stream') };
}

/** A fresh in-memory DuckDB connection, in UTC. */
export async function openDuckDB(): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  await conn.run("SET TimeZone = 'UTC'");
  return conn;
}

/**
 * Compiles `params.expression` against the table's schema (unless `compile` is false: then
 * `params` go to the module as they are), runs module `id` on the table (its committed build,
 * or its build for `abi`), and returns the output table; throws with the module's stderr if
 * it fails.
 */
export function runExpressionModule(
  id: 'filter' | 'derive',
  table: TestTable,
  params: Record<string, unknown>,
  {
    compile = true,
    input = table.ipc,
    abi = committedAbi(id),
  }: { compile?: boolean; input?: Uint8Array; abi?: Abi } = {},
): Table {
  let finalParams = params;
  if (compile) {
    const compiled = compileExpressionParams(id, params, table.arrow.schema);
    if (!compiled.ok) throw new Error(compiled.errors.map((e) => e.message).join('; '));
    finalParams = compiled.params;
  }
  const result = runBuiltModule(id, abi, input, finalParams, 512);
  if (result.exitCode !== 0) throw new Error(`${id} failed (ABI v${abi}):\n${result.stderr}`);
  if (!result.output) throw new Error(`${id} wrote no output`);
  return tableFromIPC(result.output);
}

/** All values of an Arrow column as plain cells, in the units {@link sqlRead} gives (dates in
 * days, timestamps in µs as bigint), read from the raw buffers for temporal types. */
export function columnCells(table: Table, column: string): Cell[] {
  const vector = table.getChild(column);
  if (!vector) throw new Error(`no column ${column}`);
  const out: Cell[] = [];
  for (const data of vector.data) {
    const type = data.type as DataType;
    const chunk = makeVector(data);
    for (let i = 0; i < data.length; i++) {
      if (!data.getValid(i)) {
        out.push(null);
      } else if (DataType.isDate(type)) {
        out.push((data.values as Int32Array)[i]!);
      } else if (DataType.isTimestamp(type)) {
        const raw = (data.values as BigInt64Array)[i]!;
        const scale = [1_000_000n, 1000n, 1n, 1n][(type as TimestampMicrosecond).unit]!;
        out.push((type as TimestampMicrosecond).unit === 3 ? raw / 1000n : raw * scale);
      } else {
        out.push(chunk.get(i) as Cell);
      }
    }
  }
  return out;
}

/** Whether two cells are equal under the oracle rules: floats to 1e-9 relative. */
export function sameCell(a: Cell, b: Cell): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'bigint' || typeof b === 'bigint')
    return BigInt(a as number) === BigInt(b as number);
  if (typeof a === 'number' && typeof b === 'number') {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
    return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b)) || a === b;
  }
  return a === b;
}

/** Reads one column of a DuckDB query as plain cells. */
export async function duckColumn(conn: DuckDBConnection, sql: string): Promise<Cell[]> {
  const reader = await conn.runAndReadAll(sql);
  return (reader.getColumnsJS()[0] ?? []) as Cell[];
}
