/**
 * Where a group's frame is drawn: around its steps, so it follows them. Pure geometry in
 * React Flow coordinates (px at zoom 1), testable without a canvas.
 */
import type { Step, StepGroup } from '../../pipeline/types';

/** A rectangle in React Flow coordinates (px at zoom 1). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Space between the frame and its steps (px at zoom 1). */
export const GROUP_PADDING_PX = 24;
/** Height of the frame's title bar above the steps (px at zoom 1). */
export const GROUP_HEADER_PX = 40;
/** A step's size before React Flow has measured it (px at zoom 1), about a step node's. */
export const STEP_SIZE_GUESS = { width: 180, height: 100 };
/** The compact box of a collapsed group (px at zoom 1). */
export const COLLAPSED_SIZE = { width: 220, height: 72 };

/**
 * The frame of `group`: its steps' bounding box (each step at its measured size, or
 * {@link STEP_SIZE_GUESS}) grown by {@link GROUP_PADDING_PX} and topped by the title bar.
 * Null when none of its steps is in `steps`.
 */
export function groupFrame(
  group: StepGroup,
  steps: readonly Step[],
  sizes: Readonly<Record<string, { width: number; height: number } | undefined>>,
): Box | null {
  const members = new Set(group.steps);
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const s of steps) {
    if (!members.has(s.id)) continue;
    const size = sizes[s.id] ?? STEP_SIZE_GUESS;
    left = Math.min(left, s.position.x);
    top = Math.min(top, s.position.y);
    right = Math.max(right, s.position.x + size.width);
    bottom = Math.max(bottom, s.position.y + size.height);
  }
  if (left === Infinity) return null;
  return {
    x: left - GROUP_PADDING_PX,
    y: top - GROUP_PADDING_PX - GROUP_HEADER_PX,
    width: right - left + 2 * GROUP_PADDING_PX,
    height: bottom - top + 2 * GROUP_PADDING_PX + GROUP_HEADER_PX,
  };
}
