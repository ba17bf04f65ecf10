/**
 * The problems the rules of distinct, window, cast, fill, sample, pivot and unpivot report before
 * a run (their output schemas are checked against the modules in conformance.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { known, unknownSchema, type TableSchema } from '../table-schema';
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
    { name: 'date', type: { type: 'date32' }, nullable: true },
  ],
};

/** Runs module `id`'s rule on `table`; returns "field: message" per issue. */
function issues(id: string, params: Record<string, unknown>): string[] {
  const r = schemaRules[id]!({ params, inputs: { in: known(table) }, known: undefined });
  return r.issues.map((i) => `${i.field}: ${i.message}`);
}

describe('rules of the analyst steps', () => {
  it('name missing columns at their parameter', () => {
    expect(issues('distinct', { columns: ['delay', 'dely'] })).toEqual([
      '/columns/1: no column "dely" in the input (did you mean "delay"?)',
    ]);
    expect(issues('fill', { groupBy: ['orign'] })[0]).toMatch(/^\/groupBy\/0: no column "orign"/);
    expect(
      issues('window', { orderBy: [{ column: 'x' }], columns: [{ name: 'r', op: 'rank' }] })[0],
    ).toMatch(/^\/orderBy\/0\/column: no column "x"/);
  });

  it('leave a list item not filled in yet to the params check (the form just added it)', () => {
    expect(issues('aggregate', { groupBy: [undefined], aggregates: [] })).toEqual([]);
    expect(issues('distinct', { columns: ['delay', ''] })).toEqual([]);
  });

  it('refuse what the modules refuse', () => {
    expect(
      issues('window', { columns: [{ name: 's', op: 'running_sum', column: 'origin' }] }),
    ).toEqual([
      '/columns/0/column: running_sum needs a numeric column, but "origin" is dictionary<int32, utf8>',
    ]);
    expect(issues('window', { columns: [{ name: 'delay', op: 'rank' }] })).toEqual([
      '/columns/0/name: output column "delay" appears twice',
    ]);
    expect(issues('cast', { columns: [{ column: 'date', to: 'int64' }] })).toEqual([
      '/columns/0/to: column "date" (date32) cannot be cast to int64',
    ]);
    expect(issues('sample', { seed: 1 })).toEqual(['/rows: give exactly one of rows and fraction']);
    expect(issues('pivot', { column: 'origin', values: ['delay'], value: 'delay' })).toEqual([]);
    expect(
      issues('pivot', { index: ['delay'], column: 'origin', values: ['delay'], value: 'distance' }),
    ).toEqual(['/values/0: output column "delay" appears twice']);
    expect(issues('pivot', { column: 'distance', values: ['1'], op: 'count' })[0]).toMatch(
      /^\/column: pivot on text, integers or booleans/,
    );
    expect(issues('unpivot', { columns: ['delay', 'date'] })).toEqual([
      '/columns/1: column "date" is date32, but "delay" is int16',
    ]);
  });

  it('pass an unknown input on', () => {
    const unknown = unknownSchema('input "in" is not connected');
    const r = schemaRules['pivot']!({
      params: { column: 'a', values: [] },
      inputs: { in: unknown },
      known: undefined,
    });
    expect(r.outputs.out).toEqual(unknown);
  });
});
