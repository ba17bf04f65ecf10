/**
 * The join's schema rule: its issues, and its schema against the schema the built module writes
 * on the same inputs (so the rule cannot drift from join_layout.c).
 */
import {
  Dictionary,
  Float64,
  Int32,
  Int64,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { runBuiltModuleInputs } from '../../../modules/sdk/reactor.testkit';
import { fromArrowSchema } from '../arrow-schema';
import { formatColumnType, known, unknownSchema, type TableSchema } from '../table-schema';
import { joinRule } from './join';

const left = new Table({
  id: vectorFromArray([1, 2, 3], new Int32()),
  code: vectorFromArray(['a', 'b', null], new Dictionary(new Utf8(), new Int32())),
  name: vectorFromArray(['x', 'y', 'z'], new Utf8()),
  score: vectorFromArray([0.5, 1.5, 2.5], new Float64()),
});
const right = new Table({
  id: vectorFromArray([2n, 3n, 4n], new Int64()),
  code: vectorFromArray(['b', 'c', 'a'], new Utf8()),
  name: vectorFromArray(['p', 'q', 'r'], new Utf8()),
  weight: vectorFromArray([1, 2, 3], new Int32()),
});

const shape = (s: TableSchema) =>
  s.fields.map((f) => `${f.name}: ${formatColumnType(f.type)}${f.nullable ? '' : ' not null'}`);

function inferred(params: Record<string, unknown>) {
  return joinRule({
    params,
    inputs: {
      left: known(fromArrowSchema(left.schema)),
      right: known(fromArrowSchema(right.schema)),
    },
    known: undefined,
  });
}

function written(params: Record<string, unknown>): TableSchema {
  const run = runBuiltModuleInputs(
    'join',
    2,
    [
      { name: 'left', stream: tableToIPC(left, 'stream') },
      { name: 'right', stream: tableToIPC(right, 'stream') },
    ],
    params,
    [1, 0],
  );
  if (run.output === undefined) throw new Error(run.stderr);
  return fromArrowSchema(tableFromIPC(run.output).schema);
}

describe('join schema rule', () => {
  it.each([
    [{ keys: [{ left: 'code', right: 'code' }] }],
    [{ how: 'full', keys: [{ left: 'id', right: 'weight' }], leftSuffix: '_l', rightSuffix: '_r' }],
    [
      {
        how: 'left',
        keys: [
          { left: 'id', right: 'id' },
          { left: 'code', right: 'code' },
        ],
      },
    ],
    [{ how: 'anti', keys: [{ left: 'name', right: 'code' }] }],
  ])('gives the schema the module writes for %j', (params) => {
    const rule = inferred(params);
    expect(rule.issues).toEqual([]);
    const out = rule.outputs.out;
    if (!out?.known) throw new Error('unknown output');
    expect(shape(out.schema)).toEqual(shape(written(params)));
  });

  it('names a missing key column, an incomparable pair and a name clash', () => {
    expect(inferred({ keys: [{ left: 'idd', right: 'id' }] }).issues).toEqual([
      {
        field: '/keys/0/left',
        message: 'no column "idd" in the left input (did you mean "id"?)',
        severity: 'error',
      },
    ]);
    expect(inferred({ keys: [{ left: 'score', right: 'code' }] }).issues[0]?.message).toBe(
      'key columns "score" and "code" cannot be compared',
    );
    // int32 and int64 ids are not one column; code is not a key here: all three clash.
    const clashes = inferred({
      keys: [{ left: 'id', right: 'id' }],
      leftSuffix: '',
      rightSuffix: '',
    });
    expect(clashes.issues.map((i) => i.message)).toEqual(
      ['id', 'code', 'name'].map(
        (n) => `output column "${n}" appears twice; choose other suffixes`,
      ),
    );
  });

  it('is unknown while an input is', () => {
    const out = joinRule({
      params: { keys: [{ left: 'id', right: 'id' }] },
      inputs: { left: known(fromArrowSchema(left.schema)), right: unknownSchema('not read yet') },
      known: undefined,
    });
    expect(out.outputs.out).toEqual(unknownSchema('not read yet'));
  });
});
