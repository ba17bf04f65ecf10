/**
 * JSON Schema validation without `new Function` (the app's Content-Security-Policy has no
 * `'unsafe-eval'`, and ajv compiles validators to code): `jsonschema` (tdegrise) interprets
 * the schema, and this adapter turns its errors into ajv's `ErrorObject` shape and wording
 * (`keyword`, `params`, `instancePath`, `schemaPath`, `message`), which the field errors
 * (`ajv.ts`) and the inspector's form (`src/editor/form-validator.ts`) read.
 * `json-schema.test.ts` checks the result against ajv itself.
 *
 * `jsonschema` implements drafts 4–7; params schemas say draft 2020-12. The common subset is
 * what modules use (`$defs` works: `$ref` takes any JSON pointer). {@link compileSchema}
 * refuses 2020-12-only keywords rather than ignore them silently (see `schema-check.ts`).
 */
import type { ErrorObject } from 'ajv/dist/2020';
import { fullFormats } from 'ajv-formats/dist/formats';
import {
  Validator,
  ValidatorResult,
  type Options,
  type SchemaContext,
  type Schema as LibSchema,
  type ValidationError,
} from 'jsonschema';
import { ajvParams } from './json-schema-params';
import { inAjvOrder } from './keyword-order';
import { checkSchema, schemaPointers } from './schema-check';

export { SchemaError } from './schema-check';

/** A validator in ajv's calling convention: true when valid, else `errors` is set. */
export interface SchemaValidator {
  (data: unknown): boolean;
  /** The problems of the last call, or null when it was valid. */
  errors: ErrorObject[] | null;
  /** The schema it validates against. */
  schema: unknown;
}

/** How {@link compileSchema} treats its schema. */
export interface CompileOptions {
  /**
   * The schema is one of this app's own constants (the document and manifest schemas), which
   * `src/pipeline/own-schemas.test.ts` checks: skip the check against the draft-07
   * meta-schema, which is most of compiling (tens of ms for the document schema, before the
   * editor's first screen).
   */
  ownSchema?: boolean;
}

/** Where `$ref`s without an `$id` of their own resolve (a name only, never fetched). */
const BASE = 'https://quiver.invalid/schema.json';

/**
 * Checks that `schema` can be interpreted (throws {@link SchemaError} naming the keyword and its
 * schema path otherwise; not with `options.ownSchema`) and returns a validator for it.
 * Validating never throws. `root` is the document `$ref`s point into (`schema` itself unless it
 * is a part of a larger schema).
 */
export function compileSchema(
  schema: unknown,
  root: unknown = schema,
  options: CompileOptions = {},
): SchemaValidator {
  if (!options.ownSchema) checkSchema(schema, root);
  // Copies, so that an object used at two places of the schema (a shared TS constant) has one
  // place each: an error's `schemaPath` is found from the object that holds the keyword.
  const own = unshare(schema, root);
  const library = newValidator();
  const base = rootId(root) ?? BASE;
  library.addSchema(own.root as LibSchema, base);
  const pointers = schemaPointers(own.root);
  const validate = ((data: unknown) => {
    const result = library.validate(data, own.schema as LibSchema, { nestedErrors: true, base });
    const errors = result.errors.flatMap((e) => toAjv(e, pointers, library, base));
    validate.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  }) as SchemaValidator;
  validate.errors = null;
  validate.schema = schema;
  return validate;
}

/**
 * Copies of `root` and of `schema` (the same part of the copy when it is a part of `root`),
 * keywords in ajv's order (`inAjvOrder`): the library reports them in the schema's key order.
 */
function unshare(schema: unknown, root: unknown): { schema: unknown; root: unknown } {
  const copy = (v: unknown): unknown => inAjvOrder(JSON.parse(JSON.stringify(v)) as unknown);
  const rootCopy = copy(root);
  if (schema === root) return { schema: rootCopy, root: rootCopy };
  const at = schemaPointers(root).get(schema);
  if (at === undefined) return { schema: copy(schema), root: rootCopy };
  const part = at
    .split('/')
    .slice(1)
    .reduce<unknown>((node, token) => (node as Record<string, unknown>)[unescape(token)], rootCopy);
  return { schema: part, root: rootCopy };
}

function unescape(token: string): string {
  return decodeURIComponent(token).replace(/~1/g, '/').replace(/~0/g, '~');
}

function rootId(root: unknown): string | undefined {
  const id = (root as { $id?: unknown } | null)?.$id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * A `jsonschema` validator with ajv's formats (ajv-formats' "full" set; unknown formats pass, as
 * ajv with `strict: false`) and an `if` that reports which branch failed, as ajv does.
 */
function newValidator(): Validator {
  const v = new Validator();
  const attributes = v.attributes as Record<string, LibAttribute>;
  const ifThen = attributes.if!;
  attributes.format = function format(instance, schema, options, ctx) {
    const f = (schema as { format?: unknown }).format;
    if (typeof instance !== 'string' || typeof f !== 'string' || matchesFormat(f, instance)) return;
    const result = new ValidatorResult(instance, schema, options, ctx);
    result.addError({ name: 'format', argument: f, message: `does not conform to "${f}"` });
    return result;
  };
  attributes.if = function ifThenElse(this: Validator, instance, schema, options, ctx) {
    const result = ifThen.call(this, instance, schema, options, ctx) as LibResult | undefined;
    if (!result || result.errors.length === 0) return result;
    const s = schema as { if: LibSchema };
    const passed = this.validate(instance, s.if, { base: ctx.base }, ctx).valid;
    result.addError({ name: 'if', argument: passed ? 'then' : 'else', message: 'if' });
    return result;
  };
  return v;
}

type LibAttribute = (
  this: Validator,
  instance: unknown,
  schema: LibSchema,
  options: Options,
  ctx: SchemaContext,
) => unknown;

interface LibResult {
  errors: ValidationError[];
  addError(detail: { name: string; argument: unknown; message: string }): void;
}

/** ajv-formats' "full" formats; an unknown format is ignored (as ajv does with `strict: false`). */
function matchesFormat(format: string, value: string): boolean {
  const def = (fullFormats as Record<string, unknown>)[format];
  if (def === undefined || def === true) return true;
  if (def instanceof RegExp) return def.test(value);
  if (typeof def === 'function') return (def as (s: string) => boolean)(value);
  const validate = (def as { validate?: unknown }).validate;
  if (validate instanceof RegExp) return validate.test(value);
  if (typeof validate === 'function') return (validate as (s: string) => boolean)(value);
  return true;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** One library error as ajv's (none when ajv reports nothing there: `allOf`'s summary). */
function toAjv(
  e: ValidationError,
  pointers: Map<unknown, string>,
  library: Validator,
  base: string,
): ErrorObject[] {
  const instancePath = e.path.map((p) => `/${escapeToken(String(p))}`).join('');
  const schema = typeof e.schema === 'string' ? library.schemas[e.schema] : e.schema;
  const mapped = ajvParams(e.name, e.argument, e.instance, schema as Record<string, unknown>, {
    passes: (data, sub) => library.validate(data, sub as LibSchema, { base }).valid,
  });
  if (mapped === undefined) return [];
  const at = pointers.get(schema);
  const schemaPath = mapped.keyword === 'false schema' ? (at ?? '#') : `${at ?? '#'}/${e.name}`;
  const out: ErrorObject = { instancePath, schemaPath, ...mapped };
  // Non-enumerable, as rjsf reads it for titles but equality checks and JSON should not.
  Object.defineProperty(out, 'parentSchema', { value: schema, enumerable: false });
  return [out];
}
