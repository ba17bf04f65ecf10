import { describe, expect, it } from 'vitest';
import {
  boundsOf,
  FIT_MARGIN_PX,
  followView,
  intersects,
  MAX_FIT_ZOOM,
  minimapBox,
  minimapCorner,
  onScreen,
  panIntoView,
  READABLE_ZOOM,
  readableView,
  SMALLEST_STEP_TEXT_PX,
  type Box,
  type Pane,
  type StepBox,
} from './readableView';

const NODE = { width: 164, height: 110 };
/** `n` steps in one row, 250 px apart, as the palette and older layouts place them. */
const row = (n: number): StepBox[] =>
  Array.from({ length: n }, (_, i) => ({ id: `s${i}`, box: { x: i * 250, y: 0, ...NODE } }));
/** The canvas at 1280×720: palette 200 px, inspector 380 px, toolbar about 50 px. */
const desktop: Pane = { x: 0, y: 0, width: 700, height: 670 };

/** True when `inner` lies wholly inside `outer`. */
const inside = (inner: Box, outer: Box) =>
  inner.x >= outer.x - 1e-6 &&
  inner.y >= outer.y - 1e-6 &&
  inner.x + inner.width <= outer.x + outer.width + 1e-6 &&
  inner.y + inner.height <= outer.y + outer.height + 1e-6;

describe('readableView', () => {
  it('keeps the smallest step text at 11 px or more', () => {
    expect(SMALLEST_STEP_TEXT_PX * READABLE_ZOOM).toBeGreaterThanOrEqual(11);
  });

  it('fits a small pipeline whole, centred, zoomed in no further than MAX_FIT_ZOOM', () => {
    const steps = row(2);
    const v = readableView(steps, desktop);
    expect(v.zoom).toBe(MAX_FIT_ZOOM);
    for (const s of steps) expect(inside(onScreen(s.box, v), desktop)).toBe(true);
  });

  it('never zooms below the readable zoom: a long row shows its first steps', () => {
    const steps = row(6);
    const v = readableView(steps, desktop);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const shown = steps.filter((s) => inside(onScreen(s.box, v), desktop)).map((s) => s.id);
    expect(shown).toEqual(['s0', 's1', 's2']);
  });

  it('shows the selected step and its neighbours when all do not fit', () => {
    const steps = row(8);
    const v = readableView(steps, desktop, ['s5']);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    const shown = steps.filter((s) => inside(onScreen(s.box, v), desktop)).map((s) => s.id);
    expect(shown).toEqual(['s4', 's5', 's6']);
  });

  it('keeps the margin between the fitted steps and the pane edges', () => {
    const steps = row(3);
    const v = readableView(steps, desktop);
    const b = onScreen(boundsOf(steps.map((s) => s.box)), v);
    expect(Math.min(b.x, desktop.width - b.x - b.width)).toBeGreaterThanOrEqual(
      FIT_MARGIN_PX - 1e-6,
    );
  });
});

describe('panIntoView', () => {
  const view = { x: 0, y: 0, zoom: 1 };
  it('leaves a visible step alone', () => {
    expect(panIntoView({ x: 100, y: 100, ...NODE }, view, desktop)).toBeNull();
  });
  it('pans a step hidden under a bottom panel up into the area above it, same zoom', () => {
    const above: Pane = { x: 0, y: 0, width: 700, height: 300 };
    const v = panIntoView({ x: 100, y: 400, ...NODE }, view, above);
    expect(v).not.toBeNull();
    expect(v!.zoom).toBe(1);
    expect(inside(onScreen({ x: 100, y: 400, ...NODE }, v!), above)).toBe(true);
  });
});

describe('followView', () => {
  const at1 = { x: 0, y: 0, zoom: 1 };
  const shown = (steps: StepBox[], v: { x: number; y: number; zoom: number }) =>
    steps.filter((s) => inside(onScreen(s.box, v), desktop)).map((s) => s.id);

  it('stays when every step is in sight', () => {
    expect(followView(row(2), desktop, { x: 40, y: 40, zoom: 1 }, ['s1', 's0'])).toBeNull();
  });

  it('shows the whole chain, zoomed out no further than needed, when it fits readably', () => {
    // Three steps: 664 px wide, just over the 620 px between the margins at zoom 1.
    const steps = row(3);
    const v = followView(steps, desktop, at1, ['s2', 's1'])!;
    expect(v.zoom).toBeLessThan(1);
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(shown(steps, v)).toEqual(['s0', 's1', 's2']);
  });

  it('else shows the new step and its producer whole, at a readable zoom', () => {
    const steps = row(6);
    const v = followView(steps, desktop, at1, ['s5', 's4'])!;
    expect(v.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(shown(steps, v)).toEqual(expect.arrayContaining(['s4', 's5']));
    expect(shown(steps, v)).not.toContain('s0');
  });
});

describe('minimapCorner', () => {
  const pane = { width: 700, height: 670 };
  it('stays top right when no step is there', () => {
    expect(minimapCorner([{ x: 50, y: 300, ...NODE }], pane)).toBe('top-right');
  });
  it('moves aside from a step, and hides when every corner is taken', () => {
    const topRight = minimapBox('top-right', pane);
    const under = { x: topRight.x, y: topRight.y, ...NODE };
    const corner = minimapCorner([under], pane);
    expect(corner).toBe('bottom-right');
    expect(intersects(minimapBox(corner!, pane), under)).toBe(false);
    const everywhere = (['top-right', 'bottom-right', 'bottom-left'] as const).map((c) => ({
      ...minimapBox(c, pane),
    }));
    expect(minimapCorner(everywhere, pane)).toBeNull();
  });
  it('hides on a small canvas', () => {
    expect(minimapCorner([], { width: 390, height: 700 })).toBeNull();
  });
});
