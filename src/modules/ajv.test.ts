import { describe, expect, it } from 'vitest';
import { validateWith } from './ajv';
import { compileSchema } from './json-schema';

const schema = {
  type: 'object',
  properties: { count: { type: 'number' }, name: { type: 'string' } },
  required: ['count'],
  additionalProperties: false,
};

describe('validateWith', () => {
  it('answers a value checked before as the first time, and rechecks a changed one', () => {
    let calls = 0;
    const inner = compileSchema(schema);
    const counting = Object.assign((data: unknown) => (calls++, inner(data)), inner);
    Object.defineProperty(counting, 'errors', { get: () => inner.errors });
    const value = { count: 'three' };
    const first = validateWith(counting, value);
    expect(first.map((e) => e.pointer)).toEqual(['/count']);
    first[0]!.message = 'changed by its receiver';
    expect(validateWith(counting, { count: 'three' })).toEqual(validateWith(inner, value));
    expect(calls).toBe(1);
    expect(validateWith(counting, { count: 3 })).toEqual([]);
    expect(calls).toBe(2);
  });

  it('tells NaN from null and a missing field from an undefined one', () => {
    const validate = compileSchema(schema);
    // Each answer as a validator that never saw the values before would give it.
    const fresh = (value: unknown) => validateWith(compileSchema(schema), value);
    for (const value of [
      { count: null },
      { count: Number.NaN },
      { count: 1, name: null },
      { count: 1, name: undefined },
      { count: 1 },
    ])
      expect(validateWith(validate, value)).toEqual(fresh(value));
  });
});
