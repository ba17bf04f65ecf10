/**
 * A chart step's own Vega-Lite spec is checked against Vega-Lite's JSON Schema
 * (`vega-lite/vega-lite-schema.json`) without eval: each problem is named by its path, and the
 * schema rule reports it at the step's `spec` field.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import schema from 'vega-lite/vega-lite-schema.json';
import { compile, type TopLevelSpec } from 'vega-lite';
import Ajv from 'ajv';
import { setVegaLiteSchema, specProblems } from './chart-spec';
import { checkJsonSchema, formatPath, type JsonSchema } from './json-schema-check';
import { chartRule } from './schema-rules/chart';
import type { TableSchema } from './table-schema';

beforeAll(() => setVegaLiteSchema(schema as JsonSchema));

const bar = (x: Record<string, unknown>) => ({
  mark: 'bar',
  encoding: { x, y: { field: 'value', type: 'quantitative' } },
});

describe('specProblems', () => {
  it('passes specs Vega-Lite compiles: a bar, a layer, a facet', () => {
    const specs = [
      bar({ field: 'x', type: 'nominal', title: 'weather' }),
      {
        layer: [
          { mark: 'rule', encoding: { y: { field: 'min', type: 'quantitative' } } },
          { mark: { type: 'tick', color: 'white' }, encoding: { y: { field: 'median' } } },
        ],
      },
      { facet: { column: { field: 'facet' } }, spec: bar({ field: 'x', type: 'ordinal' }) },
    ];
    for (const spec of specs) {
      expect(specProblems(spec)).toEqual([]);
      expect(() => compile({ ...spec, data: { values: [] } } as TopLevelSpec)).not.toThrow();
    }
  });

  it('names an enum problem by its path, listing what fits', () => {
    expect(specProblems(bar({ field: 'x', type: 'categorical' }))).toEqual([
      'encoding.x.type: must be one of "quantitative", "ordinal", "temporal", "nominal"',
    ]);
  });

  it('finds the path inside layers and suggests a close name', () => {
    const spec = { layer: [{ mark: 'rule', encoding: { y: { fild: 'min' } } }] };
    expect(specProblems(spec)).toEqual([
      'layer[0].encoding.y.fild: is not a property here (did you mean "field"?)',
    ]);
  });

  it('merges the marks of every kind into one list, with a suggestion', () => {
    const [problem] = specProblems({ ...bar({ field: 'x', type: 'nominal' }), mark: 'barr' });
    expect(problem).toMatch(
      /^mark: must be one of .*"bar".* \(or an object\) \(did you mean "bar"\?\)$/,
    );
  });

  it('lists problems in the order of the spec, not of the schema', () => {
    const problems = specProblems({ ...bar({ field: 'x', type: 'nominl' }), mark: 'barr' });
    expect(problems.map((p) => p.split(':')[0])).toEqual(['mark', 'encoding.x.type']);
  });

  it('says which type a property takes', () => {
    const spec = { ...bar({ field: 'x', type: 'nominal' }), height: 'tall' };
    expect(specProblems(spec)).toEqual([
      'height: must be one of "container" (or a number or an object)',
    ]);
  });
});

describe('checkJsonSchema against ajv', () => {
  // Another validator of the same schema (compiled with eval: fine in a test) must agree on
  // what is valid; formats are not checked by either.
  const reference = new Ajv({ strict: false, validateFormats: false }).compile(schema);
  const specs: Record<string, unknown>[] = [
    bar({ field: 'x', type: 'nominal' }),
    bar({ field: 'x', type: 'nominl' }),
    bar({ fild: 'x', type: 'nominal' }),
    bar({ field: 'x', type: 'nominal', aggregate: 'avg' }),
    bar({ field: 'x', type: 'nominal', bin: { maxbins: 10 } }),
    bar({ field: 'x', type: 'nominal', bin: { maxbins: 'ten' } }),
    { ...bar({ field: 'x', type: 'nominal' }), mark: { type: 'bar', opacity: 'x' } },
    { ...bar({ field: 'x', type: 'nominal' }), width: 'container', height: 'tall' },
    { ...bar({ field: 'x', type: 'nominal' }), mark: 'barr' },
    { layer: [{ mark: 'rule', encoding: { y: { field: 'min', type: 'quantitative' } } }] },
    { layer: [{ mark: 'rule', encoding: { y: { field: 'min', type: 'q' } } }] },
    { facet: { row: { field: 'facet' } }, spec: bar({ field: 'x', type: 'ordinal' }) },
    { facet: { row: { field: 'facet' } }, spec: bar({ field: 'x', type: 'ordinal' }), columns: -1 },
  ];
  it.each(specs.map((s, i) => [i, s] as const))('spec %i: the same verdict', (_, spec) => {
    const drawn = { ...spec, data: { values: [] } };
    const ours = checkJsonSchema(drawn, schema as JsonSchema);
    expect(ours.length === 0, JSON.stringify(ours)).toBe(reference(drawn));
  });
});

describe('checkJsonSchema', () => {
  const root: JsonSchema = {
    definitions: { Size: { type: 'integer', minimum: 1, maximum: 200 } },
    type: 'object',
    additionalProperties: false,
    required: ['bins'],
    properties: {
      bins: { $ref: '#/definitions/Size' },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 },
      width: { anyOf: [{ type: 'number', minimum: 0 }, { const: 'container' }] },
    },
  };
  const problems = (v: unknown) =>
    checkJsonSchema(v, root).map((e) => `${formatPath(e.path)}: ${e.message}`);

  it('checks numbers, arrays and items against their keywords', () => {
    expect(problems({ bins: 0 })).toEqual(['bins: must be at least 1']);
    expect(problems({ bins: 2.5 })).toEqual(['bins: must be an integer']);
    expect(problems({ bins: 3, tags: ['a', 1, 'c'] })).toEqual([
      'tags: must have at most 2 items',
      'tags[1]: must be a string',
    ]);
    expect(problems({})).toEqual([': needs the property "bins"']);
  });

  it('blames the anyOf branch whose type fits the value', () => {
    expect(problems({ bins: 3, width: -1 })).toEqual(['width: must be at least 0']);
    expect(problems({ bins: 3, width: 'wide' })).toEqual([
      'width: must be one of "container" (or a number)',
    ]);
  });
});

describe('the chart rule', () => {
  const input: TableSchema = {
    fields: [{ name: 'weather', type: { type: 'utf8' }, nullable: true }],
  };
  it('reports a spec problem at the spec field, with its path', () => {
    const spec = JSON.stringify(bar({ field: 'x', type: 'nominall' }));
    const { issues } = chartRule({
      params: { mark: 'bar', x: 'weather', spec },
      inputs: { in: { known: true, schema: input } },
      known: undefined,
    });
    expect(issues).toEqual([
      {
        field: '/spec',
        message:
          'encoding.x.type: must be one of "quantitative", "ordinal", "temporal", "nominal" (did you mean "nominal"?)',
        severity: 'error',
      },
    ]);
  });

  it('checks the size and facet columns, and that size is for points', () => {
    const { issues } = chartRule({
      params: { mark: 'bar', x: 'weather', size: 'weather', facet: 'wether' },
      inputs: { in: { known: true, schema: input } },
      known: undefined,
    });
    expect(issues).toEqual([
      {
        field: '/facet',
        message: 'no column "wether" in the input (did you mean "weather"?)',
        severity: 'error',
      },
      { field: '/size', message: 'size applies to point charts only', severity: 'warning' },
    ]);
  });
});
