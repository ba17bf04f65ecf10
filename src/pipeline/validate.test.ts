import { describe, expect, it } from 'vitest';
import { inferSchemas, type KnownSchemas } from './infer';
import type { TableSchema } from './table-schema';
import { createCatalog } from '../modules/catalog';
import { builtinCatalog, chain, edge, step, sourceManifest } from './test-catalog';
import type { PipelineDocument } from './types';
import { validatePipeline, validatePipelineWithSchemas } from './validate';

const catalog = builtinCatalog();

/** seattle-weather.csv's columns, as DuckDB and the csv module read them. */
const weather: TableSchema = {
  fields: [
    { name: 'date', type: { type: 'date32' }, nullable: true },
    { name: 'precipitation', type: { type: 'float64' }, nullable: true },
    { name: 'temp_max', type: { type: 'float64' }, nullable: true },
    { name: 'temp_min', type: { type: 'float64' }, nullable: true },
    { name: 'wind', type: { type: 'float64' }, nullable: true },
    { name: 'weather', type: { type: 'utf8' }, nullable: true },
  ],
};
const known: KnownSchemas = { 'source-1': { out: weather } };

/** The README's seattle-weather example: filter → derive → aggregate → sort. */
function seattle(): PipelineDocument {
  return chain(
    step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
    step('filter-1', 'filter', { expression: 'temp_max > 15' }),
    step('derive-1', 'derive', { column: 'temp_range', expression: 'temp_max - temp_min' }),
    step('aggregate-1', 'aggregate', {
      groupBy: ['weather'],
      aggregates: [
        { name: 'days', op: 'count' },
        { name: 'avg_temp_range', op: 'mean', column: 'temp_range' },
        { name: 'total_precipitation', op: 'sum', column: 'precipitation' },
      ],
    }),
    step('sort-1', 'sort', { keys: [{ column: 'days', descending: true }] }),
  );
}

function withParams(doc: PipelineDocument, stepId: string, params: Record<string, unknown>) {
  return { ...doc, steps: doc.steps.map((s) => (s.id === stepId ? { ...s, params } : s)) };
}

const messages = (doc: PipelineDocument, k: KnownSchemas = known) =>
  validatePipeline(doc, catalog, k).map((i) => i.message);

describe('validatePipeline: a valid pipeline', () => {
  it('has no issues and propagates schemas to the end', () => {
    const { issues, schemas } = validatePipelineWithSchemas(seattle(), catalog, known);
    expect(issues).toEqual([]);
    expect(schemas.outputs['derive-1']?.out).toEqual({
      known: true,
      schema: {
        fields: [
          ...weather.fields,
          { name: 'temp_range', type: { type: 'float64' }, nullable: true },
        ],
      },
    });
    expect(schemas.outputs['sort-1']?.out).toEqual({
      known: true,
      schema: {
        fields: [
          { name: 'weather', type: { type: 'utf8' }, nullable: true },
          { name: 'days', type: { type: 'int64' }, nullable: false },
          { name: 'avg_temp_range', type: { type: 'float64' }, nullable: true },
          { name: 'total_precipitation', type: { type: 'float64' }, nullable: true },
        ],
      },
    });
    expect(schemas.inputs['sort-1']?.in).toEqual(schemas.outputs['aggregate-1']?.out);
  });
});

