/**
 * A JSON Schema (draft 2020-12) validator that interprets schemas instead of compiling them to
 * code, so the app needs no `'unsafe-eval'` in its Content-Security-Policy (ajv builds
 * validators with `new Function`). Params schemas come from installed modules at run time, so
 * they cannot be precompiled at build time; one interpreter then serves every schema.
 *
 * Errors have ajv's `ErrorObject` shape and wording (`keyword`, `params`, `instancePath`,
 * `schemaPath`, `message`), so code that reads ajv errors (field errors, the inspector's form
 * messages) reads these unchanged; `json-schema.test.ts` checks them against ajv itself.
 *
 * Supported: `type`, `enum`, `const`, numeric, string, array and object keywords, `format`
 * (ajv-formats' full set), `allOf`/`anyOf`/`oneOf`/`not`, `if`/`then`/`else`, `$ref` to `#…`
 * pointers and `$defs`, `dependentRequired`/`dependentSchemas`. A schema using
 * `$dynamicRef`, `unevaluated*` or a remote `$ref` is refused by {@link compileSchema}.
 * Annotations (`title`, `default`, `ui:*`, …) are ignored.
 */
import type { ErrorObject } from 'ajv/dist/2020';
import { fullFormats } from 'ajv-formats/dist/formats';

/** A validator in ajv's calling convention: true when valid, else `errors` is set. */
export interface SchemaValidator {
  (data: unknown): boolean;
  /** The problems of the last call, or null when it was valid. */
  errors: ErrorObject[] | null;
  /** The schema it validates against. */
  schema: unknown;
}

/** A schema this validator cannot interpret; the message names the keyword and where. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

type Schema = boolean | Record<string, unknown>;

const UNSUPPORTED = ['$dynamicRef', '$recursiveRef', 'unevaluatedProperties', 'unevaluatedItems'];

/**
 * Checks that `schema` can be interpreted (throws {@link SchemaError} naming the keyword and its
 * schema path otherwise) and returns a validator for it. Validating never throws. `root` is
 * the document `$ref`s point into (`schema` itself unless it is a part of a larger schema).
 */
export function compileSchema(schema: unknown, root: unknown = schema): SchemaValidator {
  checkSchema(schema, '#', root);
  const walker = new Walker(root as Schema);
  const validate = ((data: unknown) => {
    const errors: ErrorObject[] = [];
    walker.validate(schema as Schema, data, '', '#', errors);
    validate.errors = errors.length > 0 ? errors : null;
    return errors.length === 0;
  }) as SchemaValidator;
  validate.errors = null;
  validate.schema = schema;
  return validate;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws on what the interpreter would otherwise silently get wrong. */
function checkSchema(schema: unknown, path: string, root: unknown): void {
  if (typeof schema === 'boolean') return;
  if (!isObject(schema)) throw new SchemaError(`${path}: a schema must be an object or boolean`);
  for (const keyword of UNSUPPORTED) {
    if (keyword in schema) throw new SchemaError(`${path}/${keyword}: not supported`);
  }
  checkKeywordValues(schema, path);
  const ref = schema.$ref;
  if (ref !== undefined) {
    if (typeof ref !== 'string' || !ref.startsWith('#')) {
      throw new SchemaError(`${path}/$ref: only references inside the schema ("#…") are supported`);
    }
    if (resolvePointer(root, ref) === undefined) {
      throw new SchemaError(`${path}/$ref: can't resolve reference ${ref}`);
    }
  }
  if (Array.isArray(schema.items)) {
    throw new SchemaError(`${path}/items: must be a schema (use prefixItems for tuples)`);
  }
  if (typeof schema.pattern === 'string') compilePattern(schema.pattern, `${path}/pattern`);
  for (const key of ['not', 'if', 'then', 'else', 'items', 'contains', 'propertyNames']) {
    if (key in schema) checkSchema(schema[key], `${path}/${key}`, root);
  }
  if ('additionalProperties' in schema) {
    checkSchema(schema.additionalProperties, `${path}/additionalProperties`, root);
  }
  for (const key of ['allOf', 'anyOf', 'oneOf', 'prefixItems']) {
    const list = schema[key];
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new SchemaError(`${path}/${key}: must be an array`);
    list.forEach((s, i) => checkSchema(s, `${path}/${key}/${i}`, root));
  }
  for (const key of [
    'properties',
    'patternProperties',
    '$defs',
    'definitions',
    'dependentSchemas',
  ]) {
    const map = schema[key];
    if (map === undefined) continue;
    if (!isObject(map)) throw new SchemaError(`${path}/${key}: must be an object`);
    for (const [name, s] of Object.entries(map)) {
      if (key === 'patternProperties') compilePattern(name, `${path}/${key}`);
      checkSchema(s, `${path}/${key}/${escapeToken(name)}`, root);
    }
  }
}

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);
const NUMBER_KEYWORDS = ['maximum', 'minimum', 'exclusiveMaximum', 'exclusiveMinimum'];
const COUNT_KEYWORDS = [
  'maxLength',
  'minLength',
  'maxItems',
  'minItems',
  'maxProperties',
  'minProperties',
  'minContains',
  'maxContains',
];

