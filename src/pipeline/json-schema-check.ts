/**
 * A JSON Schema (draft-07) checker that interprets the schema as data: no code is generated,
 * so it runs under a Content Security Policy without 'unsafe-eval' (Ajv compiles each schema
 * with `new Function`). It knows the keywords Vega-Lite's schema uses (`vega-lite/build/
 * vega-lite-schema.json`): `$ref` (to `#/definitions/…`), `anyOf`, `type`, `enum`, `const`,
 * `properties`, `additionalProperties`, `required`, `items`, `minItems`, `maxItems`,
 * `minimum`, `maximum`, `minLength`, `maxLength`, `minProperties`; `format` is not checked.
 * Keywords it does not know are ignored (they never make a value invalid here).
 *
 * Errors name the value's path (`encoding.x.type`, `layer[0].mark`). When no branch of an
 * `anyOf` fits, the branch that got deepest into the value is blamed (ties: the fewest
 * errors), and branches failing on the value itself merge into one `must be one of …`.
 */
import { suggest } from './expression/suggest';

/** A JSON Schema as plain JSON (a boolean schema is `true` or `false`). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

/** One problem: the path of the offending value (keys and array indices) and what is wrong. */
export interface SchemaError {
  path: (string | number)[];
  message: string;
}

/** What a failing check at one path allowed, kept to merge the branches of an `anyOf`. */
interface Found extends SchemaError {
  allowed?: { values: unknown[]; types: string[] };
}

/** Most values a merged `must be one of` lists before `…`. */
const MAX_LISTED = 12;

/** Every problem of `value` against `schema` (whose `$ref`s resolve within `root`). */
export function checkJsonSchema(value: unknown, schema: JsonSchema, root = schema): SchemaError[] {
  return check(value, schema, [], root).map(({ path, message }) => ({ path, message }));
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

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const ARTICLE: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  integer: 'an integer',
};
const named = (type: string) => ARTICLE[type] ?? `a ${type}`;

