/**
 * ajv's `keyword`, `params` and `message` for one error of the `jsonschema` library, from the
 * library's keyword (`name`), its `argument`, the failing value and the schema holding the
 * keyword. Wording as ajv 8 writes it (`lib/vocabularies/*` there), so readers of ajv errors
 * read these unchanged.
 */

/** What an ajv error says besides where: keyword, params and message. */
export interface AjvWords {
  keyword: string;
  params: Record<string, unknown>;
  message: string;
}

/** Validates `data` against a subschema (for `oneOf`'s passing branches). */
export interface SubValidator {
  passes(data: unknown, schema: unknown): boolean;
}

type Schema = Record<string, unknown>;

const COMPARISONS: Record<string, string> = {
  maximum: '<=',
  minimum: '>=',
  exclusiveMaximum: '<',
  exclusiveMinimum: '>',
};

const LIMIT_WORDS: Record<string, [string, string]> = {
  minLength: ['fewer', 'characters'],
  maxLength: ['more', 'characters'],
  minItems: ['fewer', 'items'],
  maxItems: ['more', 'items'],
  minProperties: ['fewer', 'properties'],
  maxProperties: ['more', 'properties'],
};

/**
 * The ajv words for a library error, or undefined when ajv reports nothing of the kind (the
 * library's `allOf` summary, whose branch errors follow it; a `uniqueItems` pair ajv skips).
 */
export function ajvParams(
  name: string,
  argument: unknown,
  instance: unknown,
  schema: Schema,
  sub: SubValidator,
): AjvWords | undefined {
  const words = (params: Record<string, unknown>, message: string) => ({
    keyword: name,
    params,
    message,
  });
  if (name in COMPARISONS) {
    const comparison = COMPARISONS[name]!;
    return words({ comparison, limit: argument }, `must be ${comparison} ${String(argument)}`);
  }
  if (name in LIMIT_WORDS) {
    const [more, unit] = LIMIT_WORDS[name]!;
    return words({ limit: argument }, `must NOT have ${more} than ${String(argument)} ${unit}`);
  }
  switch (name) {
    case 'type':
      return typeWords(schema);
    case 'required':
      return words({ missingProperty: argument }, `must have required property '${argument}'`);
    case 'additionalProperties':
      return words({ additionalProperty: argument }, 'must NOT have additional properties');
    case 'enum':
      return words({ allowedValues: schema.enum }, 'must be equal to one of the allowed values');
    case 'const':
      return words({ allowedValue: schema.const }, 'must be equal to constant');
    case 'multipleOf':
      return words({ multipleOf: argument }, `must be multiple of ${String(argument)}`);
    case 'pattern':
      return words({ pattern: argument }, `must match pattern "${String(argument)}"`);
    case 'format':
      return words({ format: argument }, `must match format "${String(argument)}"`);
    case 'anyOf':
      return words({}, 'must match a schema in anyOf');
    case 'oneOf':
      return words({ passingSchemas: passing(instance, schema, sub) }, ONE_OF);
    case 'not':
      return words({}, 'must NOT be valid');
    case 'if':
      return words({ failingKeyword: argument }, `must match "${String(argument)}" schema`);
    case 'contains':
      return words({ minContains: 1 }, 'must contain at least 1 valid item(s)');
    case 'uniqueItems':
      return uniqueWords(instance as unknown[], schema);
    case 'allOf':
      return undefined;
    default:
      return words({}, name);
  }
}

const ONE_OF = 'must match exactly one schema in oneOf';

/** A `type` error; the library turns a `false` schema into `{type: []}`. */
function typeWords(schema: Schema): AjvWords {
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
  if (types.length === 0) {
    return { keyword: 'false schema', params: {}, message: 'boolean schema is false' };
  }
  return { keyword: 'type', params: { type: schema.type }, message: `must be ${types.join(',')}` };
}

/** ajv's `passingSchemas`: null when no branch passed, else the first two that did. */
function passing(instance: unknown, schema: Schema, sub: SubValidator): number[] | null {
  const indexes = (schema.oneOf as unknown[]).flatMap((branch, i) =>
    sub.passes(instance, branch) ? [i] : [],
  );
  return indexes.length === 0 ? null : indexes.slice(0, 2);
}

/**
 * ajv's `uniqueItems` pair. With a scalar `items` type ajv keeps, from the end, the first item
 * equal to a later one (`i < j`) and skips items of another type (already reported); otherwise
 * the last item equal to an earlier one (`j < i`).
 */
function uniqueWords(a: unknown[], schema: Schema): AjvWords | undefined {
  const itemType = (schema.items as Schema | undefined)?.type;
  const types = itemType === undefined ? [] : Array.isArray(itemType) ? itemType : [itemType];
  const pair =
    types.length > 0 && !types.some((t) => t === 'object' || t === 'array')
      ? scalarPair(a, types as string[])
      : lastPair(a);
  if (pair === undefined) return undefined;
  const [i, j] = pair;
  const message = `must NOT have duplicate items (items ## ${j} and ${i} are identical)`;
  return { keyword: 'uniqueItems', params: { i, j }, message };
}

function scalarPair(a: unknown[], types: string[]): [number, number] | undefined {
  const seen = new Map<string, number>();
  for (let i = a.length; i--;) {
    if (!types.some((t) => jsonType(a[i], t))) continue;
    const key = JSON.stringify(a[i]);
    const j = seen.get(key);
    if (j !== undefined) return [i, j];
    seen.set(key, i);
  }
  return undefined;
}

function lastPair(a: unknown[]): [number, number] | undefined {
  for (let i = a.length; i--;) {
    for (let j = i; j--;) if (jsonEqual(a[i], a[j])) return [i, j];
  }
  return undefined;
}

function jsonType(v: unknown, type: string): boolean {
  if (type === 'integer') return Number.isInteger(v);
  if (type === 'null') return v === null;
  return typeof v === type;
}

/** Deep equality of JSON values, key order aside (as ajv's `fast-deep-equal`). */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ak = Object.keys(a);
  const bo = b as Record<string, unknown>;
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => k in bo && jsonEqual((a as Record<string, unknown>)[k], bo[k]));
}