/** The checks of the meta-schema that matter here: values of validation keywords. */
function checkKeywordValues(schema: Record<string, unknown>, path: string): void {
  const bad = (keyword: string, what: string): never => {
    throw new SchemaError(`${path}/${keyword}: must be ${what}`);
  };
  const { type } = schema;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (types.length === 0 || !types.every((t) => typeof t === 'string' && TYPES.has(t))) {
      bad('type', `one of ${[...TYPES].join(', ')} (or a list of them)`);
    }
  }
  for (const k of NUMBER_KEYWORDS) {
    if (k in schema && typeof schema[k] !== 'number') bad(k, 'a number');
  }
  if ('multipleOf' in schema && !((schema.multipleOf as number) > 0)) bad('multipleOf', '> 0');
  for (const k of COUNT_KEYWORDS) {
    const v = schema[k];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) bad(k, 'an integer >= 0');
  }
  const required = schema.required;
  if (
    required !== undefined &&
    !(Array.isArray(required) && required.every((r) => typeof r === 'string'))
  ) {
    bad('required', 'an array of strings');
  }
  if (schema.enum !== undefined && !Array.isArray(schema.enum)) bad('enum', 'an array');
  for (const k of ['pattern', 'format']) {
    if (k in schema && typeof schema[k] !== 'string') bad(k, 'a string');
  }
}

const patterns = new Map<string, RegExp>();

/** `pattern` as ajv reads it: a Unicode regular expression, unanchored. */
function compilePattern(source: string, where: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    try {
      re = new RegExp(source, 'u');
    } catch (e) {
      throw new SchemaError(`${where}: invalid pattern: ${(e as Error).message}`);
    }
    patterns.set(source, re);
  }
  return re;
}

function escapeToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** A name as a schema path token (URI fragment form, as ajv writes `schemaPath`). */
function schemaToken(name: string): string {
  return encodeURIComponent(escapeToken(name));
}

/** The value at `#/a/b` in `root` (RFC 6901, URI-fragment form), or undefined. */
function resolvePointer(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isObject(node) && !Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[token];
    if (node === undefined) return undefined;
  }
  return node;
}

/** JSON's type of a value, with "integer" for whole numbers (as ajv's `type` reads it). */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function hasType(v: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'object':
      return isObject(v);
    default:
      return jsonType(v) === type;
  }
}

/** Deep equality of JSON values (key order does not matter), as `enum`/`const` need. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => k in bo && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}

/** Length in Unicode code points, as ajv counts `minLength`/`maxLength`. */
function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    n++;
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) i++;
  }
  return n;
}

const COMPARISONS = {
  maximum: '<=',
  minimum: '>=',
  exclusiveMaximum: '<',
  exclusiveMinimum: '>',
} as const;

const LIMIT_WORDS: Record<string, [string, string]> = {
  minLength: ['fewer', 'characters'],
  maxLength: ['more', 'characters'],
  minItems: ['fewer', 'items'],
  maxItems: ['more', 'items'],
  minProperties: ['fewer', 'properties'],
  maxProperties: ['more', 'properties'],
};

/** Walks one schema over one value, pushing ajv-shaped errors (all of them, as `allErrors`). */
class Walker {
  constructor(private readonly root: Schema) {}

