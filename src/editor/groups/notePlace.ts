/**
 * Where "Add note" puts a new note: the free place nearest the middle of the view, clear of
 * every step, frame and note with room above it for the colour swatches (notePicker.ts), so a
 * new note never lands on a step. Pure geometry in flow px.
 */
import { intersects, type Box } from '../readableView';

/** Space kept between the new note (and its swatches) and anything else (flow px). */
const GAP_PX = 16;
/** Candidate places are tried on a grid this fine (flow px). */
const GRID_PX = 20;

/** Grid lines from `from` to `to`, one through `at` (so an empty view gets the note there). */
function gridThrough(from: number, to: number, at: number): number[] {
  const out: number[] = [];
  for (let v = at - Math.floor((at - from) / GRID_PX) * GRID_PX; v <= to; v += GRID_PX) out.push(v);
  return out;
}

/**
 * The top-left corner for a note `size` big: among places across `view` (the visible part of
 * the canvas, flow px) and up to one note height above or below it, the free one whose centre
 * is nearest `view`'s; `roomAbove` flow px above the note must be free too. Never beside the
 * view: on a phone, panning sideways to a note would push the steps under the controls' strip.
 * When no place is free, the middle of the view.
 */
export function freeNoteSpot(
  obstacles: readonly Box[],
  view: Box,
  size: { width: number; height: number },
  roomAbove: number,
): { x: number; y: number } {
  const middle = {
    x: Math.round(view.x + view.width / 2 - size.width / 2),
    y: Math.round(view.y + view.height / 2 - size.height / 2),
  };
  const blocked = (x: number, y: number) => {
    const area = {
      x: x - GAP_PX,
      y: y - roomAbove - GAP_PX,
      width: size.width + 2 * GAP_PX,
      height: size.height + roomAbove + 2 * GAP_PX,
    };
    return obstacles.some((o) => intersects(o, area));
  };
  let best: { x: number; y: number } | null = null;
  let bestDistance = Infinity;
  const xs = gridThrough(view.x, Math.max(view.x, view.x + view.width - size.width), middle.x);
  const ys = gridThrough(view.y - size.height - roomAbove, view.y + view.height, middle.y);
  for (const x of xs) {
    for (const y of ys) {
      const d = Math.hypot(x - middle.x, y - middle.y);
      if (d < bestDistance && !blocked(x, y)) {
        best = { x, y };
        bestDistance = d;
      }
    }
  }
  return best ?? middle;
}
