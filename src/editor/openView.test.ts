import { describe, expect, it } from 'vitest';
import { fitZoom, MIN_READABLE_ZOOM, topView } from './openView';

describe('opening view', () => {
  const phone = { width: 390, height: 700 };
  it('a six-step left-to-right chain does not fit a phone readably', () => {
    const row = { x: 0, y: 0, width: 5 * 250 + 164, height: 100 };
    expect(fitZoom(row, phone)).toBeLessThan(MIN_READABLE_ZOOM);
  });
  it('a tall column is shown full width from its top, centred', () => {
    const column = { x: 10, y: 20, width: 200, height: 1400 };
    const v = topView(column, phone);
    expect(v.zoom).toBe(1);
    // Left and right margins are equal; the top edge is just below the pane's top.
    const left = v.x + column.x * v.zoom;
    const right = phone.width - (left + column.width * v.zoom);
    expect(left).toBeCloseTo(right);
    const top = v.y + column.y * v.zoom;
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(40);
  });
  it('a column wider than the pane is zoomed out to fit its width', () => {
    const v = topView({ x: 0, y: 0, width: 600, height: 1400 }, phone);
    expect(600 * (1 + 2 * 0.08) * v.zoom).toBeCloseTo(phone.width);
  });
});