  validate(schema: Schema, data: unknown, at: string, sp: string, out: ErrorObject[]): boolean {
    if (schema === true) return true;
    if (schema === false) {
      out.push(err(at, sp, 'false schema', {}, 'boolean schema is false', schema));
      return false;
    }
    const before = out.length;
    const s = schema;
    const fail = (keyword: string, params: Record<string, unknown>, message: string) =>
      out.push(err(at, `${sp}/${keyword}`, keyword, params, message, s));
    // ajv's order: the type, then keywords for any type, then numbers, strings, arrays, objects.
    this.checkType(s, data, fail);
    if (typeof s.$ref === 'string') {
      const target = resolvePointer(this.root, s.$ref) as Schema;
      this.validate(target, data, at, s.$ref, out);
    }
    if ('const' in s && !jsonEqual(s.const, data)) {
      fail('const', { allowedValue: s.const }, 'must be equal to constant');
    }
    if (s.enum !== undefined && !(s.enum as unknown[]).some((v) => jsonEqual(v, data))) {
      fail('enum', { allowedValues: s.enum }, 'must be equal to one of the allowed values');
    }
    this.checkCombinators(s, data, at, sp, out, fail);
    if (typeof data === 'number') this.checkNumber(s, data, fail);
    else if (typeof data === 'string') this.checkString(s, data, fail);
    else if (Array.isArray(data)) this.checkArray(s, data, at, sp, out, fail);
    else if (isObject(data)) this.checkObject(s, data, at, sp, out, fail);
    return out.length === before;
  }

  private checkType(s: Record<string, unknown>, data: unknown, fail: Fail): void {
    if (s.type === undefined) return;
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (types.some((t) => hasType(data, t))) return;
    fail('type', { type: s.type }, `must be ${types.join(',')}`);
  }

  private checkNumber(s: Record<string, unknown>, n: number, fail: Fail): void {
    for (const [keyword, comparison] of Object.entries(COMPARISONS)) {
      const limit = s[keyword];
      if (typeof limit !== 'number') continue;
      const ok =
        comparison === '<='
          ? n <= limit
          : comparison === '>='
            ? n >= limit
            : comparison === '<'
              ? n < limit
              : n > limit;
      if (!ok) fail(keyword, { comparison, limit }, `must be ${comparison} ${limit}`);
    }
    const m = s.multipleOf;
    if (typeof m === 'number') {
      const q = n / m;
      if (!Number.isInteger(q)) fail('multipleOf', { multipleOf: m }, `must be multiple of ${m}`);
    }
  }

  private checkString(s: Record<string, unknown>, v: string, fail: Fail): void {
    const length = s.minLength !== undefined || s.maxLength !== undefined ? codePoints(v) : 0;
    this.limit(s, 'maxLength', length, fail);
    this.limit(s, 'minLength', length, fail);
    if (typeof s.pattern === 'string' && !compilePattern(s.pattern, 'pattern').test(v)) {
      fail('pattern', { pattern: s.pattern }, `must match pattern "${s.pattern}"`);
    }
    if (typeof s.format === 'string' && !matchesFormat(s.format, v)) {
      fail('format', { format: s.format }, `must match format "${s.format}"`);
    }
  }

  /** `min*`/`max*` counts; `max*` fails when `count > limit`, `min*` when `count < limit`. */
  private limit(s: Record<string, unknown>, keyword: string, count: number, fail: Fail): void {
    const limit = s[keyword];
    if (typeof limit !== 'number') return;
    const [word, unit] = LIMIT_WORDS[keyword] as [string, string];
    const bad = keyword.startsWith('max') ? count > limit : count < limit;
    if (bad) fail(keyword, { limit }, `must NOT have ${word} than ${limit} ${unit}`);
  }

  private checkArray(
    s: Record<string, unknown>,
    a: unknown[],
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    this.limit(s, 'maxItems', a.length, fail);
    this.limit(s, 'minItems', a.length, fail);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    prefix.forEach((item, i) => {
      if (i < a.length) this.validate(item, a[i], `${at}/${i}`, `${sp}/prefixItems/${i}`, out);
    });
    if (s.items !== undefined) {
      for (let i = prefix.length; i < a.length; i++) {
        this.validate(s.items as Schema, a[i], `${at}/${i}`, `${sp}/items`, out);
      }
    }
    if (s.contains !== undefined) this.checkContains(s, a, at, sp, out, fail);
    if (s.uniqueItems === true) this.checkUnique(s, a, fail);
  }