describe('validatePipeline: graph rules', () => {
  it('names the steps of a cycle', () => {
    const doc = seattle();
    doc.steps.push(step('select-1', 'select'));
    doc.edges.push(edge('sort-1', 'select-1'));
    doc.edges[0] = edge('select-1', 'filter-1');
    expect(messages(doc)).toContain(
      'step "filter-1": steps form a cycle: "filter-1" → "derive-1" → "aggregate-1" → "sort-1" → "select-1" → "filter-1"',
    );
  });

  it('requires every input to be connected exactly once', () => {
    const doc = seattle();
    doc.edges.splice(3, 1); // aggregate-1 → sort-1
    doc.steps.push(step('source-2', 'source', { uri: 'sample:cars.json' }));
    doc.edges.push({ ...edge('source-2', 'filter-1'), id: 'second' });
    const issues = validatePipeline(doc, catalog, known);
    expect(issues.map((i) => i.message)).toEqual([
      'step "filter-1": input port "in" is connected 2 times (from steps "source-1", "source-2"); an input takes one edge',
      'step "sort-1": input port "in" is not connected',
    ]);
    expect(issues[1]).toMatchObject({ stepId: 'sort-1', port: 'in', field: '', severity: 'error' });
  });

  it('reports ports that do not exist and port types that differ', () => {
    const doc = seattle();
    doc.edges[1] = edge('filter-1', 'derive-1', 'rows', 'in');
    doc.steps.push(step('csv-1', 'csv'));
    doc.edges.push(edge('sort-1', 'csv-1', 'out', 'csv'));
    expect(messages(doc)).toEqual([
      'step "filter-1": has no output port "rows" (edge "filter-1.rows->derive-1.in")',
      'step "csv-1": input port "csv" takes bytes, but step "sort-1" output "out" gives arrow',
    ]);
  });

  it('reports repeated step and edge ids in a document built in memory', () => {
    const doc = seattle();
    doc.steps.push({ ...doc.steps[4]!, position: { x: 9, y: 9 } });
    doc.edges.push({ ...doc.edges[0]! });
    const issues = validatePipeline(doc, catalog, known);
    expect(issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'step "sort-1": step id "sort-1" is used by two steps',
        'edge id "source-1.out->filter-1.in" is used twice',
      ]),
    );
  });

  it('reports unknown modules and edges to missing steps', () => {
    const doc = seattle();
    doc.steps[2] = { ...doc.steps[2]!, moduleId: 'no-such-module' };
    doc.edges.push(edge('sort-1', 'ghost-1'));
    expect(messages(doc)).toEqual([
      'step "derive-1": unknown module "no-such-module"',
      'edge "sort-1.out->ghost-1.in" refers to no step "ghost-1"',
    ]);
  });
});

describe('validatePipeline: params against the JSON Schema', () => {
  it('names step and field in human words', () => {
    let doc = withParams(seattle(), 'filter-1', { expression: 3 });
    doc = withParams(doc, 'sort-1', { keys: [{ column: 'days', order: 'desc' }] });
    const issues = validatePipeline(doc, catalog, known);
    expect(issues.map((i) => i.message)).toEqual([
      'step "filter-1": params.expression: Expression must be text',
      'step "sort-1": params.keys[0].order: Order is not a setting of this step',
    ]);
    expect(issues[0]).toMatchObject({
      stepId: 'filter-1',
      field: '/expression',
      detail: 'Expression must be text',
      severity: 'error',
    });
  });

  it('reports missing required params and wrong enums', () => {
    let doc = withParams(seattle(), 'derive-1', { expression: 'temp_max - temp_min' });
    doc = withParams(doc, 'aggregate-1', {
      groupBy: ['weather'],
      aggregates: [{ name: 'days', op: 'median', column: 'wind' }],
    });
    expect(messages(doc)).toEqual([
      'step "derive-1": params.column: Column is required',
      'step "aggregate-1": params.aggregates[0].op: Choose one of: count, count_distinct, sum, mean, min, max, first, last',
    ]);
  });
});

