/**
 * The interpreting validator against ajv (the reference it replaces): for the manifest schema
 * (the document schema: src/pipeline/document-validation.test.ts) and every built-in module's params schema, on real values and on
 * hundreds of mutations of them (a field removed, a value of the wrong type, an unknown field),
 * both agree on validity and report the same errors (keyword, instancePath, schemaPath,
 * params, message) in the same order.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileSchema, SchemaError } from './json-schema';
import { agree, mutations } from './json-schema.testkit';
import { manifestSchema } from './manifest';

const root = join(import.meta.dirname, '../..');

const manifests = readdirSync(join(root, 'public/modules'))
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map(
    (f) =>
      JSON.parse(readFileSync(join(root, 'public/modules', f), 'utf8')) as {
        id: string;
        params: Record<string, unknown>;
      },
  );

describe('compileSchema agrees with ajv', () => {
  it('on the manifest schema, for every built-in manifest and its mutations', () => {
    const values = manifests.flatMap((m) => mutations(m));
    expect(agree(manifestSchema, values)).toBeGreaterThan(500);
  });

  it.each(manifests.map((m) => [m.id, m] as const))('on the %s params schema', (_id, m) => {
    const schema = { ...m.params };
    delete schema.$schema;
    const defaults = Object.fromEntries(
      Object.entries((schema.properties ?? {}) as Record<string, { default?: unknown }>)
        .filter(([, p]) => p.default !== undefined)
        .map(([k, p]) => [k, p.default]),
    );
    agree(schema, mutations(defaults));
  });

  it('on keywords the built-in schemas do not use', () => {
    const schema = {
      $defs: { name: { type: 'string', minLength: 2, format: 'email' } },
      type: 'object',
      properties: {
        a: { $ref: '#/$defs/name' },
        b: { type: ['integer', 'null'], multipleOf: 3, exclusiveMinimum: 0, exclusiveMaximum: 10 },
        c: { items: { type: 'number' }, contains: { const: 1 } },
        d: { anyOf: [{ type: 'string' }, { type: 'number' }] },
        e: { oneOf: [{ type: 'number' }, { type: 'integer' }] },
        f: { allOf: [{ maxLength: 3 }, { pattern: '^[a-z]+$' }] },
        g: { minProperties: 1, maxProperties: 2, propertyNames: { pattern: '^x' } },
        h: { if: { type: 'string' }, then: { maxLength: 1 }, else: { type: 'number' } },
        i: { uniqueItems: true, minItems: 1, maxItems: 3 },
        j: false,
      },
      patternProperties: { '^p_': { type: 'boolean' } },
      additionalProperties: { type: 'number' },
    };
    const full = {
      a: 'me@example.com',
      b: 3,
      c: [1, 2],
      d: 'x',
      e: 2.5,
      f: 'ab',
      g: { x1: 1 },
      h: 'z',
      i: [1, 2],
      p_1: true,
      extra: 1,
    };
    const values = [...mutations(full), { a: 'x', g: {}, h: 'long', e: 3, i: [1, 1, 2, 3] }];
    expect(agree(schema, values)).toBeGreaterThan(90);
  });
});

describe('compileSchema refuses what it cannot interpret', () => {
  it.each([
    [{ $ref: 'https://example.com/s.json' }, '#/$ref: only references inside the schema'],
    [{ $ref: '#/$defs/missing' }, "#/$ref: can't resolve reference #/$defs/missing"],
    [
      { properties: { a: { unevaluatedProperties: false } } },
      '#/properties/a/unevaluatedProperties',
    ],
    [{ pattern: '(' }, '#/pattern: does not conform to the "regex" format'],
    [{ items: [{ type: 'string' }] }, '#/items: must be a schema'],
    [{ properties: { a: { prefixItems: [] } } }, '#/properties/a/prefixItems: tuples are not'],
    [{ dependentRequired: { a: ['b'] } }, '#/dependentRequired: use "dependencies"'],
    [{ contains: {}, minContains: 2 }, '#/minContains: not supported'],
    [
      { properties: { a: { type: 'strnig' } } },
      '#/properties/a/type: is not one of enum values: array,boolean',
    ],
    [{ minLength: -1 }, '#/minLength: must be greater than or equal to 0'],
    [{ required: 'a' }, '#/required: is not of a type(s) array'],
  ])('%j', (schema, message) => {
    expect(() => compileSchema(schema)).toThrow(SchemaError);
    expect(() => compileSchema(schema)).toThrow(message);
  });
});
