import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../pipeline/types';
import { finalStepId } from './finalStep';

function doc(steps: string[], edges: [string, string][]): PipelineDocument {
  return {
    format: 'quiver-pipeline',
    version: 4,
    id: 'd',
    name: 'd',
    steps: steps.map((id) => ({
      id,
      moduleId: 'm',
      params: {},
      permissions: { storage: 'none', clock: 'none', random: 'none' },
      limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
      position: { x: 0, y: 0 },
    })),
    edges: edges.map(([a, b], i) => ({
      id: `e${i}`,
      from: { step: a, port: 'out' },
      to: { step: b, port: 'in' },
    })),
  } as PipelineDocument;
}

describe('finalStepId', () => {
  it('is the step nothing reads from, even when it is not last in the list', () => {
    expect(
      finalStepId(
        doc(
          ['sort', 'source', 'csv'],
          [
            ['source', 'csv'],
            ['csv', 'sort'],
          ],
        ),
      ),
    ).toBe('sort');
  });
  it('takes the last in document order when several steps end the pipeline', () => {
    expect(
      finalStepId(
        doc(
          ['a', 'b', 'c'],
          [
            ['a', 'b'],
            ['a', 'c'],
          ],
        ),
      ),
    ).toBe('c');
    expect(
      finalStepId(
        doc(
          ['a', 'c', 'b'],
          [
            ['a', 'b'],
            ['a', 'c'],
          ],
        ),
      ),
    ).toBe('b');
  });
  it('is null for an empty pipeline', () => {
    expect(finalStepId(doc([], []))).toBeNull();
  });
});
