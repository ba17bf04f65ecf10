import { describe, expect, it } from 'vitest';
import { sameItem, stableItems } from './stableItems';

/** Ports come from the catalog: the same array in each derivation. */
const PORTS: string[] = [];

const node = (id: string, rows: number, x = 0) => ({
  id,
  position: { x, y: 0 },
  data: { title: id, rows, inputs: PORTS },
});

describe('stableItems', () => {
  it('keeps the earlier array when every item reads the same', () => {
    const before = [node('a', 1), node('b', 2)];
    expect(stableItems(before, [node('a', 1), node('b', 2)])).toBe(before);
  });

  it('replaces only the item that changed, keeping the others the same objects', () => {
    const before = [node('a', 1), node('b', 2)];
    const after = stableItems(before, [node('a', 1), node('b', 3)]);
    expect(after).not.toBe(before);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(after[1]?.data.rows).toBe(3);
  });

  it('sees a moved step, a new order and a removed item as changes', () => {
    const before = [node('a', 1), node('b', 2)];
    expect(stableItems(before, [node('a', 1, 5), node('b', 2)])[0]).not.toBe(before[0]);
    const swapped = stableItems(before, [node('b', 2), node('a', 1)]);
    expect(swapped).not.toBe(before);
    expect(swapped[0]).toBe(before[1]);
    expect(stableItems(before, [node('a', 1)])).toHaveLength(1);
  });

  it('compares nested values one level deep only, by identity below it', () => {
    const a = node('a', 1);
    expect(sameItem(a, { ...a, data: { ...a.data } })).toBe(true);
    expect(sameItem(a, { ...a, data: { ...a.data, inputs: [] } })).toBe(false);
    expect(sameItem(a, { ...a, extra: undefined })).toBe(false);
  });
});
