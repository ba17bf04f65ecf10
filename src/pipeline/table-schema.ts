/**
 * A small, serializable mirror of an Arrow schema: what the host knows about the columns flowing
 * along an edge before (or after) anything runs.
 *
 * Why a mirror and not apache-arrow's `Schema`/`Field`/`DataType`: these values cross
 * `postMessage` (structured clone drops class prototypes), are stored in IndexedDB with the
 * editor's previews, and are compared in tests with `toEqual`. Plain JSON does all three.
 * `fromArrowSchema` (in `arrow-schema.ts`) converts an apache-arrow `Schema` read from real data.
 *
 * Type names follow Arrow's own (`int64`, `utf8`, `timestamp` with a unit and a time zone, ...),
 * covering the types the guest SDK reads (modules/sdk/ABI.md); anything else is kept as
 * `{ type: 'other', arrow }` with apache-arrow's description, so nothing is lost silently.
 */

/** Arrow's time units. */
export type TimeUnit = 'second' | 'millisecond' | 'microsecond' | 'nanosecond';

/** Integer types, also the legal dictionary index types. */
export type IntTypeName =
  'int8' | 'int16' | 'int32' | 'int64' | 'uint8' | 'uint16' | 'uint32' | 'uint64';

/** Types with no parameters. */
export type SimpleTypeName =
  | 'null'
  | 'bool'
  | IntTypeName
  | 'float16'
  | 'float32'
  | 'float64'
  | 'utf8'
  | 'large_utf8'
  | 'binary'
  | 'large_binary'
  | 'date32'
  | 'date64';

/** The Arrow data type of one column. */
export type ColumnType =
  | { type: SimpleTypeName }
  | { type: 'timestamp'; unit: TimeUnit; timezone: string | null }
  | { type: 'time32' | 'time64' | 'duration'; unit: TimeUnit }
  | { type: 'dictionary'; index: IntTypeName; value: ColumnType }
  /** A type the mirror does not model; `arrow` is apache-arrow's `DataType.toString()`. */
  | { type: 'other'; arrow: string };

/** One column: Arrow's *field*. */
export interface ColumnField {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

/** The columns of a table, in order: Arrow's *schema*. */
export interface TableSchema {
  fields: ColumnField[];
}

/**
 * What the host knows about a port's data: a schema, or `unknown` (a CSV or Arrow file not read
 * yet, a module with no inference rule). `unknown` disables column checks downstream; it is not
 * an error. `reason` says why, for the inspector ("CSV columns are known after a preview").
 */
export type SchemaInfo = { known: true; schema: TableSchema } | { known: false; reason: string };

/** Shorthand constructors, for rules and tests. */
export const known = (schema: TableSchema): SchemaInfo => ({ known: true, schema });
export const unknownSchema = (reason: string): SchemaInfo => ({ known: false, reason });

const INT_TYPES: ReadonlySet<string> = new Set([
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'uint16',
  'uint32',
  'uint64',
]);

/** Integer column (plain, not dictionary-encoded). */
export function isIntegerType(t: ColumnType): boolean {
  return INT_TYPES.has(t.type);
}

/** Integer or floating-point column. */
export function isNumericType(t: ColumnType): boolean {
  return isIntegerType(t) || t.type === 'float16' || t.type === 'float32' || t.type === 'float64';
}

/** utf8, large_utf8, or a dictionary of either. */
export function isStringType(t: ColumnType): boolean {
  if (t.type === 'dictionary') return isStringType(t.value);
  return t.type === 'utf8' || t.type === 'large_utf8';
}

/** Short human name, e.g. `int64`, `timestamp[ms, UTC]`, `dictionary<int32, utf8>`. */
export function formatColumnType(t: ColumnType): string {
  switch (t.type) {
    case 'timestamp':
      return `timestamp[${UNIT_ABBREV[t.unit]}${t.timezone ? `, ${t.timezone}` : ''}]`;
    case 'time32':
    case 'time64':
    case 'duration':
      return `${t.type}[${UNIT_ABBREV[t.unit]}]`;
    case 'dictionary':
      return `dictionary<${t.index}, ${formatColumnType(t.value)}>`;
    case 'other':
      return t.arrow;
    default:
      return t.type;
  }
}

const UNIT_ABBREV: Record<TimeUnit, string> = {
  second: 's',
  millisecond: 'ms',
  microsecond: 'us',
  nanosecond: 'ns',
};

/** Find a column by exact name. */
export function findField(schema: TableSchema, name: string): ColumnField | undefined {
  return schema.fields.find((f) => f.name === name);
}
