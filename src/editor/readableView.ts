/**
 * Readable views of the canvas: pure geometry, no React and no DOM, so it is unit-tested.
 *
 * "Readable" means every text in a step node is at least 11 px on screen. The smallest step
 * text is 12 px (port labels and the status line, styles.css), so the canvas is never fitted
 * below READABLE_ZOOM; when the pipeline does not fit at that zoom, the view shows the selected
 * (or the first) steps and as many of their neighbours as fit, and the user pans to the rest.
 *
 * Coordinates: boxes of steps are in flow px (the document's positions, React Flow's measured
 * sizes); a pane is in screen px; a viewport maps flow to screen as `screen = flow × zoom + x`.
 */

/** A rectangle: top-left corner and size, in px. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** React Flow's viewport: translation (screen px) and zoom. */
export interface View {
  x: number;
  y: number;
  zoom: number;
}

/** The canvas area a view must fit, in screen px, relative to the canvas' top-left corner. */
export type Pane = Box;

/** A step's box on the canvas, in flow px. */
export interface StepBox {
  id: string;
  box: Box;
}

/** Smallest step text on the canvas (px at zoom 1): port labels, status line (styles.css). */
export const SMALLEST_STEP_TEXT_PX = 12;
/** The smallest text size people read comfortably on screen (px). */
export const READABLE_TEXT_PX = 11;
/** The lowest zoom Fit View and Auto-layout use: 12 px × 0.92 ≈ 11 px on screen. */
export const READABLE_ZOOM = Math.ceil((READABLE_TEXT_PX / SMALLEST_STEP_TEXT_PX) * 100) / 100;
/** The highest zoom a fit uses: a small pipeline is not blown up. */
export const MAX_FIT_ZOOM = 1.2;
/** Free space between the fitted steps and the pane's edges (screen px): room for a backward link's
 * route (StepEdge.tsx, 20 flow px beside the steps) and some air. */
export const FIT_MARGIN_PX = 40;

/** The smallest box holding all `boxes`; a zero box at the origin when there are none. */
export function boundsOf(boxes: readonly Box[]): Box {
  if (boxes.length === 0) return { x: 0, y: 0, width: 0, height: 0 };
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The zoom at which `bounds` (flow px) fills `pane` (screen px) inside the margin. */
export function zoomToFit(bounds: Box, pane: Pane): number {
  const w = Math.max(pane.width - 2 * FIT_MARGIN_PX, 1);
  const h = Math.max(pane.height - 2 * FIT_MARGIN_PX, 1);
  return Math.min(w / Math.max(bounds.width, 1), h / Math.max(bounds.height, 1));
}

/** The view showing `bounds` at `zoom`, centred in `pane`. */
export function centredView(bounds: Box, pane: Pane, zoom: number): View {
  return {
    zoom,
    x: pane.x + pane.width / 2 - (bounds.x + bounds.width / 2) * zoom,
    y: pane.y + pane.height / 2 - (bounds.y + bounds.height / 2) * zoom,
  };
}

/** Distance between the centres of two boxes (flow px). */
function centreDistance(a: Box, b: Box): number {
  return Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);
}

/**
 * The steps a view that cannot show everything starts from: the focus steps if any (only the
 * first of them when together they do not fit), else the pipeline's first step, the one
 * nearest the top-left corner (sources sit there in both layout directions).
 */
function seedSteps(steps: readonly StepBox[], pane: Pane, focus: readonly string[]): StepBox[] {
  const focused = steps.filter((s) => focus.includes(s.id));
  if (focused.length > 0) {
    const together = zoomToFit(boundsOf(focused.map((s) => s.box)), pane) >= READABLE_ZOOM;
    return together ? focused : focused.slice(0, 1);
  }
  const first = steps.reduce((a, b) => (b.box.x + b.box.y < a.box.x + a.box.y ? b : a));
  return [first];
}

/**
 * The view Fit View, Auto-layout and opening a pipeline use: all steps when they fit at a
 * readable zoom (zoomed in up to MAX_FIT_ZOOM); otherwise the `focus` steps (the selection) or
 * the first step, plus the steps nearest them for as long as they all still fit, at a zoom
 * never below READABLE_ZOOM.
 */
export function readableView(
  steps: readonly StepBox[],
  pane: Pane,
  focus: readonly string[] = [],
): View {
  if (steps.length === 0) return { x: pane.x, y: pane.y, zoom: 1 };
  const all = boundsOf(steps.map((s) => s.box));
  const clamp = (z: number) => Math.min(MAX_FIT_ZOOM, Math.max(READABLE_ZOOM, z));
  if (zoomToFit(all, pane) >= READABLE_ZOOM)
    return centredView(all, pane, clamp(zoomToFit(all, pane)));

  const shown = seedSteps(steps, pane, focus);
  const seed = boundsOf(shown.map((s) => s.box));
  const rest = steps
    .filter((s) => !shown.includes(s))
    .sort((a, b) => centreDistance(a.box, seed) - centreDistance(b.box, seed));
  let bounds = seed;
  for (const s of rest) {
    const grown = boundsOf([bounds, s.box]);
    if (zoomToFit(grown, pane) < READABLE_ZOOM) break;
    bounds = grown;
  }
  return centredView(bounds, pane, clamp(zoomToFit(bounds, pane)));
}

