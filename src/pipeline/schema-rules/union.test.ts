/**
 * The union's schema rule: its schema against the schema the built module writes on the same
 * inputs (so the rule cannot drift from union_types.c), and its errors.
 */
import {
  Dictionary,
  Float64,
  Int16,
  Int32,
  Int64,
  Null,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { runBuiltModuleInputs } from '../../../modules/sdk/reactor.testkit';
import { fromArrowSchema } from '../arrow-schema';
import { formatColumnType, known, type TableSchema } from '../table-schema';
import { unionRule } from './union';

const first = new Table({
  id: vectorFromArray([1, 2], new Int32()),
  code: vectorFromArray(['a', null], new Dictionary(new Utf8(), new Int32())),
  score: vectorFromArray([1n, 2n], new Int64()),
  empty: vectorFromArray([null, null], new Null()),
  only_first: vectorFromArray(['x', 'y'], new Dictionary(new Utf8(), new Int32())),
});
const second = new Table({
  score: vectorFromArray([0.5, 1.5], new Float64()),
  id: vectorFromArray([3, 4], new Int16()),
  code: vectorFromArray(['b', 'c'], new Utf8()),
  empty: vectorFromArray([7, 8], new Int32()),
  only_second: vectorFromArray(['p', 'q'], new Utf8()),
});

const shape = (s: TableSchema) =>
  s.fields.map((f) => `${f.name}: ${formatColumnType(f.type)}${f.nullable ? '' : ' not null'}`);

function inferred(params: Record<string, unknown>, a: Table = first, b: Table = second) {
  return unionRule({
    params,
    inputs: { first: known(fromArrowSchema(a.schema)), second: known(fromArrowSchema(b.schema)) },
    known: undefined,
  });
}

function written(
  params: Record<string, unknown>,
  a: Table = first,
  b: Table = second,
): TableSchema {
  const run = runBuiltModuleInputs(
    'union',
    2,
    [
      { name: 'first', stream: tableToIPC(a, 'stream') },
      { name: 'second', stream: tableToIPC(b, 'stream') },
    ],
    params,
    [0, 1],
  );
  if (run.output === undefined) throw new Error(run.stderr);
  return fromArrowSchema(tableFromIPC(run.output).schema);
}

describe('union schema rule', () => {
  it('gives the schema the module writes, by name', () => {
    const rule = inferred({});
    expect(rule.issues).toEqual([]);
    const out = rule.outputs.out;
    if (!out?.known) throw new Error('unknown output');
    expect(shape(out.schema)).toEqual(shape(written({})));
    expect(shape(out.schema)).toEqual([
      'id: int64',
      'code: utf8',
      'score: float64',
      'empty: int32',
      'only_first: utf8',
      'only_second: utf8',
    ]);
  });

  it('gives the schema the module writes, by position', () => {
    const a = first.select(['id', 'score']);
    const b = second.select(['id', 'score']);
    const out = inferred({ by: 'position' }, a, b).outputs.out;
    if (!out?.known) throw new Error('unknown output');
    expect(shape(out.schema)).toEqual(shape(written({ by: 'position' }, a, b)));
  });

  it('names a column whose types cannot be combined, and unequal column counts', () => {
    expect(inferred({ by: 'position' }).issues[0]?.message).toBe(
      'column "code" is dictionary<int32, utf8> in the first input and int16 in the second; they cannot be combined',
    );
    const counts = inferred({ by: 'position' }, first, second.select(['id']));
    expect(counts.issues[0]?.message).toBe(
      'by position, the inputs need as many columns: the first has 5, the second 1',
    );
  });
});
