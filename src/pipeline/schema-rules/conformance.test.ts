/**
 * The schema rules against the modules themselves: each built module runs on a table of mixed
 * types through the real WASI host, and the schema it writes must equal the schema its rule
 * inferred before running. A rule that drifts from its module's C code fails here.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  Bool,
  DateDay,
  Dictionary,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Table,
  TimestampMillisecond,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { committedAbi, runBuiltModule } from '../../../modules/sdk/reactor.testkit';
import { fromArrowSchema } from '../arrow-schema';
import { compileExpressionParams } from '../expression';
import { formatColumnType, type TableSchema } from '../table-schema';
import { schemaRules } from '.';

const MODULES = fileURLToPath(new URL('../../../public/modules/', import.meta.url));

const input = new Table({
  origin: vectorFromArray(
    ['SEA', 'LAX', null, 'SEA', 'SFO'],
    new Dictionary(new Utf8(), new Int32()),
  ),
  delay: vectorFromArray([5, -3, null, 40, 12], new Int16()),
  distance: vectorFromArray([954.5, 1200, 300.25, 954.5, null], new Float32()),
  big: vectorFromArray([1n, 2n, 3n, null, 5n], new Int64()),
  ratio: vectorFromArray([0.5, null, 1.5, 2.5, 3.5], new Float64()),
  late: vectorFromArray([false, false, null, true, true], new Bool()),
  name: vectorFromArray(['a', 'b', 'c', null, 'e'], new Utf8()),
  day: vectorFromArray(
    [
      new Date(Date.UTC(2024, 0, 1)),
      null,
      new Date(Date.UTC(2024, 0, 3)),
      new Date(Date.UTC(2024, 0, 4)),
      new Date(Date.UTC(2024, 0, 5)),
    ],
    new DateDay(),
  ),
  at: vectorFromArray(
    [new Date(1e12), new Date(2e12), null, new Date(3e12), new Date(4e12)],
    new TimestampMillisecond(),
  ),
});
const inputBytes = tableToIPC(input, 'stream');
const inputSchema = fromArrowSchema(input.schema);

/** Run module `id` (its committed build) on the input and return the schema it wrote. */
function actualSchema(id: string, params: Record<string, unknown>): TableSchema {
  const result = runBuiltModule(id, committedAbi(id), inputBytes, params, 256);
  if (result.exitCode !== 0 || !result.output) throw new Error(`${id} failed: ${result.stderr}`);
  return fromArrowSchema(tableFromIPC(result.output).schema);
}

/** Names, types and nullability, one line per column, for readable diffs. */
const shape = (s: TableSchema) =>
  s.fields.map((f) => `${f.name}: ${formatColumnType(f.type)}${f.nullable ? '' : ' not null'}`);

