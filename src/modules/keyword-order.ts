/**
 * Schema keywords in the order ajv 8 checks them (the type, keywords for any type, then those
 * for numbers, strings, arrays, objects). `jsonschema` checks keywords in the schema object's
 * key order, so a schema rewritten in this order gives errors in ajv's order: readers (the
 * inspector's form, the first field error shown) see the same first error as with ajv.
 */
const ORDER = [
  'type',
  '$ref',
  'const',
  'enum',
  'allOf',
  'anyOf',
  'oneOf',
  'not',
  'if',
  'maximum',
  'minimum',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'multipleOf',
  'maxLength',
  'minLength',
  'pattern',
  'format',
  'maxItems',
  'minItems',
  'items',
  'contains',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'propertyNames',
  'additionalProperties',
  'properties',
  'patternProperties',
  'dependencies',
];
const RANK = new Map(ORDER.map((k, i) => [k, i]));

/** Keywords holding one subschema, a list of them, or a map of them. */
const ONE = ['not', 'if', 'then', 'else', 'items', 'additionalItems', 'contains', 'propertyNames'];
const LIST = ['allOf', 'anyOf', 'oneOf'];
const MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependencies'];

type Node = Record<string, unknown>;

function isObject(v: unknown): v is Node {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The schema (a JSON copy, changed in place) with each schema object's keys in ajv's order;
 * other keys keep their place after the known ones. Property maps keep their own order.
 */
export function inAjvOrder(schema: unknown): unknown {
  if (!isObject(schema)) return schema;
  const rank = (k: string) => RANK.get(k) ?? ORDER.length;
  const keys = Object.keys(schema).sort((a, b) => rank(a) - rank(b));
  const entries = keys.map((k) => [k, schema[k]] as const);
  for (const k of keys) delete schema[k];
  for (const [k, v] of entries) schema[k] = reorderValue(k, v);
  return schema;
}

function reorderValue(keyword: string, value: unknown): unknown {
  if (ONE.includes(keyword) || keyword === 'additionalProperties') return inAjvOrder(value);
  if (LIST.includes(keyword) && Array.isArray(value)) return value.map(inAjvOrder);
  if (MAP.includes(keyword) && isObject(value)) {
    for (const k of Object.keys(value)) value[k] = inAjvOrder(value[k]);
  }
  return value;
}
