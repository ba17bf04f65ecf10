/**
 * The form's validator against `@rjsf/validator-ajv8` (what it replaces): on every built-in
 * module's params schema, with values that break each parameter, both report the same errors
 * (name, property, message, params, stack) and the same error schema, and agree on `isValid`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RJSFSchema } from '@rjsf/utils';
import ajvValidator from '@rjsf/validator-ajv8';
import { describe, expect, it } from 'vitest';
import { formValidator } from './form-validator';

const dir = join(import.meta.dirname, '../../public/modules');
const schemas = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .map((f) => {
    const m = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id: string; params: RJSFSchema };
    const schema = { ...m.params };
    delete schema.$schema;
    return [m.id, schema] as const;
  });

const WRONG: unknown[] = ['x', 7, -2.5, true, null, [], {}, ['a', 'a']];

function values(schema: RJSFSchema): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [{}, { 'not a parameter': 1 }];
  for (const key of Object.keys(schema.properties ?? {})) {
    for (const w of WRONG) out.push({ [key]: w });
  }
  return out;
}

describe('formValidator agrees with @rjsf/validator-ajv8', () => {
  it.each(schemas)('on the %s params schema', (_id, schema) => {
    for (const data of values(schema)) {
      const mine = formValidator.validateFormData(data, schema);
      const theirs = ajvValidator.validateFormData(data, schema);
      expect(mine.errors, JSON.stringify(data)).toEqual(theirs.errors);
      expect(mine.errorSchema, JSON.stringify(data)).toEqual(theirs.errorSchema);
      expect(formValidator.isValid(schema, data, schema)).toBe(
        ajvValidator.isValid(schema, data, schema),
      );
    }
  });

  it('reports a schema it cannot use as a form error, not a crash', () => {
    const result = formValidator.validateFormData({}, { $ref: '#/$defs/none' });
    expect(result.errors.map((e) => e.stack)).toEqual([
      "#/$ref: can't resolve reference #/$defs/none",
    ]);
    expect(formValidator.isValid({ $ref: '#/$defs/none' }, {}, {})).toBe(false);
  });
});
