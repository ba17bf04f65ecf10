import { describe, expect, it } from 'vitest';
import { builtinCatalog } from '../pipeline/test-catalog';
import type { PipelineDocument } from '../pipeline/types';
import { validatePipeline } from '../pipeline/validate';
import seattle from '../../examples/seattle-weather.quiver.json';
import { paramErrorSchema, stepLevelIssues } from './formWords';
import { problemItems } from './problemList';

const catalog = builtinCatalog();
const base = seattle as unknown as PipelineDocument;

/** The example with `params` merged into step `id`'s. */
function edited(id: string, params: Record<string, unknown>): PipelineDocument {
  return {
    ...base,
    steps: base.steps.map((s) => (s.id === id ? { ...s, params: { ...s.params, ...params } } : s)),
  };
}

describe('each problem once, in the same words at the field and in the list', () => {
  const doc = edited('sort', { keys: [{ column: 'days' }, {}] });
  const issues = validatePipeline(doc, catalog);

  it('puts a param problem at its field in the form', () => {
    const mine = issues.filter((i) => i.stepId === 'sort');
    expect(paramErrorSchema(mine, new Set())).toEqual({
      keys: { 1: { column: { __errors: ['Choose a column to sort by'] } } },
    });
    expect(stepLevelIssues(mine)).toEqual([]);
  });

  it('lists it once with the step name and the field place', () => {
    expect(problemItems(doc, catalog, issues, {})).toEqual([
      {
        stepId: 'sort',
        name: 'sort by days',
        text: 'Sort key 2: Choose a column to sort by',
        severity: 'error',
      },
    ]);
  });

  it('leaves expression problems to the expression field, and lists failed runs', () => {
    const bad = edited('filter', { expression: 'temp_max >' });
    const all = validatePipeline(bad, catalog);
    const mine = all.filter((i) => i.stepId === 'filter');
    expect(mine.length).toBeGreaterThan(0);
    expect(paramErrorSchema(mine, new Set(['/expression']))).toEqual({});
    const failed = {
      state: 'failed',
      message: 'row 3 of the input: int64 overflow',
      stderrTail: '',
    } as const;
    const items = problemItems(base, catalog, [], { derive: failed });
    expect(items).toEqual([
      {
        stepId: 'derive',
        name: 'temp_range = temp_max - temp_min',
        text: 'row 3 of the input: int64 overflow',
        severity: 'error',
      },
    ]);
  });

  it('keeps a connection problem with the step', () => {
    const doc2 = { ...base, edges: base.edges.filter((e) => e.to.step !== 'sort') };
    const mine = validatePipeline(doc2, catalog).filter((i) => i.stepId === 'sort');
    expect(stepLevelIssues(mine).map((i) => i.detail)).toEqual([
      'input port "in" is not connected',
    ]);
    expect(paramErrorSchema(mine, new Set())).toEqual({});
  });
});
