import { describe, expect, it } from 'vitest';
import type { TableSchema } from '../pipeline/table-schema';
import { edge, pipeline, step } from '../runtime/testkit';
import { inferredFor } from './inferredSchemas';
import { validatePipelineWithSchemas } from '../pipeline/validate';
import { builtinCatalog } from '../pipeline/test-catalog';
import javascript from '../runtime/javascript/javascript.json';
import { createCatalog } from '../modules/catalog';

const schema: TableSchema = {
  fields: [{ name: 'range', type: { type: 'float64' }, nullable: true }],
};
const code = 'row => ({ range: row.temp_max - row.temp_min })';

const doc = pipeline(
  [step('js', 'javascript', { code }), step('sort', 'sort', { keys: [{ column: 'rnage' }] })],
  [edge('js', 'sort')],
);

describe('inferredFor', () => {
  it('keeps an inferred schema while its step has the same code and form', () => {
    expect(inferredFor(doc, { js: { code, mode: 'rows', schema } })).toEqual({
      js: { out: schema },
    });
  });

  it('drops it once the code or the form changed', () => {
    expect(inferredFor(doc, { js: { code: 'row => row', mode: 'rows', schema } })).toEqual({});
    expect(inferredFor(doc, { js: { code, mode: 'batch', schema } })).toEqual({});
  });

  it('lets validation check a column reference downstream before any run', () => {
    const catalog = createCatalog([
      ...builtinCatalog()
        .list()
        .map((manifest) => ({ manifest, fileName: `${manifest.id}.json` })),
      { manifest: javascript, fileName: 'javascript.json' },
    ]);
    const known = inferredFor(doc, { js: { code, mode: 'rows', schema } });
    const check = validatePipelineWithSchemas(doc, catalog, known as never);
    expect(check.issues.map((i) => i.detail || i.message).join('\n')).toContain(
      'no column "rnage" in the input (columns: "range")',
    );
  });
});