describe('validatePipeline: column references checked through propagated schemas', () => {
  it('a sort key missing from its input, with a suggestion', () => {
    const doc = withParams(seattle(), 'sort-1', { keys: [{ column: 'dayz' }] });
    const issues = validatePipeline(doc, catalog, known);
    expect(issues).toEqual([
      {
        stepId: 'sort-1',
        field: '/keys/0/column',
        severity: 'error',
        message:
          'step "sort-1": params.keys[0].column: no column "dayz" in the input (did you mean "days"?)',
        detail: 'no column "dayz" in the input (did you mean "days"?)',
      },
    ]);
  });

  it('lists the columns when nothing is close', () => {
    const doc = withParams(seattle(), 'sort-1', { keys: [{ column: 'tmp' }] });
    expect(messages(doc)).toEqual([
      'step "sort-1": params.keys[0].column: no column "tmp" in the input (columns: "weather", "days", "avg_temp_range", "total_precipitation")',
    ]);
  });

  it('a derived column exists downstream only after its derive step', () => {
    const doc = seattle();
    // Sorting by temp_range right after the filter: derive has not added it yet.
    doc.steps.push(step('sort-2', 'sort', { keys: [{ column: 'temp_range' }] }));
    doc.edges.push(edge('filter-1', 'sort-2'));
    expect(messages(doc)).toEqual([
      'step "sort-2": params.keys[0].column: no column "temp_range" in the input (columns: "date", "precipitation", "temp_max", "temp_min", "wind", "weather")',
    ]);
  });

  it('expressions are type-checked against the input schema', () => {
    let doc = withParams(seattle(), 'filter-1', { expression: 'temp_max + 15' });
    doc = withParams(doc, 'derive-1', { column: 'temp_range', expression: 'temp_max - tmp_min' });
    const issues = validatePipeline(doc, catalog, known);
    expect(issues.map((i) => [i.stepId, i.field])).toEqual([
      ['filter-1', '/expression'],
      ['derive-1', '/expression'],
    ]);
    expect(issues[0]?.message).toMatch(
      /^step "filter-1": params\.expression: expression must be a boolean/,
    );
    expect(issues[1]?.message).toMatch(
      /^step "derive-1": params\.expression: unknown column "tmp_min".*did you mean "temp_min"/,
    );
  });

  it('aggregate: sum needs numbers, keys and columns must exist, names must be unique', () => {
    const doc = withParams(seattle(), 'aggregate-1', {
      groupBy: ['wether'],
      aggregates: [
        { name: 'days', op: 'count' },
        { name: 'total', op: 'sum', column: 'weather' },
        { name: 'days', op: 'max', column: 'wind' },
      ],
    });
    expect(messages(doc)).toEqual([
      'step "aggregate-1": params.groupBy[0]: no column "wether" in the input (did you mean "weather"?)',
      'step "aggregate-1": params.aggregates[1].column: sum needs a numeric column, but "weather" is utf8',
      'step "aggregate-1": params.aggregates[2].name: output column "days" appears twice',
    ]);
  });

  it('select: renames flow downstream, conflicts are named', () => {
    const doc = chain(
      step('source-1', 'source', { uri: 'x' }),
      step('select-1', 'select', {
        columns: [{ name: 'date' }, { name: 'temp_max', as: 'high' }],
      }),
      step('sort-1', 'sort', { keys: [{ column: 'temp_max' }] }),
    );
    expect(messages(doc)).toEqual([
      'step "sort-1": params.keys[0].column: no column "temp_max" in the input (columns: "date", "high")',
    ]);
    const both = withParams(doc, 'select-1', {
      columns: [{ name: 'date' }],
      drop: ['wind'],
    });
    expect(messages(withParams(both, 'sort-1', { keys: [{ column: 'date' }] }))).toEqual([
      'step "select-1": params.columns: cannot be combined with "drop" or "rename"; use one or the other',
    ]);
    const dropRename = withParams(doc, 'select-1', {
      drop: ['wind'],
      rename: [
        { name: 'wind', as: 'w' },
        { name: 'temp_min', as: 'date' },
      ],
    });
    expect(messages(withParams(dropRename, 'sort-1', { keys: [{ column: 'date' }] }))).toEqual([
      'step "select-1": params.rename[0].name: column "wind" is dropped, so it cannot be renamed',
      'step "select-1": params.rename[1].as: output column "date" appears twice',
    ]);
  });

  it('unknown schemas (CSV or a file not previewed) disable column checks, not fail', () => {
    const doc = withParams(seattle(), 'sort-1', { keys: [{ column: 'no_such_column' }] });
    const { issues, schemas } = validatePipelineWithSchemas(doc, catalog, {});
    expect(issues).toEqual([]);
    expect(schemas.outputs['sort-1']?.out).toEqual({
      known: false,
      reason: 'Source file columns are known after a preview or a run',
    });
  });

  it('still checks expression syntax when the schema is unknown', () => {
    const doc = withParams(seattle(), 'filter-1', { expression: 'temp_max >' });
    const issues = validatePipeline(doc, catalog, {});
    expect(issues.map((i) => [i.stepId, i.field])).toEqual([['filter-1', '/expression']]);
  });

  it('uses known output schemas for steps with no rule, e.g. a user module', () => {
    const doc = withParams(seattle(), 'sort-1', { keys: [{ column: 'day' }] });
    const inferred = inferSchemas(doc, catalog, {
      'aggregate-1': {
        out: { fields: [{ name: 'days', type: { type: 'int64' }, nullable: false }] },
      },
    });
    // Source unknown → aggregate unknown → the preview's schema is used instead.
    expect(inferred.issues.map((i) => i.message)).toEqual([
      'step "sort-1": params.keys[0].column: no column "day" in the input (did you mean "days"?)',
    ]);
  });
});

