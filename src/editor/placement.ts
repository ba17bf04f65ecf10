/**
 * Where a new step goes on the canvas (pure geometry in React Flow coordinates, px at zoom 1).
 */
import type { PipelineDocument } from '../pipeline/types';

/** A point on the canvas (px at zoom 1). */
export type Point = { x: number; y: number };

/** Room a new step needs so it does not cover another (px at zoom 1). */
export const STEP_BOX = { width: 200, height: 130 };

/** `p`, or the nearest spot right of it where a new step covers no other step. */
export function freeSpot(doc: PipelineDocument, p: Point): Point {
  const taken = (q: Point) =>
    doc.steps.some(
      (s) =>
        Math.abs(s.position.x - q.x) < STEP_BOX.width &&
        Math.abs(s.position.y - q.y) < STEP_BOX.height,
    );
  for (let i = 0; i < 50; i += 1) {
    const q = { x: p.x + (i % 5) * STEP_BOX.width, y: p.y + Math.floor(i / 5) * STEP_BOX.height };
    if (!taken(q)) return q;
  }
  return p;
}
