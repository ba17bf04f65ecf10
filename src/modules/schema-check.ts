/**
 * What `json-schema.ts` checks of a schema before using it: that it is a valid draft-07 schema
 * (against the draft-07 meta-schema, validated by the `jsonschema` library itself), that its
 * `$ref`s stay inside it and resolve, and that it uses no draft 2020-12 keyword the library
 * would silently ignore (it implements drafts 4–7).
 */
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { Validator, type Schema as LibSchema } from 'jsonschema';

/** A schema the validator cannot use; the message names the keyword and its schema path. */
export class SchemaError extends Error {
  override name = 'SchemaError';
}

/**
 * Keywords of draft 2019-09/2020-12 that a draft-07 validator would ignore, with what to write
 * instead. `items` as an array means a tuple in draft-07 but is an error in 2020-12, so tuples
 * are refused either way.
 */
const UNSUPPORTED: Record<string, string> = {
  prefixItems: 'tuples are not supported',
  dependentRequired: 'use "dependencies": {"a": ["b"]} (draft-07)',
  dependentSchemas: 'use "dependencies": {"a": {…}} (draft-07)',
  minContains: 'not supported',
  maxContains: 'not supported',
  unevaluatedProperties: 'not supported',
  unevaluatedItems: 'not supported',
  $dynamicRef: 'not supported',
  $recursiveRef: 'not supported',
};

const meta = new Validator();

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A name as a schema path token (URI fragment form, as ajv writes `schemaPath`). */
function schemaToken(name: string): string {
  // ajv keeps `$` as written (`#/$defs/…`, from the `$ref`).
  return encodeURIComponent(name.replace(/~/g, '~0').replace(/\//g, '~1')).replace(/%24/g, '$');
}

/**
 * Where each object inside `root` sits, as a `#/a/b` pointer (ajv's `schemaPath` form); the
 * first place wins when an object is shared.
 */
export function schemaPointers(root: unknown): Map<unknown, string> {
  const out = new Map<unknown, string>();
  const visit = (node: unknown, at: string) => {
    if (typeof node !== 'object' || node === null || out.has(node)) return;
    out.set(node, at);
    for (const [k, v] of Object.entries(node)) visit(v, `${at}/${schemaToken(k)}`);
  };
  visit(root, '#');
  return out;
}

/** Throws {@link SchemaError} when `schema` (with `$ref`s into `root`) cannot be used. */
export function checkSchema(schema: unknown, root: unknown): void {
  const result = meta.validate(schema, draft07 as unknown as LibSchema, { nestedErrors: true });
  const first =
    result.errors.find((e) => e.name !== 'anyOf' && e.name !== 'allOf') ?? result.errors[0];
  if (first) {
    const at = first.path.map((p) => `/${schemaToken(String(p))}`).join('');
    throw new SchemaError(`#${at}: ${first.message}`);
  }
  const pointers = schemaPointers(root);
  walk(schema, pointers.get(schema) ?? '#', root);
}

/** Refuses unsupported keywords, tuples and `$ref`s that leave the schema or point nowhere. */
function walk(node: unknown, at: string, root: unknown): void {
  if (Array.isArray(node)) {
    node.forEach((v, i) => walk(v, `${at}/${i}`, root));
    return;
  }
  if (!isObject(node)) return;
  for (const [keyword, why] of Object.entries(UNSUPPORTED)) {
    if (keyword in node) throw new SchemaError(`${at}/${keyword}: ${why} (draft-07 subset)`);
  }
  if (Array.isArray(node.items)) {
    throw new SchemaError(`${at}/items: must be a schema (tuples are not supported)`);
  }
  if (typeof node.$ref === 'string') checkRef(node.$ref, `${at}/$ref`, root);
  for (const [k, v] of Object.entries(node)) {
    if (k !== 'enum' && k !== 'const' && k !== 'default' && k !== 'examples') {
      walk(v, `${at}/${schemaToken(k)}`, root);
    }
  }
}

function checkRef(ref: string, at: string, root: unknown): void {
  if (!ref.startsWith('#')) {
    throw new SchemaError(`${at}: only references inside the schema ("#…") are supported`);
  }
  let node: unknown = root;
  for (const raw of ref === '#' ? [] : ref.slice(2).split('/')) {
    const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    node =
      isObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[token] : undefined;
    if (node === undefined) throw new SchemaError(`${at}: can't resolve reference ${ref}`);
  }
}