describe('validatePipeline: step shape and permissions', () => {
  it('names bad limits and permissions of a document built in memory', () => {
    const doc = seattle();
    doc.steps[1] = {
      ...doc.steps[1]!,
      limits: { timeoutMs: 0, maxMemoryMiB: 64 },
      permissions: { storage: 'none', clock: 'sometimes' as 'real', random: 'none' },
    };
    expect(messages(doc)).toEqual([
      'step "filter-1": permissions.clock: must be one of "none", "real", "deterministic"',
      'step "filter-1": limits.timeoutMs: must be >= 1',
    ]);
  });

  it('warns when a module asks for a permission that was not granted', () => {
    const asking = {
      ...sourceManifest,
      id: 'stamp',
      kind: 'wasm' as const,
      inputs: [],
      permissions: { clock: true, storage: 'read' as const },
    };
    const cat = createCatalog([{ manifest: asking, fileName: 'stamp.json' }]);
    const doc = chain(step('stamp-1', 'stamp', { uri: 'x' }));
    const issues = validatePipeline(doc, cat);
    expect(issues.map((i) => [i.severity, i.message])).toEqual([
      [
        'warning',
        'step "stamp-1": permissions.storage: the module asks to read storage (/data); not granted',
      ],
      [
        'warning',
        'step "stamp-1": permissions.clock: the module asks for the clock; not granted, so it may be refused before running',
      ],
    ]);
    const granted = {
      ...doc,
      steps: [
        {
          ...doc.steps[0]!,
          permissions: {
            storage: 'read' as const,
            clock: 'deterministic' as const,
            random: 'none' as const,
          },
        },
      ],
    };
    expect(validatePipeline(granted, cat)).toEqual([]);
  });
});

describe('validatePipeline: a CSV file through the csv step', () => {
  function csvPipeline(): PipelineDocument {
    const doc = chain(
      step('source-1', 'source', { uri: 'sample:seattle-weather.csv' }),
      step('csv-1', 'csv'),
      step('sort-1', 'sort', { keys: [{ column: 'temp_mx' }] }),
    );
    doc.edges[0] = edge('source-1', 'csv-1', 'bytes', 'csv');
    return doc;
  }

  it('checks columns once the csv step has been previewed', () => {
    expect(messages(csvPipeline(), { 'csv-1': { out: weather } })).toEqual([
      'step "sort-1": params.keys[0].column: no column "temp_mx" in the input (did you mean "temp_max"?)',
    ]);
  });

  it('before a preview, says why the columns are unknown instead of failing', () => {
    const { issues, schemas } = validatePipelineWithSchemas(csvPipeline(), catalog, {});
    expect(issues).toEqual([]);
    expect(schemas.inputs['sort-1']?.in).toEqual({
      known: false,
      reason: 'CSV columns are known after a preview or a run',
    });
    expect(schemas.outputs['source-1']?.bytes?.known).toBe(false);
  });

  it('refuses the table output of a source wired into the csv step', () => {
    const doc = csvPipeline();
    doc.edges[0] = edge('source-1', 'csv-1', 'out', 'csv');
    expect(messages(doc, {})).toEqual([
      'step "csv-1": input port "csv" takes bytes, but step "source-1" output "out" gives arrow',
    ]);
  });
});
