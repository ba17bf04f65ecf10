import { describe, expect, it } from 'vitest';
import { ROW_GAP_PX, wrapIntoRows } from './layoutRows';

const node = (id: string, height = 100) => ({ id, width: 160, height });

describe('wrapIntoRows', () => {
  it('cuts a chain into rows from the left edge, tops lined up, rows a gap apart', () => {
    const nodes = [node('a', 120), node('b', 80), node('c'), node('d')];
    // One row as elkjs lays it out: 100 px between layers, nodes centred on one line.
    const one = new Map([
      ['a', { x: 0, y: 0 }],
      ['b', { x: 260, y: 20 }],
      ['c', { x: 520, y: 10 }],
      ['d', { x: 780, y: 10 }],
    ]);
    const rows = wrapIntoRows(nodes, one, 500);
    expect(Object.fromEntries(rows)).toEqual({
      a: { x: 0, y: 0 },
      b: { x: 260, y: 0 },
      c: { x: 0, y: 120 + ROW_GAP_PX },
      d: { x: 260, y: 120 + ROW_GAP_PX },
    });
  });

  it('keeps a layer of several nodes whole, as laid out', () => {
    const nodes = [node('a'), node('b'), node('c'), node('d')];
    const one = new Map([
      ['a', { x: 0, y: 60 }],
      ['b', { x: 260, y: 0 }],
      ['c', { x: 260, y: 140 }],
      ['d', { x: 520, y: 60 }],
    ]);
    const rows = wrapIntoRows(nodes, one, 430);
    expect(Object.fromEntries(rows)).toEqual({
      a: { x: 0, y: 60 },
      b: { x: 260, y: 0 },
      c: { x: 260, y: 140 },
      d: { x: 0, y: 240 + ROW_GAP_PX },
    });
  });
});