const cases: [string, Record<string, unknown>][] = [
  [
    'select',
    { columns: [{ name: 'delay' }, { name: 'origin', as: 'from' }, { name: 'delay', as: 'd2' }] },
  ],
  ['select', { drop: ['late', 'name'], rename: [{ name: 'at', as: 'when' }] }],
  ['limit', { offset: 1, count: 2 }],
  ['sort', { keys: [{ column: 'origin' }, { column: 'delay', descending: true, nulls: 'first' }] }],
  [
    'aggregate',
    {
      groupBy: ['origin', 'late'],
      aggregates: [
        { name: 'rows', op: 'count' },
        { name: 'delays', op: 'count', column: 'delay' },
        { name: 'names', op: 'count_distinct', column: 'name' },
        { name: 'sum_delay', op: 'sum', column: 'delay' },
        { name: 'sum_big', op: 'sum', column: 'big' },
        { name: 'sum_distance', op: 'sum', column: 'distance' },
        { name: 'mean_delay', op: 'mean', column: 'delay' },
        { name: 'min_day', op: 'min', column: 'day' },
        { name: 'max_at', op: 'max', column: 'at' },
        { name: 'first_name', op: 'first', column: 'name' },
        { name: 'last_ratio', op: 'last', column: 'ratio' },
      ],
    },
  ],
  ['aggregate', { aggregates: [{ name: 'n', op: 'count' }] }],
  ['filter', { expression: 'delay > 0 && origin == "SEA"' }],
  ['derive', { column: 'km', expression: 'distance * 1.609' }],
  ['derive', { column: 'delay', expression: 'delay * 60' }],
  ['derive', { column: 'label', expression: 'upper(name)' }],
  ['derive', { column: 'is_late', expression: 'late || delay > 15' }],
  ['distinct', { columns: ['origin', 'late'] }],
  ['distinct', {}],
  [
    'window',
    {
      partitionBy: ['origin'],
      orderBy: [{ column: 'day', descending: true }],
      columns: [
        { name: 'rn', op: 'row_number' },
        { name: 'r', op: 'rank' },
        { name: 'prev_origin', op: 'lag', column: 'origin' },
        { name: 'last_at', op: 'last_value', column: 'at' },
        { name: 'sum_delay', op: 'running_sum', column: 'delay' },
        { name: 'sum_distance', op: 'running_sum', column: 'distance' },
        { name: 'avg_big', op: 'running_mean', column: 'big' },
        { name: 'n', op: 'running_count', column: 'name' },
        { name: 'rows', op: 'running_count' },
        { name: 'ma', op: 'moving_mean', column: 'ratio', rows: 2 },
      ],
    },
  ],
  [
    'cast',
    {
      onError: 'null',
      columns: [
        { column: 'origin', to: 'int64' },
        { column: 'delay', to: 'string' },
        { column: 'distance', to: 'int32' },
        { column: 'late', to: 'float64' },
        { column: 'name', to: 'bool' },
        { column: 'day', to: 'timestamp' },
        { column: 'at', to: 'date' },
      ],
    },
  ],
  ['fill', { mode: 'down' }],
  ['fill', { mode: 'up', columns: ['origin', 'ratio'], groupBy: ['late'] }],
  ['fill', { mode: 'constant', columns: ['delay', 'distance'], value: '7' }],
  ['sample', { rows: 3, seed: 1 }],
  ['sample', { fraction: 0.5 }],
  [
    'pivot',
    { index: ['origin', 'late'], column: 'name', values: ['a', 'c'], value: 'delay', op: 'sum' },
  ],
  ['pivot', { column: 'origin', values: ['SEA', 'LAX'], op: 'count' }],
  ['pivot', { index: ['day'], column: 'late', values: ['true'], value: 'origin', op: 'min' }],
  ['pivot', { index: ['name'], column: 'delay', values: ['5'], value: 'ratio', op: 'mean' }],
  ['unpivot', { columns: ['delay', 'big'], nameColumn: 'col' }],
  ['unpivot', { columns: ['delay', 'ratio', 'distance'], nameColumn: 'k', includeNulls: true }],
  ['unpivot', { columns: ['origin', 'name'], valueColumn: 'text' }],
];

describe('schema rules agree with the modules they describe', () => {
  const built = cases.filter(([id]) => existsSync(`${MODULES}${id}.wasm`));

  it('has built modules to run', () => {
    expect(built.length).toBeGreaterThan(0);
  });

  it.each(built)('%s %j', (id, params) => {
    const ready = compileExpressionParams(id, params, inputSchema);
    if (!ready.ok) throw new Error(ready.errors.map((e) => e.message).join('; '));
    const inferred = schemaRules[id]!({
      params,
      inputs: { in: { known: true, schema: inputSchema } },
      known: undefined,
    });
    expect(inferred.issues).toEqual([]);
    const out = inferred.outputs.out;
    if (!out?.known) throw new Error(`rule gave no schema: ${JSON.stringify(out)}`);
    expect(shape(out.schema)).toEqual(shape(actualSchema(id, ready.params)));
  });
});