  /**
   * Reports the last duplicate pair, as ajv does; like ajv, items whose type the `items` schema
   * already rejects (a scalar `type`) are not compared.
   */
  private checkUnique(s: Record<string, unknown>, a: unknown[], fail: Fail): void {
    const itemType = isObject(s.items) ? s.items.type : undefined;
    const types = itemType === undefined ? [] : Array.isArray(itemType) ? itemType : [itemType];
    const scalar = types.length > 0 && !types.some((t) => t === 'object' || t === 'array');
    if (scalar) {
      // ajv's scalar path: from the end, the first item equal to a later one; i < j.
      const seen = new Map<string, number>();
      for (let i = a.length; i--;) {
        const x = a[i];
        if (!types.some((t) => hasType(x, t as string))) continue;
        const key = JSON.stringify(x);
        const j = seen.get(key);
        if (j !== undefined) return void fail('uniqueItems', { i, j }, duplicates(i, j));
        seen.set(key, i);
      }
      return;
    }
    for (let i = a.length; i--;) {
      for (let j = i; j--;) {
        if (jsonEqual(a[i], a[j])) return void fail('uniqueItems', { i, j }, duplicates(i, j));
      }
    }
  }

  private checkContains(
    s: Record<string, unknown>,
    a: unknown[],
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    const branch: ErrorObject[] = [];
    const contains = s.contains as Schema;
    const sub = `${sp}/contains`;
    const matched = a.filter((x, i) =>
      this.validate(contains, x, `${at}/${i}`, sub, branch),
    ).length;
    const min = typeof s.minContains === 'number' ? s.minContains : 1;
    const max = typeof s.maxContains === 'number' ? s.maxContains : undefined;
    if (matched < min || (max !== undefined && matched > max)) {
      const params =
        max === undefined ? { minContains: min } : { minContains: min, maxContains: max };
      const message =
        max === undefined
          ? `must contain at least ${min} valid item(s)`
          : `must contain at least ${min} and no more than ${max} valid item(s)`;
      out.push(...branch); // as ajv: why no item matched
      fail('contains', params, message);
    }
  }

  private checkObject(
    s: Record<string, unknown>,
    o: Record<string, unknown>,
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    const keys = Object.keys(o);
    this.limit(s, 'maxProperties', keys.length, fail);
    this.limit(s, 'minProperties', keys.length, fail);
    for (const name of (s.required as string[] | undefined) ?? []) {
      if (!(name in o) || o[name] === undefined) {
        fail('required', { missingProperty: name }, `must have required property '${name}'`);
      }
    }
    if (s.propertyNames !== undefined) {
      for (const key of keys) {
        // As ajv: the name's own errors (at the object's path), then propertyNames'.
        if (!this.validate(s.propertyNames as Schema, key, at, `${sp}/propertyNames`, out)) {
          fail('propertyNames', { propertyName: key }, 'property name must be valid');
        }
      }
    }
    this.checkProperties(s, o, keys, at, sp, out);
    this.checkDependent(s, o, at, sp, out, fail);
  }

  private checkDependent(
    s: Record<string, unknown>,
    o: Record<string, unknown>,
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    const dependent = (s.dependentRequired ?? {}) as Record<string, string[]>;
    for (const [property, deps] of Object.entries(dependent)) {
      if (!(property in o)) continue;
      const depsText = deps.join(', ');
      const message = `must have propert${deps.length === 1 ? 'y' : 'ies'} ${depsText} when property ${property} is present`;
      for (const missing of deps.filter((d) => !(d in o))) {
        const params = {
          property,
          missingProperty: missing,
          depsCount: deps.length,
          deps: depsText,
        };
        fail('dependentRequired', params, message);
      }
    }
    const depSchemas = (s.dependentSchemas ?? {}) as Record<string, Schema>;
    for (const [property, sub] of Object.entries(depSchemas)) {
      if (!(property in o)) continue;
      this.validate(sub, o, at, `${sp}/dependentSchemas/${schemaToken(property)}`, out);
    }
  }