/** `box` (flow px) as it appears on screen under `view`. */
export function onScreen(box: Box, view: View): Box {
  return {
    x: box.x * view.zoom + view.x,
    y: box.y * view.zoom + view.y,
    width: box.width * view.zoom,
    height: box.height * view.zoom,
  };
}

/** True when the two boxes share some area (touching edges do not count). */
export function intersects(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Room kept between a revealed step and the visible area's edge (screen px). */
const REVEAL_MARGIN_PX = 16;

/**
 * The smallest pan (same zoom) that brings `box` (flow px) wholly inside `visible` (screen px,
 * e.g. the canvas above a bottom sheet), or null when it is already inside. A box larger than
 * the visible area is aligned by its top-left corner, where a step's title is.
 */
export function panIntoView(box: Box, view: View, visible: Pane): View | null {
  const s = onScreen(box, view);
  const m = REVEAL_MARGIN_PX;
  const shift = (start: number, size: number, lo: number, len: number): number => {
    if (size + 2 * m > len) return lo + m - start;
    if (start < lo + m) return lo + m - start;
    if (start + size > lo + len - m) return lo + len - m - (start + size);
    return 0;
  };
  const dx = shift(s.x, s.width, visible.x, visible.width);
  const dy = shift(s.y, s.height, visible.y, visible.height);
  if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5) return null;
  return { x: view.x + dx, y: view.y + dy, zoom: view.zoom };
}

/**
 * The view after a step was added to a chain (`ids`: the new step and its producer): null (stay)
 * when every step is already in sight; else one showing every step when together they fit at a
 * readable zoom; else one showing the steps `ids` whole. Either way the least pan at the current
 * zoom when that is enough (the canvas does not jump about while a chain grows), else the zoom
 * that fits, never below READABLE_ZOOM nor above the current one.
 */
export function followView(
  steps: readonly StepBox[],
  pane: Pane,
  view: View,
  ids: readonly string[],
  /** The lowest zoom to use; a phone passes its current zoom, keeping touch targets ≥ 44 px. */
  minZoom = READABLE_ZOOM,
): View | null {
  if (steps.length === 0) return null;
  const all = boundsOf(steps.map((s) => s.box));
  const chosen = steps.filter((s) => ids.includes(s.id));
  const target =
    zoomToFit(all, pane) >= minZoom || chosen.length === 0
      ? all
      : boundsOf(chosen.map((s) => s.box));
  const fit = zoomToFit(target, pane);
  if (fit >= view.zoom) return panIntoView(target, view, pane);
  return centredView(target, pane, Math.max(minZoom, fit));
}

/** Where the minimap may sit (React Flow panel positions); top-left holds the zoom controls. */
export type MinimapCorner = 'top-right' | 'bottom-right' | 'bottom-left';

/**
 * The strip the zoom controls take (screen px): React Flow's 15 px panel margin, the buttons
 * (26 px, 44 px on narrow screens, styles.css) and 8 px of air. On a wide screen they run
 * along the top (where a landscape canvas has room to spare), on a narrow one down the left
 * side (beside a column of steps). Fits and reveals keep steps out of the strip, so the
 * controls never cover a step.
 */
export const CONTROLS_STRIP_PX = { wide: 15 + 26 + 8, narrow: 15 + 44 + 8 };

/** Minimap size and React Flow's panel margin (screen px), as Canvas.tsx draws it. */
export const MINIMAP = { width: 150, height: 100, margin: 15 };
/** A canvas smaller than this (screen px) has no room for a minimap beside the steps. */
export const MINIMAP_MIN_PANE = { width: 560, height: 380 };

/** The minimap's box in a corner of `pane` (screen px, relative to the pane). */
export function minimapBox(corner: MinimapCorner, pane: { width: number; height: number }): Box {
  const { width, height, margin } = MINIMAP;
  const x = corner === 'bottom-left' ? margin : pane.width - margin - width;
  const y = corner === 'top-right' ? margin : pane.height - margin - height;
  return { x, y, width, height };
}

/**
 * The first corner where the minimap covers none of the steps (screen boxes relative to the
 * pane), or null, meaning hide it: on a small canvas, or when every corner would cover a step,
 * since a minimap over a step would hide it and take the clicks meant for it.
 */
export function minimapCorner(
  stepsOnScreen: readonly Box[],
  pane: { width: number; height: number },
): MinimapCorner | null {
  if (pane.width < MINIMAP_MIN_PANE.width || pane.height < MINIMAP_MIN_PANE.height) return null;
  const corners: MinimapCorner[] = ['top-right', 'bottom-right', 'bottom-left'];
  return (
    corners.find((c) => {
      const m = minimapBox(c, pane);
      // A little air around the minimap, so a step never touches it either.
      const area = { x: m.x - 8, y: m.y - 8, width: m.width + 16, height: m.height + 16 };
      return !stepsOnScreen.some((b) => intersects(b, area));
    }) ?? null
  );
}
