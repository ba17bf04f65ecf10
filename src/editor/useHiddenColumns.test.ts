import { describe, expect, it } from 'vitest';
import { columnsBeyond } from './useHiddenColumns';

describe('columnsBeyond', () => {
  it('counts the columns past the right edge, a cut one included', () => {
    // 6 columns of 140 px in 400 px: two whole, the third cut, three more beyond.
    expect(columnsBeyond(6, 140, 0, 400)).toBe(4);
    expect(columnsBeyond(6, 140, 0, 840)).toBe(0);
    expect(columnsBeyond(3, 140, 0, 1000)).toBe(0);
  });

  it('follows horizontal scrolling', () => {
    expect(columnsBeyond(6, 140, 280, 400)).toBe(2);
    expect(columnsBeyond(6, 140, 440, 400)).toBe(0);
  });

  it('is 0 before the grid is measured', () => {
    expect(columnsBeyond(6, 140, 0, 0)).toBe(0);
  });
});
