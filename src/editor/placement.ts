/**
 * Where a new step goes on the canvas (pure geometry in React Flow coordinates, px at zoom 1):
 * in a free spot near the middle of the view, or beside the step it is chained from. "Free"
 * means its box, with a margin, covers no other step's box.
 */
import type { PipelineDocument } from '../pipeline/types';

/** A point on the canvas (px at zoom 1). */
export type Point = { x: number; y: number };
/** A size on the canvas (px at zoom 1). */
export type Size = { width: number; height: number };
/** A rectangle on the canvas, from its top-left corner (px at zoom 1). */
export type Box = Point & Size;

/** Room a step takes when its rendered size is not known yet (px at zoom 1). */
export const STEP_BOX: Size = { width: 200, height: 130 };
/** Space kept between a new step and any other (px at zoom 1). */
export const MARGIN = 24;
/** Horizontal room between a step and the one chained from it, for the link (px at zoom 1). */
export const CHAIN_GAP_X = 80;
/**
 * The same below a step, when steps run top to bottom (px at zoom 1): the link runs from below
 * the output's label to above the input's (about 22 px each) and needs 20 px more to be drawn
 * as a forward curve (StepEdge.tsx), else it loops out beside the steps.
 */
export const CHAIN_GAP_Y = 96;
/** How many spots are tried before giving up and taking the first. */
const MAX_TRIES = 60;

/** `a` and `b` overlap once `b` is grown by `margin` on every side. */
export function overlaps(a: Box, b: Box, margin = 0): boolean {
  return (
    a.x < b.x + b.width + margin &&
    b.x - margin < a.x + a.width &&
    a.y < b.y + b.height + margin &&
    b.y - margin < a.y + a.height
  );
}

/** Each step's box: its position and its rendered size (`sizes`), or {@link STEP_BOX}. */
export function stepBoxes(
  doc: PipelineDocument,
  sizes: Readonly<Record<string, Size>> = {},
): Box[] {
  return doc.steps.map((s) => ({ ...s.position, ...(sizes[s.id] ?? STEP_BOX) }));
}

/** The first of `candidates` where a step of `size` covers none of `boxes`; else the first. */
function firstFree(candidates: Point[], size: Size, boxes: readonly Box[]): Point {
  const free = candidates.find((p) => !boxes.some((b) => overlaps({ ...p, ...size }, b, MARGIN)));
  return free ?? candidates[0]!;
}

/** `p`, or the nearest spot right of or below it where a new step covers no other step. */
export function freeSpot(
  doc: PipelineDocument,
  p: Point,
  sizes: Readonly<Record<string, Size>> = {},
): Point {
  const step = { x: STEP_BOX.width + MARGIN, y: STEP_BOX.height + MARGIN };
  const candidates = Array.from({ length: MAX_TRIES }, (_, i) => ({
    x: p.x + (i % 5) * step.x,
    y: p.y + Math.floor(i / 5) * step.y,
  }));
  return firstFree(candidates, STEP_BOX, stepBoxes(doc, sizes));
}

/**
 * A spot for a step chained from `anchorId`: right of it, top edges aligned (or, `down`, below
 * it, left edges aligned, as steps run on a phone); if that is taken (a branch already there),
 * the nearest free spot further along the other axis, after then before. With `rowWidth`
 * (flow px: what the canvas shows at a readable zoom), a step that would end further right than
 * that from the leftmost step starts a new row below all the steps, at the left, as
 * Auto-layout wraps a long chain, so the chain stays readable on screen as a whole. Null when
 * there is no such step.
 */
export function spotBeside(
  doc: PipelineDocument,
  anchorId: string,
  sizes: Readonly<Record<string, Size>> = {},
  down = false,
  rowWidth = Infinity,
): Point | null {
  const anchor = doc.steps.find((s) => s.id === anchorId);
  if (!anchor) return null;
  const size = sizes[anchorId] ?? STEP_BOX;
  const { x, y } = anchor.position;
  const first = down
    ? { x, y: y + size.height + CHAIN_GAP_Y }
    : wrapped({ x: x + size.width + CHAIN_GAP_X, y }, size.width, stepBoxes(doc, sizes), rowWidth);
  const shift = down ? { x: STEP_BOX.width + MARGIN, y: 0 } : { x: 0, y: STEP_BOX.height + MARGIN };
  const candidates: Point[] = [first];
  for (let k = 1; k < MAX_TRIES / 2; k += 1) {
    candidates.push(
      { x: first.x + k * shift.x, y: first.y + k * shift.y },
      { x: first.x - k * shift.x, y: first.y - k * shift.y },
    );
  }
  return firstFree(candidates, STEP_BOX, stepBoxes(doc, sizes));
}

/**
 * `p`, or the start of a new row below `boxes` when a step `width` wide (about its anchor's
 * width: steps of a chain are alike) at `p` ends past `rowWidth` from the leftmost box.
 */
function wrapped(p: Point, width: number, boxes: readonly Box[], rowWidth: number): Point {
  const left = Math.min(...boxes.map((b) => b.x));
  if (p.x + width - left <= rowWidth) return p;
  return { x: left, y: Math.max(...boxes.map((b) => b.y + b.height)) + CHAIN_GAP_Y };
}
