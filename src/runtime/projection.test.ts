import { describe, expect, it } from 'vitest';
import { columnsReadDownstream } from './projection';
import { edge, pipeline, step } from './testkit';

const read = (...args: Parameters<typeof columnsReadDownstream>): string[] | null => {
  const columns = columnsReadDownstream(...args);
  return columns === null ? null : [...columns].sort();
};

describe('columnsReadDownstream', () => {
  const chain = pipeline(
    [
      step('src', 'source'),
      step('f', 'filter', { expression: 'distance > 500 && !is_null(`wind speed`)' }),
      step('a', 'aggregate', {
        groupBy: ['origin'],
        aggregates: [
          { name: 'n', op: 'count' },
          { name: 'd', op: 'mean', column: 'delay' },
        ],
      }),
      step('s', 'sort', { keys: [{ column: 'n', descending: true }] }),
      step('l', 'limit', { count: 5 }),
    ],
    [edge('src', 'f'), edge('f', 'a'), edge('a', 's'), edge('s', 'l')],
  );

  it('collects expression, sort and aggregate columns through pass-through steps', () => {
    expect(read(chain, 'src', 'out')).toEqual(['delay', 'distance', 'origin', 'wind speed']);
    expect(read(chain, 'f', 'out')).toEqual(['delay', 'origin']);
  });

  it('reads everything when a pass-through step is a result or collected', () => {
    const open = pipeline(chain.steps.slice(0, 2), [edge('src', 'f')]);
    expect(read(open, 'src', 'out')).toBeNull();
    expect(read(chain, 'src', 'out', ['f.out'])).toBeNull();
    expect(read(chain, 'src', 'out', ['src.out'])).toBeNull();
  });

  it('reads everything when any consumer is not known or its params do not read', () => {
    const withDerive = pipeline(
      [...chain.steps, step('d', 'derive', { name: 'x', expression: 'delay * 2' })],
      [...chain.edges, edge('src', 'd')],
    );
    expect(read(withDerive, 'src', 'out')).toBeNull();
    const badFilter = pipeline(
      [step('src', 'source'), step('f', 'filter', { expression: 'distance >' })],
      [edge('src', 'f')],
    );
    expect(read(badFilter, 'src', 'out')).toBeNull();
    const badSort = pipeline(
      [step('src', 'source'), step('s', 'sort', { keys: [{ descending: true }] })],
      [edge('src', 's')],
    );
    expect(read(badSort, 'src', 'out')).toBeNull();
  });
});
