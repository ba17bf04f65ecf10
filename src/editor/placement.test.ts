import { describe, expect, it } from 'vitest';
import { chain, step } from '../pipeline/test-catalog';
import { CHAIN_GAP_Y, freeSpot, overlaps, spotBeside, STEP_BOX, stepBoxes } from './placement';

/** Steps at the given positions, chained. */
function at(...points: [string, number, number][]) {
  return chain(
    ...points.map(([id, x, y]) => ({ ...step(id, id.replace(/-\d+$/, '')), position: { x, y } })),
  );
}

/** The box a new step takes at `p`. */
const box = (p: { x: number; y: number }) => ({ ...p, ...STEP_BOX });

describe('spotBeside', () => {
  it('puts the new step right of its anchor, top edges aligned', () => {
    const doc = at(['filter-1', 0, 0]);
    const p = spotBeside(doc, 'filter-1', { 'filter-1': { width: 164, height: 90 } });
    expect(p).toEqual({ x: 164 + 80, y: 0 });
  });

  it('moves down, then up, past steps already there, and overlaps none of them', () => {
    // A branch already right of the anchor, and another below that.
    const doc = at(['filter-1', 0, 0], ['sort-1', 244, 0], ['limit-1', 244, 150]);
    const p = spotBeside(doc, 'filter-1', {});
    expect(p).not.toBeNull();
    expect(p!.x).toBe(STEP_BOX.width + 80);
    for (const b of stepBoxes(doc)) expect(overlaps(box(p!), b)).toBe(false);
    expect(p!.y).toBeLessThan(0); // below was taken twice over: the spot above is nearer
  });

  it('counts a tall step by its measured height', () => {
    const doc = at(['filter-1', 0, 0], ['sort-1', 280, -200]);
    const tall = { 'sort-1': { width: 164, height: 400 } };
    const p = spotBeside(doc, 'filter-1', tall)!;
    expect(overlaps(box(p), { x: 280, y: -200, width: 164, height: 400 })).toBe(false);
  });

  it('goes below the anchor when steps run top to bottom, then beside a branch there', () => {
    const doc = at(['filter-1', 0, 0]);
    const sizes = { 'filter-1': { width: 164, height: 90 } };
    expect(spotBeside(doc, 'filter-1', sizes, true)).toEqual({ x: 0, y: 90 + CHAIN_GAP_Y });
    const branched = at(['filter-1', 0, 0], ['sort-1', 0, 90 + CHAIN_GAP_Y]);
    const p = spotBeside(branched, 'filter-1', sizes, true)!;
    expect(p.y).toBe(90 + CHAIN_GAP_Y);
    for (const b of stepBoxes(branched, sizes)) expect(overlaps(box(p), b)).toBe(false);
  });

  it('starts a new row below, at the left, when the step would end past the row width', () => {
    const doc = at(['filter-1', 0, 0], ['sort-1', 244, 0], ['limit-1', 488, 10]);
    const sizes = { 'limit-1': { width: 164, height: 90 } };
    // 488 + 164 + 80 + 164 = 896 > 890: a new row, under the lowest step (unmeasured: 130 high).
    expect(spotBeside(doc, 'limit-1', sizes, false, 890)).toEqual({ x: 0, y: 130 + CHAIN_GAP_Y });
    expect(spotBeside(doc, 'limit-1', sizes, false, 900)).toEqual({ x: 488 + 164 + 80, y: 10 });
  });

  it('is null for an unknown anchor', () => {
    expect(spotBeside(at(['filter-1', 0, 0]), 'nope')).toBeNull();
  });
});

describe('freeSpot', () => {
  it('keeps a free point and moves off an occupied one without overlap', () => {
    const doc = at(['filter-1', 0, 0], ['sort-1', 224, 0]);
    expect(freeSpot(doc, { x: 0, y: 400 })).toEqual({ x: 0, y: 400 });
    const p = freeSpot(doc, { x: 10, y: 10 });
    for (const b of stepBoxes(doc)) expect(overlaps(box(p), b)).toBe(false);
  });
});

describe('overlaps', () => {
  it('counts the margin, and touching edges as apart', () => {
    const a = { x: 0, y: 0, width: 100, height: 100 };
    expect(overlaps(a, { x: 100, y: 0, width: 10, height: 10 })).toBe(false);
    expect(overlaps(a, { x: 110, y: 0, width: 10, height: 10 }, 24)).toBe(true);
    expect(overlaps(a, { x: 50, y: 50, width: 10, height: 10 })).toBe(true);
  });
});
