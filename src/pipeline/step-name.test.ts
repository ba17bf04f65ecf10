import { describe, expect, it } from 'vitest';
import { MAX_STEP_NAME_CHARS, stepDisplayName } from './step-name';

const step = (moduleId: string, params: Record<string, unknown>, label?: string) => ({
  id: `${moduleId}-1`,
  moduleId,
  params,
  ...(label === undefined ? {} : { label }),
});

describe('stepDisplayName', () => {
  it.each([
    [step('filter', { expression: 'temp_max > 15' }), 'temp_max > 15'],
    [step('aggregate', { groupBy: ['weather'], aggregates: [] }), 'by weather'],
    [step('aggregate', { groupBy: [], aggregates: [{ name: 'days', op: 'count' }] }), 'total days'],
    [step('sort', { keys: [{ column: 'date' }] }), 'sort by date'],
    [
      step('sort', { keys: [{ column: 'days', descending: true }, { column: 'x' }] }),
      'sort by days ↓, x',
    ],
    [step('limit', { count: 10 }), 'first 10'],
    [step('limit', { count: 10, offset: 20 }), 'rows 21–30'],
    [
      step('derive', { column: 'range', expression: 'temp_max - temp_min' }),
      'range = temp_max - temp_min',
    ],
    [step('select', { columns: ['a', 'b'] }), 'keep a, b'],
    [step('source', { uri: 'sample:seattle-weather.csv' }), 'seattle-weather.csv'],
    [step('join', { keys: [{ left: 'id', right: 'id' }], how: 'left' }), 'left join on id'],
  ])('%j → %s', (s, name) => {
    expect(stepDisplayName(s)).toBe(name);
  });

  it('keeps a label the user set', () => {
    expect(stepDisplayName(step('filter', { expression: 'x > 1' }, 'warm days'))).toBe('warm days');
  });

  it('falls back to the id when the params say nothing', () => {
    expect(stepDisplayName(step('filter', {}))).toBe('filter-1');
    expect(stepDisplayName(step('sort', { keys: [] }))).toBe('sort-1');
    expect(stepDisplayName(step('csv', {}))).toBe('csv-1');
    expect(stepDisplayName(step('filter', {}, '  '))).toBe('filter-1');
  });

  it('shortens long expressions to one line', () => {
    const name = stepDisplayName(
      step('filter', { expression: `a > 1 &&\n ${'b > 2 && '.repeat(9)}c` }),
    );
    expect(name.length).toBe(MAX_STEP_NAME_CHARS);
    expect(name).toMatch(/^a > 1 && b > 2 .*…$/);
  });
});
