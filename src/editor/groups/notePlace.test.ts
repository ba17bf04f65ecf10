import { describe, expect, it } from 'vitest';
import { intersects } from '../readableView';
import { freeNoteSpot } from './notePlace';

const size = { width: 200, height: 120 };

describe('freeNoteSpot', () => {
  it('puts the note in the middle of an empty view', () => {
    const view = { x: 0, y: 0, width: 800, height: 600 };
    expect(freeNoteSpot([], view, size, 30)).toEqual({ x: 300, y: 240 });
  });

  it('keeps the note and the room above it off every step, near the middle', () => {
    const view = { x: 0, y: 0, width: 800, height: 600 };
    const steps = [
      { x: 250, y: 200, width: 300, height: 200 },
      { x: 0, y: 0, width: 160, height: 100 },
    ];
    const at = freeNoteSpot(steps, view, size, 30);
    const area = { x: at.x, y: at.y - 30, width: 200, height: 150 };
    for (const s of steps) expect(intersects(s, area)).toBe(false);
    expect(at.x).toBeGreaterThanOrEqual(0);
    expect(at.x + 200).toBeLessThanOrEqual(800);
  });

  it('on a phone filled by a column of steps, goes above or below it, never beside', () => {
    const view = { x: 0, y: 0, width: 320, height: 700 };
    const steps = [0, 1, 2, 3].map((i) => ({ x: 80, y: 20 + 190 * i, width: 164, height: 100 }));
    const at = freeNoteSpot(steps, view, size, 54);
    expect(at.x).toBeGreaterThanOrEqual(0);
    expect(at.x + 200).toBeLessThanOrEqual(320);
    for (const s of steps) expect(intersects(s, { ...at, ...size })).toBe(false);
  });
});
