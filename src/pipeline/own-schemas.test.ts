import { describe, expect, it } from 'vitest';
import { pipelineDocumentSchema } from './document-schema';
import { manifestSchema } from '../modules/manifest';
import { checkSchema, SchemaError } from '../modules/schema-check';

/**
 * The app's own schemas, compiled with `ownSchema: true` (no meta-check at run time:
 * src/modules/catalog.ts, src/pipeline/serialize.ts, src/pipeline/validate.ts), pass the check
 * compileSchema would otherwise make.
 */
describe('own schemas', () => {
  const stepShape = pipelineDocumentSchema.properties.steps.items;
  const own: [string, unknown][] = [
    ['manifestSchema', manifestSchema],
    ['pipelineDocumentSchema', pipelineDocumentSchema],
    ['pipelineDocumentSchema.properties.steps.items', stepShape],
  ];
  for (const [name, schema] of own) {
    it(`${name} is a usable draft-07 schema`, () => {
      expect(() => checkSchema(schema, schema)).not.toThrow();
    });
  }

  it('the check refuses a schema it cannot interpret', () => {
    const bad = { ...manifestSchema, prefixItems: [] };
    expect(() => checkSchema(bad, bad)).toThrow(SchemaError);
  });
});
