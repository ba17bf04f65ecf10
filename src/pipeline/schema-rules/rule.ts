/**
 * Schema rules: for a built-in module, how its output schemas follow from its params and input
 * schemas, and which params name columns that must exist. `inferSchemas` (`../infer.ts`)
 * runs them in topological order, so column references are checked before anything runs.
 */
import { suggest } from '../expression/suggest';
import {
  unknownSchema,
  type ColumnField,
  type SchemaInfo,
  type TableSchema,
} from '../table-schema';

/** A problem a rule found in the step's params. */
export interface RuleIssue {
  /** JSON pointer into the params, e.g. `/keys/0/column`. */
  field: string;
  /** Without the step and field prefix, e.g. `no column "tmp" in the input (did you mean "temp"?)`. */
  message: string;
  severity: 'error' | 'warning';
}

/** What a rule is given. */
export interface RuleContext {
  /** The step's params, already valid against the module's params schema. */
  params: Record<string, unknown>;
  /** Schema of each input port (`unknown` when not connected or not inferable). */
  inputs: Readonly<Record<string, SchemaInfo>>;
  /** This step's output schemas seen in a previous run or preview, if any. */
  known: Readonly<Record<string, TableSchema>> | undefined;
}

/** What a rule returns: a schema per output port, and problems found. */
export interface RuleResult {
  outputs: Record<string, SchemaInfo>;
  issues: RuleIssue[];
}

/** One module's rule. */
export type SchemaRule = (ctx: RuleContext) => RuleResult;

/** `no column "tmp" in the input (did you mean "temp"?)`, or listing the columns if none is close. */
export function missingColumnMessage(name: string, schema: TableSchema): string {
  const names = schema.fields.map((f) => f.name);
  const close = suggest(name, names);
  if (close !== undefined) return `no column "${name}" in the input (did you mean "${close}"?)`;
  const list = names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : 'none';
  return `no column "${name}" in the input (columns: ${list})`;
}

/**
 * Look up `name` in `schema`; on a miss, push an error at `field` and return undefined. A name
 * not given yet (a list item just added in the form, still empty) is no column and no issue
 * here: the params' validation already says the field is to be filled.
 */
export function requireColumn(
  schema: TableSchema,
  name: string,
  field: string,
  issues: RuleIssue[],
): ColumnField | undefined {
  if (typeof name !== 'string' || name === '') return undefined;
  const f = schema.fields.find((c) => c.name === name);
  if (!f) issues.push({ field, message: missingColumnMessage(name, schema), severity: 'error' });
  return f;
}

/** Report output columns whose name repeats an earlier one. */
export function checkUniqueNames(
  fields: readonly { name: string; field: string }[],
  issues: RuleIssue[],
): void {
  const seen = new Set<string>();
  for (const { name, field } of fields) {
    if (seen.has(name)) {
      issues.push({ field, message: `output column "${name}" appears twice`, severity: 'error' });
    }
    seen.add(name);
  }
}

/**
 * The common shape of one-input, one-output modules: if the input is unknown, so is the output
 * (with the input's reason), and nothing can be checked; otherwise `body` decides.
 */
export function singleInput(
  body: (input: TableSchema, ctx: RuleContext) => { output: SchemaInfo; issues: RuleIssue[] },
  inPort = 'in',
  outPort = 'out',
): SchemaRule {
  return (ctx) => {
    const input = ctx.inputs[inPort] ?? unknownSchema(`input "${inPort}" is not connected`);
    if (!input.known) return { outputs: { [outPort]: input }, issues: [] };
    const { output, issues } = body(input.schema, ctx);
    return { outputs: { [outPort]: output }, issues };
  };
}

/** Rule of modules whose output is known only once data has been read (csv, source). */
export function knownAfterReading(what: string, outPort = 'out'): SchemaRule {
  return (ctx) => {
    const seen = ctx.known?.[outPort];
    return {
      outputs: {
        [outPort]: seen
          ? { known: true, schema: seen }
          : unknownSchema(`${what} columns are known after a preview or a run`),
      },
      issues: [],
    };
  };
}