function resolve(ref: string, root: JsonSchema): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`schema: only local $ref are supported, not ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replaceAll('~1', '/').replaceAll('~0', '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  if (node === undefined) throw new Error(`schema: $ref ${ref} points nowhere`);
  return node as JsonSchema;
}

function check(value: unknown, schema: JsonSchema, path: Found['path'], root: JsonSchema): Found[] {
  if (schema === true) return [];
  if (schema === false) return [{ path, message: 'is not allowed' }];
  const s = schema;
  if (typeof s.$ref === 'string') return check(value, resolve(s.$ref, root), path, root);
  if (Array.isArray(s.anyOf)) return anyOf(value, s.anyOf as JsonSchema[], path, root);
  const found: Found[] = [];
  if (s.type !== undefined) {
    const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
    if (!types.some((t) => hasType(value, t))) {
      // With an enum, its values say more than their type.
      const allowed = Array.isArray(s.enum) ? oneOf(s.enum) : { values: [], types };
      return [{ path, message: mustBeOneOf(allowed.values, allowed.types), allowed }];
    }
  }
  if ('const' in s && JSON.stringify(value) !== JSON.stringify(s.const)) {
    return [{ path, message: `must be ${JSON.stringify(s.const)}`, allowed: oneOf([s.const]) }];
  }
  if (Array.isArray(s.enum) && !s.enum.some((v) => JSON.stringify(v) === JSON.stringify(value))) {
    const message = mustBeOneOf(s.enum, []) + closest(value, s.enum);
    return [{ path, message, allowed: oneOf(s.enum) }];
  }
  if (typeof value === 'number') found.push(...numberChecks(value, s, path));
  if (typeof value === 'string') found.push(...lengthChecks(value.length, s, path, 'characters'));
  if (Array.isArray(value)) found.push(...arrayChecks(value, s, path, root));
  else if (typeOf(value) === 'object') {
    found.push(...objectChecks(value as Record<string, unknown>, s, path, root));
  }
  return found;
}

function oneOf(values: unknown[]): NonNullable<Found['allowed']> {
  return { values, types: [] };
}

function mustBeOneOf(values: unknown[], types: string[]): string {
  const listed = values.slice(0, MAX_LISTED).map((v) => JSON.stringify(v));
  if (values.length > MAX_LISTED) listed.push('…');
  const kinds = types.map(named);
  if (listed.length === 0) return `must be ${kinds.join(' or ')}`;
  const also = kinds.length > 0 ? ` (or ${kinds.join(' or ')})` : '';
  return `must be one of ${listed.join(', ')}${also}`;
}

/** ` (did you mean "bar"?)` when a string value is a likely typo of an allowed one, else ''. */
function closest(value: unknown, values: unknown[]): string {
  if (typeof value !== 'string') return '';
  const close = suggest(
    value,
    values.filter((v): v is string => typeof v === 'string'),
  );
  return close === undefined ? '' : ` (did you mean "${close}"?)`;
}

function numberChecks(value: number, s: Record<string, unknown>, path: Found['path']): Found[] {
  const out: Found[] = [];
  if (typeof s.minimum === 'number' && value < s.minimum)
    out.push({ path, message: `must be at least ${s.minimum}` });
  if (typeof s.maximum === 'number' && value > s.maximum)
    out.push({ path, message: `must be at most ${s.maximum}` });
  return out;
}

function lengthChecks(
  length: number,
  s: Record<string, unknown>,
  path: Found['path'],
  unit: string,
  min = 'minLength',
  max = 'maxLength',
): Found[] {
  const out: Found[] = [];
  if (typeof s[min] === 'number' && length < s[min])
    out.push({ path, message: `must have at least ${s[min]} ${unit}` });
  if (typeof s[max] === 'number' && length > s[max])
    out.push({ path, message: `must have at most ${s[max]} ${unit}` });
  return out;
}

function arrayChecks(
  value: unknown[],
  s: Record<string, unknown>,
  path: Found['path'],
  root: JsonSchema,
): Found[] {
  const out = lengthChecks(value.length, s, path, 'items', 'minItems', 'maxItems');
  const items = s.items;
  if (Array.isArray(items)) {
    items.forEach((item, i) => {
      if (i < value.length) out.push(...check(value[i], item as JsonSchema, [...path, i], root));
    });
  } else if (items !== undefined) {
    value.forEach((v, i) => out.push(...check(v, items as JsonSchema, [...path, i], root)));
  }
  return out;
}

function objectChecks(
  value: Record<string, unknown>,
  s: Record<string, unknown>,
  path: Found['path'],
  root: JsonSchema,
): Found[] {
  const keys = Object.keys(value);
  const out = lengthChecks(keys.length, s, path, 'properties', 'minProperties', 'maxProperties');
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  for (const name of (s.required ?? []) as string[]) {
    if (!(name in value)) out.push({ path, message: `needs the property "${name}"` });
  }
  for (const key of keys) {
    const own = properties[key];
    if (own !== undefined) out.push(...check(value[key], own, [...path, key], root));
    else if (s.additionalProperties === false) {
      const close = suggest(key, Object.keys(properties));
      const hint = close === undefined ? '' : ` (did you mean "${close}"?)`;
      out.push({ path: [...path, key], message: `is not a property here${hint}` });
    } else if (s.additionalProperties !== undefined) {
      const extra = s.additionalProperties as JsonSchema;
      out.push(...check(value[key], extra, [...path, key], root));
    }
  }
  return out;
}

/** How far into the value a branch's errors got: their deepest path (ties: fewer errors). */
function depth(errors: Found[]): number {
  return Math.max(...errors.map((e) => e.path.length));
}

function anyOf(value: unknown, branches: JsonSchema[], path: Found['path'], root: JsonSchema) {
  const failed: Found[][] = [];
  for (const branch of branches) {
    const errors = check(value, branch, path, root);
    if (errors.length === 0) return [];
    failed.push(errors);
  }
  // Branches that reject the value itself by type, const or enum: one list of what fits.
  const atValue = failed.filter(
    (f) => f.length === 1 && f[0]!.allowed !== undefined && f[0]!.path.length === path.length,
  );
  // Branches whose type fits say more: blame the one that got deepest into the value.
  const fitting = failed.filter((f) => !atValue.includes(f));
  if (fitting.length === 0) {
    const values = atValue.flatMap((f) => f[0]!.allowed!.values);
    const types = [...new Set(atValue.flatMap((f) => f[0]!.allowed!.types))];
    const message = mustBeOneOf(values, types) + closest(value, values);
    return [{ path, message, allowed: { values, types } }];
  }
  let best = fitting[0]!;
  for (const f of fitting) {
    const d = depth(f) - depth(best);
    if (d > 0 || (d === 0 && f.length < best.length)) best = f;
  }
  return best;
}
