import { describe, expect, it } from 'vitest';
import { known, unknownSchema, type SchemaInfo, type TableSchema } from '../table-schema';
import { schemaRules } from '.';

const table: TableSchema = {
  fields: [
    {
      name: 'origin',
      type: { type: 'dictionary', index: 'int32', value: { type: 'utf8' } },
      nullable: true,
    },
    { name: 'delay', type: { type: 'int16' }, nullable: true },
    { name: 'distance', type: { type: 'float32' }, nullable: false },
    {
      name: 'date',
      type: { type: 'timestamp', unit: 'millisecond', timezone: null },
      nullable: true,
    },
  ],
};

function run(moduleId: string, params: Record<string, unknown>, input: SchemaInfo = known(table)) {
  const rule = schemaRules[moduleId];
  if (!rule) throw new Error(`no rule for ${moduleId}`);
  return rule({ params, inputs: { in: input }, known: undefined });
}

describe('schema rules of the built-in modules', () => {
  it('limit and sort pass their input through', () => {
    expect(run('limit', { count: 3 }).outputs.out).toEqual(known(table));
    expect(run('sort', { keys: [{ column: 'delay' }] })).toEqual({
      outputs: { out: known(table) },
      issues: [],
    });
  });

  it('an unknown input gives an unknown output with the same reason', () => {
    const u = unknownSchema('CSV columns are known after a preview or a run');
    for (const [id, params] of [
      ['limit', { count: 1 }],
      ['sort', { keys: [{ column: 'x' }] }],
      ['select', { drop: ['x'] }],
      ['aggregate', { groupBy: ['x'] }],
      ['filter', { expression: 'x > 1' }],
      ['derive', { column: 'y', expression: 'x + 1' }],
    ] as const) {
      expect(run(id, params, u)).toEqual({ outputs: { out: u }, issues: [] });
    }
  });

  it('aggregate: sums of small integers are int64, of floats float64; min keeps the type', () => {
    const r = run('aggregate', {
      groupBy: ['origin'],
      aggregates: [
        { name: 'n', op: 'count', column: 'delay' },
        { name: 'distinct_days', op: 'count_distinct', column: 'date' },
        { name: 'total_delay', op: 'sum', column: 'delay' },
        { name: 'total_distance', op: 'sum', column: 'distance' },
        { name: 'avg_delay', op: 'mean', column: 'delay' },
        { name: 'first_day', op: 'min', column: 'date' },
        { name: 'last_origin', op: 'last', column: 'origin' },
      ],
    });
    expect(r.issues).toEqual([]);
    expect(r.outputs.out).toEqual(
      known({
        fields: [
          { ...table.fields[0]!, nullable: true },
          { name: 'n', type: { type: 'int64' }, nullable: false },
          { name: 'distinct_days', type: { type: 'int64' }, nullable: false },
          { name: 'total_delay', type: { type: 'int64' }, nullable: true },
          { name: 'total_distance', type: { type: 'float64' }, nullable: true },
          { name: 'avg_delay', type: { type: 'float64' }, nullable: true },
          { name: 'first_day', type: table.fields[3]!.type, nullable: true },
          { name: 'last_origin', type: table.fields[0]!.type, nullable: true },
        ],
      }),
    );
  });

  it('aggregate with no keys and no aggregates gives no columns', () => {
    expect(run('aggregate', {}).outputs.out).toEqual(known({ fields: [] }));
  });

  it('derive replaces a column in place or appends a new one, typed by the expression', () => {
    const replaced = run('derive', { column: 'delay', expression: 'delay * 60' }).outputs.out;
    expect(replaced?.known && replaced.schema.fields.map((f) => [f.name, f.type.type])).toEqual([
      ['origin', 'dictionary'],
      ['delay', 'int64'],
      ['distance', 'float32'],
      ['date', 'timestamp'],
    ]);
    const added = run('derive', { column: 'late', expression: 'delay > 15' }).outputs.out;
    expect(added?.known && added.schema.fields.at(-1)).toEqual({
      name: 'late',
      type: { type: 'bool' },
      nullable: true,
    });
  });

  it('select with an empty columns list is the drop/rename form, as in select.c', () => {
    const r = run('select', { columns: [], drop: ['date'], rename: [{ name: 'delay', as: 'd' }] });
    expect(r.issues).toEqual([]);
    expect(r.outputs.out?.known && r.outputs.out.schema.fields.map((f) => f.name)).toEqual([
      'origin',
      'd',
      'distance',
    ]);
  });

  it('select can list one column twice under two names', () => {
    const r = run('select', { columns: [{ name: 'delay' }, { name: 'delay', as: 'delay2' }] });
    expect(r.issues).toEqual([]);
    expect(r.outputs.out?.known && r.outputs.out.schema.fields.map((f) => f.name)).toEqual([
      'delay',
      'delay2',
    ]);
  });

  it('csv and source use a schema seen before, or are unknown', () => {
    for (const id of ['csv', 'source']) {
      const rule = schemaRules[id]!;
      expect(rule({ params: {}, inputs: {}, known: { out: table } }).outputs.out).toEqual(
        known(table),
      );
      expect(rule({ params: {}, inputs: {}, known: undefined }).outputs.out?.known).toBe(false);
    }
  });
});