  /** As ajv: `additionalProperties` for every key, then `properties` (schema order), then patterns. */
  private checkProperties(
    s: Record<string, unknown>,
    o: Record<string, unknown>,
    keys: string[],
    at: string,
    sp: string,
    out: ErrorObject[],
  ): void {
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const patternProps = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>);
    const child = (key: string) => `${at}/${escapeToken(key)}`;
    if (s.additionalProperties !== undefined) {
      const extra = keys.filter(
        (key) =>
          !Object.hasOwn(props, key) &&
          !patternProps.some(([source]) => compilePattern(source, 'patternProperties').test(key)),
      );
      const asp = `${sp}/additionalProperties`;
      for (const key of extra) {
        if (s.additionalProperties === false) {
          const params = { additionalProperty: key };
          const message = 'must NOT have additional properties';
          out.push(err(at, asp, 'additionalProperties', params, message, s));
        } else this.validate(s.additionalProperties as Schema, o[key], child(key), asp, out);
      }
    }
    for (const [key, sub] of Object.entries(props)) {
      if (o[key] === undefined || !Object.hasOwn(o, key)) continue;
      this.validate(sub, o[key], child(key), `${sp}/properties/${schemaToken(key)}`, out);
    }
    for (const [source, sub] of patternProps) {
      const psp = `${sp}/patternProperties/${schemaToken(source)}`;
      for (const key of keys) {
        if (compilePattern(source, 'patternProperties').test(key)) {
          this.validate(sub, o[key], child(key), psp, out);
        }
      }
    }
  }

  private checkCombinators(
    s: Record<string, unknown>,
    data: unknown,
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    (s.allOf as Schema[] | undefined)?.forEach((sub, i) => {
      this.validate(sub, data, at, `${sp}/allOf/${i}`, out);
    });
    if (s.anyOf !== undefined) {
      const branch: ErrorObject[] = [];
      const passed = (s.anyOf as Schema[]).filter((sub, i) =>
        this.validate(sub, data, at, `${sp}/anyOf/${i}`, branch),
      ).length;
      if (passed === 0) {
        out.push(...branch);
        fail('anyOf', {}, 'must match a schema in anyOf');
      }
    }
    if (s.oneOf !== undefined) this.checkOneOf(s, data, at, sp, out, fail);
    if (s.not !== undefined && this.validate(s.not as Schema, data, at, `${sp}/not`, [])) {
      fail('not', {}, 'must NOT be valid');
    }
    if (s.if !== undefined && (s.then !== undefined || s.else !== undefined)) {
      const passed = this.validate(s.if as Schema, data, at, `${sp}/if`, []);
      const branch = passed ? 'then' : 'else';
      if (s[branch] === undefined) return;
      if (!this.validate(s[branch] as Schema, data, at, `${sp}/${branch}`, out)) {
        fail('if', { failingKeyword: branch }, `must match "${branch}" schema`);
      }
    }
  }

  private checkOneOf(
    s: Record<string, unknown>,
    data: unknown,
    at: string,
    sp: string,
    out: ErrorObject[],
    fail: Fail,
  ): void {
    const branch: ErrorObject[] = [];
    const passing: number[] = [];
    (s.oneOf as Schema[]).forEach((sub, i) => {
      if (this.validate(sub, data, at, `${sp}/oneOf/${i}`, branch)) passing.push(i);
    });
    if (passing.length === 1) return;
    out.push(...branch);
    const passingSchemas = passing.length === 0 ? null : passing.slice(0, 2);
    fail('oneOf', { passingSchemas }, 'must match exactly one schema in oneOf');
  }
}

/** ajv's message for `uniqueItems` (it prints `j` before `i`). */
function duplicates(i: number, j: number): string {
  return `must NOT have duplicate items (items ## ${j} and ${i} are identical)`;
}

type Fail = (keyword: string, params: Record<string, unknown>, message: string) => void;

function err(
  instancePath: string,
  schemaPath: string,
  keyword: string,
  params: Record<string, unknown>,
  message: string,
  parentSchema: Schema,
): ErrorObject {
  const e: ErrorObject = { instancePath, schemaPath, keyword, params, message };
  // Non-enumerable, as rjsf reads it for titles but equality checks and JSON should not.
  Object.defineProperty(e, 'parentSchema', { value: parentSchema, enumerable: false });
  return e;
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
