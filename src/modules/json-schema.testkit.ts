/**
 * Test helpers: compare `compileSchema` (the `jsonschema` library behind an adapter) with ajv on values and on
 * mutations of them.
 */
import Ajv2020, { type ErrorObject } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { compileSchema } from './json-schema';

function ajvFor(schema: unknown) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema as object);
}

/** Errors as comparable strings, in their order. */
function shape(errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((e) =>
    JSON.stringify([e.keyword, e.instancePath, e.schemaPath, e.params, e.message]),
  );
}

/**
 * ajv's errors less what the library does not report: why each item failed a `contains` that
 * no item met (the `contains` error itself is reported by both), and the `propertyNames`
 * summary after a name's own error (which both report).
 */
function ajvOnly(errors: readonly ErrorObject[] | null | undefined): ErrorObject[] {
  return (errors ?? []).filter(
    (e) => !e.schemaPath.includes('/contains/') && e.keyword !== 'propertyNames',
  );
}

const WRONG: unknown[] = ['x', 7, 2.5, -1, true, null, [], {}, [1, 1], 'a/b~c', ''];

/** The value, then variants: each field removed, each leaf replaced, an unknown field added. */
export function mutations(value: unknown): unknown[] {
  const out: unknown[] = [value];
  const visit = (node: unknown, replace: (v: unknown) => unknown) => {
    for (const w of WRONG) out.push(replace(w));
    if (Array.isArray(node)) {
      node.forEach((child, i) =>
        visit(child, (v) => replace(node.map((c, j) => (i === j ? v : c)))),
      );
      out.push(replace([...node, ...node]));
    } else if (typeof node === 'object' && node !== null) {
      const o = node as Record<string, unknown>;
      out.push(replace({ ...o, 'unknown field': 1 }));
      for (const key of Object.keys(o)) {
        const rest = { ...o };
        delete rest[key];
        out.push(replace(rest));
        visit(o[key], (v) => replace({ ...o, [key]: v }));
      }
    }
  };
  visit(value, (v) => v);
  return out;
}

/** Whether two lists of strings are equal, item by item. */
function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * Asserts both agree on each value; returns how many values were invalid. The value is printed
 * (and `expect` called) only where they differ: a mutated document is tens of kilobytes, and
 * printing every one of thousands up front took most of a schema's test time.
 */
export function agree(schema: unknown, values: unknown[]): number {
  const reference = ajvFor(schema);
  const mine = compileSchema(schema);
  let invalid = 0;
  for (const value of values) {
    const expected = reference(value);
    const got = mine(value);
    const errors = shape(mine.errors);
    const expectedErrors = shape(ajvOnly(reference.errors));
    if (got !== expected || !sameStrings(errors, expectedErrors)) {
      expect(got, JSON.stringify(value)).toBe(expected);
      expect(errors, JSON.stringify(value)).toEqual(expectedErrors);
    }
    if (!expected) invalid++;
  }
  return invalid;
}
