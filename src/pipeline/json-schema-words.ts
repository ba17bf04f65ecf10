/**
 * The words of `json-schema-check.ts`: each error of the `jsonschema` library as a path and a
 * sentence saying what fits there (`must be one of "bar", "line" (or an object)`, `is not a
 * property here (did you mean "field"?)`), keeping what a failing check allowed so the
 * branches of an `anyOf` can be merged into one list.
 */
import type { ValidationError } from 'jsonschema';
import { suggest } from './expression/suggest';

/** One problem, what the failing check allowed (type, const, enum) and the library's error. */
export interface Found {
  path: (string | number)[];
  message: string;
  allowed?: { values: unknown[]; types: string[] };
  source?: ValidationError;
}

/** Most values a merged `must be one of` lists before `…`. */
const MAX_LISTED = 12;

const ARTICLE: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  integer: 'an integer',
};
const named = (type: string) => ARTICLE[type] ?? `a ${type}`;

/** `must be one of "a", "b" (or a number)`, or `must be a number` without values. */
export function mustBeOneOf(values: unknown[], types: string[]): string {
  const listed = values.slice(0, MAX_LISTED).map((v) => JSON.stringify(v));
  if (values.length > MAX_LISTED) listed.push('…');
  const kinds = types.map(named);
  if (listed.length === 0) return `must be ${kinds.join(' or ')}`;
  const also = kinds.length > 0 ? ` (or ${kinds.join(' or ')})` : '';
  return `must be one of ${listed.join(', ')}${also}`;
}

/** ` (did you mean "bar"?)` when a string value is a likely typo of an allowed one, else ''. */
export function closest(value: unknown, values: unknown[]): string {
  if (typeof value !== 'string') return '';
  const close = suggest(
    value,
    values.filter((v): v is string => typeof v === 'string'),
  );
  return close === undefined ? '' : ` (did you mean "${close}"?)`;
}

type Schema = Record<string, unknown>;

const LIMITS: Record<string, [string, string]> = {
  minimum: ['must be at least', ''],
  maximum: ['must be at most', ''],
  minLength: ['must have at least', ' characters'],
  maxLength: ['must have at most', ' characters'],
  minItems: ['must have at least', ' items'],
  maxItems: ['must have at most', ' items'],
  minProperties: ['must have at least', ' properties'],
  maxProperties: ['must have at most', ' properties'],
};

/**
 * The library's errors as {@link Found}s, in their order. A value failing its `type`, `const`
 * or `enum` gets that one problem, not also the others of the same schema.
 */
export function toFound(errors: readonly ValidationError[]): Found[] {
  const out: Found[] = [];
  const rejected = new Set<unknown>();
  for (const e of errors) {
    const at = `${JSON.stringify(e.path)}`;
    const key = `${at}\u0000${String(identity(e.schema))}`;
    const found = wordsFor(e);
    if (found === undefined || rejected.has(key)) continue;
    if (found.allowed !== undefined && e.name !== 'merged') rejected.add(key);
    out.push({ ...found, source: e });
  }
  return out;
}

/** A stable name for the schema object that failed (the library gives the object itself). */
const ids = new WeakMap<object, number>();
let lastId = 0;
function identity(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null) return schema;
  let id = ids.get(schema);
  if (id === undefined) ids.set(schema, (id = ++lastId));
  return id;
}

function wordsFor(e: ValidationError): Found | undefined {
  const s = (typeof e.schema === 'object' ? e.schema : {}) as Schema;
  const path = e.path;
  const limit = LIMITS[e.name];
  if (limit) return { path, message: `${limit[0]} ${String(e.argument)}${limit[1]}` };
  switch (e.name) {
    case 'merged':
      return e.argument as Found;
    case 'type': {
      const types = (Array.isArray(s.type) ? s.type : [s.type]) as string[];
      if (types.length === 0) return { path, message: 'is not allowed' }; // a `false` schema
      // With an enum, its values say more than their type.
      const allowed = Array.isArray(s.enum) ? { values: s.enum, types: [] } : { values: [], types };
      return { path, message: mustBeOneOf(allowed.values, allowed.types), allowed };
    }
    case 'const':
      return {
        path,
        message: `must be ${JSON.stringify(s.const)}`,
        allowed: { values: [s.const], types: [] },
      };
    case 'enum': {
      const values = s.enum as unknown[];
      const message = mustBeOneOf(values, []) + closest(e.instance, values);
      return { path, message, allowed: { values, types: [] } };
    }
    case 'required':
      return { path, message: `needs the property "${String(e.argument)}"` };
    case 'additionalProperties': {
      const key = String(e.argument);
      const hint = suggest(key, Object.keys((s.properties ?? {}) as Schema));
      const did = hint === undefined ? '' : ` (did you mean "${hint}"?)`;
      return { path: [...path, key], message: `is not a property here${did}` };
    }
    case 'allOf':
      return undefined; // a summary: the branch's own errors follow it
    default:
      return { path, message: e.message };
  }
}
