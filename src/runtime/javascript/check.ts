/**
 * Checks of a JavaScript step's code made in the page, before any run: a syntax check
 * (QuickJS compiles the code without running it) and the output schema inferred on a synthetic
 * one-row sample built from the input schema (numbers 1, strings "a", booleans true, dates
 * 1970-01-01). A sample row cannot stand for every row: the schema is a preview, the run is the
 * truth (a column that is only sometimes set, or a type that depends on the values, may differ).
 */
import {
  Bool,
  Int8,
  Int16,
  Int32,
  Uint8,
  Uint16,
  Uint32,
  DateDay,
  DateMillisecond,
  Field,
  Float64,
  RecordBatch,
  Schema,
  Table,
  Utf8,
  vectorFromArray,
  type DataType,
} from 'apache-arrow';
import { fromArrowSchema } from '../../pipeline/arrow-schema';
import type { ColumnType, TableSchema } from '../../pipeline/table-schema';
import { PRELUDE_FILE } from './prelude';
import { loadQuickJS } from './quickjs';
import { JsSandbox, JsStepError, userPosition, type JsMode } from './sandbox';
import { fromTransfer, toTransfer } from './transfer';

/** A problem in the code, with its 1-based position when QuickJS gave one. */
export interface CodeProblem {
  line?: number;
  column?: number;
  message: string;
}

/** Limits of a check in the page: short, so that a loop in the code never hangs the editor. */
const CHECK_LIMITS = { timeoutMs: 500, maxMemoryMiB: 32 };

/** The syntax error of `code`, or null when it compiles. */
export async function checkSyntax(code: string): Promise<CodeProblem | null> {
  const quickjs = await loadQuickJS();
  const context = quickjs.newContext();
  try {
    const result = context.evalCode(code, 'step.js', { compileOnly: true });
    if (result.error === undefined) {
      result.value.dispose();
      return null;
    }
    const error = context.dump(result.error) as { name?: string; message?: string; stack?: string };
    result.error.dispose();
    const position = userPosition(error.stack);
    return { ...position, message: `${error.name ?? 'SyntaxError'}: ${error.message ?? ''}` };
  } finally {
    context.dispose();
  }
}

/** Integer types passed as typed arrays of their own (64-bit ones pass as float64). */
const SMALL_INTS: Record<string, new () => DataType> = {
  int8: Int8,
  int16: Int16,
  int32: Int32,
  uint8: Uint8,
  uint16: Uint16,
  uint32: Uint32,
};

/** The sample value and Arrow type of a column of `type`, or undefined when unsupported. */
function sampleOf(type: ColumnType): { value: unknown; arrow: DataType } | undefined {
  switch (type.type) {
    case 'utf8':
    case 'large_utf8':
      return { value: 'a', arrow: new Utf8() };
    case 'bool':
      return { value: true, arrow: new Bool() };
    case 'date32':
      return { value: new Date(0), arrow: new DateDay() };
    case 'date64':
    case 'timestamp':
      return { value: new Date(0), arrow: new DateMillisecond() };
    case 'dictionary':
      return sampleOf(type.value);
    default: {
      const Int = SMALL_INTS[type.type];
      if (Int !== undefined) return { value: 1, arrow: new Int() };
      return /int|float/.test(type.type) ? { value: 1, arrow: new Float64() } : undefined;
    }
  }
}

/** One synthetic row with the columns of `input` (unsupported types left out). */
function sampleBatch(input: TableSchema): RecordBatch {
  const columns: Record<string, ReturnType<typeof vectorFromArray>> = {};
  const fields: Field[] = [];
  for (const field of input.fields) {
    const sample = sampleOf(field.type);
    if (sample === undefined) continue;
    columns[field.name] = vectorFromArray([sample.value], sample.arrow as never);
    fields.push(new Field(field.name, sample.arrow, true));
  }
  const table = new Table(columns);
  return table.batches[0] ?? new RecordBatch(new Schema(fields));
}

/**
 * The output schema of `code` on a one-row sample of `input`, or the problem that stopped it
 * (an error with its position, a time or memory limit of the check).
 */
export async function inferOutput(
  code: string,
  mode: JsMode,
  input: TableSchema,
): Promise<{ schema: TableSchema } | { problem: CodeProblem }> {
  const batch = sampleBatch(input);
  try {
    const sandbox = new JsSandbox(await loadQuickJS(), code, mode, CHECK_LIMITS);
    try {
      return {
        schema: fromArrowSchema(fromTransfer(sandbox.call(toTransfer(batch)), batch.schema).schema),
      };
    } finally {
      sandbox.dispose();
    }
  } catch (error) {
    if (!(error instanceof JsStepError)) throw error;
    const message = error.message.replace(PRELUDE_FILE, 'the step');
    return { problem: { ...error.position, message } };
  }
}
