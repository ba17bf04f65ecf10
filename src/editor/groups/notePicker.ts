/**
 * Which side of a selected note its colour swatches stand on: above, or below when above they
 * would cover a step and below they would not, so choosing a colour never hides part of a step
 * when it can be helped (beside the note, the wide bar would leave a phone's screen). Pure geometry, flow px; the swatch bar keeps its screen size at any
 * zoom (React Flow's NodeToolbar), so its flow size is its screen size / zoom.
 */
import { Position, type ReactFlowState } from '@xyflow/react';
import { intersects, type Box } from '../readableView';

/** The swatch bar's size on screen (px): 5 swatches, 4 px gaps, 4 px padding, 1 px border. */
export function pickerSize(coarse: boolean): { width: number; height: number } {
  const swatch = coarse ? 44 : 24;
  return { width: 5 * swatch + 4 * 4 + 2 * 5, height: swatch + 2 * 5 };
}

/** NodeToolbar's gap between the note and its bar (screen px, React Flow's default offset). */
export const OFFSET_PX = 10;

/** Where the bar stands on `side` of `note` (flow px), `size` on screen at `zoom`. */
function barBox(
  note: Box,
  side: Position,
  size: { width: number; height: number },
  zoom: number,
): Box {
  const w = size.width / zoom;
  const h = size.height / zoom;
  const gap = OFFSET_PX / zoom;
  const midX = note.x + note.width / 2 - w / 2;
  const y = side === Position.Top ? note.y - gap - h : note.y + note.height + gap;
  return { x: midX, y, width: w, height: h };
}

/** The side of `note` whose swatch bar covers none of `steps` (all flow px); Top if neither. */
export function pickerSide(
  note: Box,
  steps: readonly Box[],
  size: { width: number; height: number },
  zoom: number,
): Position {
  const sides = [Position.Top, Position.Bottom];
  return (
    sides.find((side) => {
      const bar = barBox(note, side, size, zoom);
      return !steps.some((s) => intersects(s, bar));
    }) ?? Position.Top
  );
}

/** A node's box in flow px (absolute, as drawn). */
function nodeBox(n: ReactFlowState['nodeLookup'] extends Map<string, infer N> ? N : never): Box {
  return {
    ...n.internals.positionAbsolute,
    width: n.measured.width ?? 0,
    height: n.measured.height ?? 0,
  };
}

/** A React Flow store selector: the side for note `id`'s swatch bar among the steps drawn. */
export function selectPickerSide(id: string, coarse: boolean) {
  return (s: ReactFlowState): Position => {
    const note = s.nodeLookup.get(id);
    if (!note) return Position.Top;
    const steps: Box[] = [];
    for (const n of s.nodeLookup.values()) {
      if (!n.hidden && n.type !== 'note' && n.type !== 'stepGroup') steps.push(nodeBox(n));
    }
    return pickerSide(nodeBox(note), steps, pickerSize(coarse), s.transform[2]);
  };
}
