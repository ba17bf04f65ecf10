/**
 * One place that turns validation errors (ajv's `ErrorObject` shape, as `json-schema.ts`
 * reports them) into sentences that name a field. Validators come from `compileSchema`
 * (`json-schema.ts`), which interprets schemas: the app runs without `'unsafe-eval'`.
 */
import type { ErrorObject } from 'ajv/dist/2020';
import type { SchemaValidator } from './json-schema';

/** One validation problem: a JSON pointer into the validated value, and what is wrong there. */
export interface FieldError {
  /** RFC 6901 pointer, e.g. `/aggregates/0/column`; `''` is the value itself. */
  pointer: string;
  /** e.g. `must be string`, `missing required field`, `unknown field`. */
  message: string;
  /** The JSON Schema keyword that failed (`required`, `type`, ...), for wording it for people. */
  keyword?: string;
  /** That keyword's parameters as ajv names them (`limit`, `type`, `allowedValues`, ...). */
  params?: Record<string, unknown>;
}

/** Unescape one RFC 6901 reference token. */
function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Escape one RFC 6901 reference token. */
export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A pointer as a path readers know from code: `/aggregates/0/column` under root `params` →
 * `params.aggregates[0].column`; names that are not identifiers are quoted (`["wind speed"]`).
 */
export function pointerToPath(pointer: string, root: string): string {
  if (pointer === '') return root;
  let out = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = unescapeToken(raw);
    if (/^(0|[1-9][0-9]*)$/.test(token)) out += `[${token}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(token)) out += out === '' ? token : `.${token}`;
    else out += `[${JSON.stringify(token)}]`;
  }
  return out;
}

/**
 * ajv errors as {@link FieldError}s, most specific first and without the noise ajv adds for
 * `if`/`then` and `anyOf` wrappers when a more specific error at the same place explains it.
 * Missing and unknown properties point at the property itself.
 */
export function toFieldErrors(errors: readonly ErrorObject[] | null | undefined): FieldError[] {
  const out: FieldError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    let pointer = e.instancePath;
    let message: string;
    switch (e.keyword) {
      case 'if':
        continue; // always accompanied by the failing `then`/`else` keyword's own error
      case 'required':
        pointer += `/${escapePointerToken(String(e.params.missingProperty))}`;
        message = 'missing required field';
        break;
      case 'additionalProperties':
        pointer += `/${escapePointerToken(String(e.params.additionalProperty))}`;
        message = 'unknown field';
        break;
      case 'enum':
        message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'const':
        message = `must be ${JSON.stringify(e.params.allowedValue)}`;
        break;
      default:
        message = e.message ?? e.keyword;
    }
    const key = `${pointer}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ pointer, message, keyword: e.keyword, params: { ...e.params } });
  }
  return out;
}

/** Most values whose errors {@link validateWith} remembers per validator. */
const REMEMBERED_VALUES = 512;
/** Errors by the value's JSON, per validator. */
const remembered = new WeakMap<SchemaValidator, Map<string, FieldError[]>>();

/**
 * Validate and return field errors (empty when valid). The errors of the last values checked
 * (by their JSON) are remembered: the editor checks every step's shape and params on each
 * change of its run view (a preview, a status), and the interpreting validator takes ms per
 * step, so a run or a live preview would otherwise spend hundreds of ms of the main thread on
 * checks whose answer it already has.
 */
export function validateWith(validate: SchemaValidator, value: unknown): FieldError[] {
  let key: string | undefined;
  try {
    key = JSON.stringify(value, keepNonJson);
  } catch {
    key = undefined; // a BigInt, a cycle: checked every time
  }
  const known = remembered.get(validate) ?? new Map<string, FieldError[]>();
  remembered.set(validate, known);
  const hit = key === undefined ? undefined : known.get(key);
  if (hit) return hit.map(copyError);
  const errors = validate(value) ? [] : toFieldErrors(validate.errors);
  if (key === undefined) return errors;
  if (known.size >= REMEMBERED_VALUES) known.clear();
  known.set(key, errors.map(copyError));
  return errors;
}

/** JSON.stringify's replacer keeping apart what JSON would merge (NaN and null, undefined). */
function keepNonJson(_key: string, value: unknown): unknown {
  if (value === undefined) return '\u0000undefined';
  if (typeof value === 'number' && !Number.isFinite(value)) return `\u0000${value}`;
  return value;
}

/** A copy of `error` its receiver may change. */
function copyError(error: FieldError): FieldError {
  return error.params ? { ...error, params: { ...error.params } } : { ...error };
}
