import { describe, expect, it } from 'vitest';
import type { StepRunStatus } from '../runState';
import { groupRunSummary } from './runSummary';

const done: StepRunStatus = { state: 'done', rows: 1, bytes: 1, ms: 1 };

describe('groupRunSummary', () => {
  it('says how the steps of a collapsed group did', () => {
    const ids = ['a', 'b'];
    expect(groupRunSummary({ steps: {} }, ids)).toBe('2 steps inside');
    expect(groupRunSummary({ steps: { a: done } }, ['a'])).toBe('1 step · ✓ done');
    expect(groupRunSummary({ steps: { a: done, b: { state: 'waiting' } } }, ids)).toBe(
      '2 steps · running',
    );
    const failed: StepRunStatus = { state: 'failed', message: 'x', stderrTail: '' };
    expect(groupRunSummary({ steps: { a: failed, b: done } }, ids)).toBe('2 steps · ✗ 1 failed');
    expect(groupRunSummary({ steps: { a: { state: 'skipped', reason: 'r' } } }, ids)).toBe(
      '2 steps · skipped',
    );
  });
});
