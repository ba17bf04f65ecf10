/**
 * Checks a value against a draft-07 JSON Schema (Vega-Lite's, `vega-lite/build/
 * vega-lite-schema.json`) with the `jsonschema` library, which interprets the schema as data:
 * no code is generated, so it runs under a Content Security Policy without 'unsafe-eval'.
 * `format` is not checked (Vega-Lite's `uri`/`color-hex` formats say nothing a chart needs).
 *
 * Errors name the value's path (`encoding.x.type`, `layer[0].mark`) and say what fits
 * (`json-schema-words.ts`). When no branch of an `anyOf` fits, the branch that got deepest
 * into the value is blamed (ties: the fewest errors), and branches failing on the value itself
 * merge into one `must be one of …`: the library's `anyOf` is replaced by one that does this.
 */
import {
  Validator,
  ValidatorResult,
  type Options,
  type Schema as LibSchema,
  type SchemaContext,
  type ValidationError,
} from 'jsonschema';
import { inAjvOrder } from '../modules/keyword-order';
import { closest, mustBeOneOf, toFound, type Found } from './json-schema-words';

/** A JSON Schema as plain JSON (a boolean schema is `true` or `false`). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** One problem: the path of the offending value (keys and array indices) and what is wrong. */
export interface SchemaError {
  path: (string | number)[];
  message: string;
}

/** Where `$ref`s resolve (a name only, never fetched). */
const BASE = 'https://quiver.invalid/schema.json';

interface Checker {
  library: Validator;
  schema: LibSchema;
}

/** Per root schema: its copy (keywords in a fixed order) registered with a validator. */
const checkers = new WeakMap<object, Checker>();

/**
 * Every problem of `value` against `schema` (whose `$ref`s resolve within `root`). Throws when
 * a `$ref` points nowhere or outside the schema.
 */
export function checkJsonSchema(value: unknown, schema: JsonSchema, root = schema): SchemaError[] {
  const { library, schema: own } = checkerFor(schema, root);
  const options = { nestedErrors: true, disableFormat: true, base: BASE };
  const result = library.validate(value, own, options);
  const found = toFound(result.errors).map(({ path, message }) => ({ path, message }));
  return found.sort((a, b) => comparePaths(value, a.path, b.path));
}

/**
 * Orders paths as the value's text does (keys in their order, depth first), so the first
 * problems listed are the first ones in the spec; the library goes in the schema's order.
 */
function comparePaths(value: unknown, a: SchemaError['path'], b: SchemaError['path']): number {
  let node = value;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const [x, y] = [a[i]!, b[i]!];
    if (x !== y) {
      if (typeof x === 'number' && typeof y === 'number') return x - y;
      const keys = typeof node === 'object' && node !== null ? Object.keys(node) : [];
      return keys.indexOf(String(x)) - keys.indexOf(String(y));
    }
    node = (node as Record<string | number, unknown> | undefined)?.[x];
  }
  return a.length - b.length;
}

function copy(schema: JsonSchema): LibSchema {
  return inAjvOrder(JSON.parse(JSON.stringify(schema))) as LibSchema;
}

function checkerFor(schema: JsonSchema, root: JsonSchema): Checker {
  const key = typeof schema === 'object' ? schema : { schema };
  let checker = checkers.get(key);
  if (!checker) {
    const library = new Validator();
    (library.attributes as Record<string, unknown>).anyOf = anyOf;
    const ownRoot = copy(root);
    library.addSchema(ownRoot, BASE);
    checker = { library, schema: schema === root ? ownRoot : copy(schema) };
    if (typeof schema === 'object') checkers.set(key, checker);
  }
  return checker;
}

/** The library's `validateSchema` (untyped): one subschema within the current context. */
type ValidateSchema = (
  instance: unknown,
  schema: LibSchema,
  options: Options,
  ctx: SchemaContext,
) => ValidatorResult;

/**
 * `anyOf` that reports the most telling branch's errors (see the file comment) rather than
 * every branch's. The merged problem is passed on as an error named `merged`.
 */
function anyOf(
  this: Validator & { validateSchema: ValidateSchema },
  instance: unknown,
  schema: { anyOf: LibSchema[] },
  options: Options,
  ctx: SchemaContext,
): ValidatorResult | null {
  if (instance === undefined) return null;
  const failed: ValidationError[][] = [];
  for (const branch of schema.anyOf) {
    const errors = this.validateSchema(instance, branch, options, ctx).errors;
    if (errors.length === 0) return null;
    failed.push(errors);
  }
  const result = new ValidatorResult(instance, schema as LibSchema, options, ctx);
  const at = (ctx as SchemaContext & { path: unknown[] }).path.length;
  const picked = pick(failed.map(toFound), at, instance);
  if ('merged' in picked) {
    const { merged } = picked;
    // The library types `argument` as a string; `toFound` reads the Found back.
    result.addError({ name: 'merged', argument: merged as never, message: merged.message });
  } else result.errors.push(...picked.errors);
  return result;
}

/** How far into the value a branch's errors got: their deepest path. */
function depth(errors: Found[]): number {
  return Math.max(...errors.map((e) => e.path.length));
}

type Picked = { merged: Found } | { errors: ValidationError[] };

/** The branch to blame, or one merged problem when every branch rejects the value itself. */
function pick(failed: Found[][], at: number, value: unknown): Picked {
  // Branches that reject the value itself by type, const or enum: one list of what fits.
  const atValue = failed.filter(
    (f) => f.length === 1 && f[0]!.allowed !== undefined && f[0]!.path.length === at,
  );
  // Branches whose type fits say more: blame the one that got deepest into the value.
  const fitting = failed.filter((f) => !atValue.includes(f));
  if (fitting.length === 0) {
    const values = atValue.flatMap((f) => f[0]!.allowed!.values);
    const types = [...new Set(atValue.flatMap((f) => f[0]!.allowed!.types))];
    const message = mustBeOneOf(values, types) + closest(value, values);
    return { merged: { path: failed[0]![0]!.path, message, allowed: { values, types } } };
  }
  let best = fitting[0]!;
  for (const f of fitting) {
    const d = depth(f) - depth(best);
    if (d > 0 || (d === 0 && f.length < best.length)) best = f;
  }
  return { errors: best.map((f) => f.source!) };
}

/** `encoding.x.type`, `layer[0].mark`; the empty path is the value itself. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else
      out += /^[A-Za-z_$][\w$]*$/.test(key)
        ? `${out ? '.' : ''}${key}`
        : `[${JSON.stringify(key)}]`;
  }
  return out;
}
