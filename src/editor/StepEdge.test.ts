import { describe, expect, it } from 'vitest';
import { Position } from '@xyflow/react';
import { crossing, runsBackward, towardsNode } from './StepEdge';

describe('StepEdge routing', () => {
  it('calls a link backward when its input lies behind its output', () => {
    const right = { sourcePosition: Position.Right, sourceY: 0, targetY: 200 };
    expect(runsBackward({ ...right, sourceX: 500, targetX: 0 })).toBe(true);
    expect(runsBackward({ ...right, sourceX: 0, targetX: 250 })).toBe(false);
    const down = { sourcePosition: Position.Bottom, sourceX: 0, targetX: 0 };
    expect(runsBackward({ ...down, sourceY: 300, targetY: 100 })).toBe(true);
    expect(runsBackward({ ...down, sourceY: 100, targetY: 300 })).toBe(false);
  });

  it('crosses over in the middle of the gutter between two rows, either way', () => {
    // The example's filter (row 0 to 110) feeds derive (row 200 to 310).
    expect(crossing({ start: 0, end: 110 }, { start: 200, end: 310 })).toBe(155);
    expect(crossing({ start: 200, end: 310 }, { start: 0, end: 110 })).toBe(155);
  });

  it('passes beyond both steps when they share a row, and defers until measured', () => {
    expect(crossing({ start: 0, end: 110 }, { start: 50, end: 130 })).toBe(150);
    expect(crossing(null, { start: 0, end: 10 })).toBeUndefined();
  });
});

describe('towardsNode', () => {
  it('moves a link end from the edge of a touch handle to its ring, towards the node', () => {
    expect(towardsNode(100, 50, Position.Bottom, 14)).toEqual({ x: 100, y: 36 });
    expect(towardsNode(100, 50, Position.Top, 14)).toEqual({ x: 100, y: 64 });
    expect(towardsNode(100, 50, Position.Right, 14)).toEqual({ x: 86, y: 50 });
    expect(towardsNode(100, 50, Position.Left, 14)).toEqual({ x: 114, y: 50 });
    expect(towardsNode(100, 50, Position.Left, 0)).toEqual({ x: 100, y: 50 });
  });
});
