/**
 * Wrapping a left-to-right layout into rows, like lines of text (pure, no elkjs here): the
 * layers of the one-row layout (columns of nodes) are kept whole and in order, packed greedily
 * into rows no wider than a limit, each row starting at the left edge and the rows stacked top
 * to bottom. Within a row, nodes keep their places relative to each other, so a row reads
 * as the one-row layout did (a row of single nodes lines up by their tops). Coordinates are flow px (zoom 1).
 */
import type { LayoutNode, Position } from './layoutBlocks';

/** Space between two rows (flow px): room for the link from a row's end back to the next row's
 * start (StepEdge.tsx routes it through this gap) and its rows label. */
export const ROW_GAP_PX = 80;

/** A column of the one-row layout: nodes whose horizontal extents overlap. */
interface Layer {
  ids: string[];
  left: number;
  right: number;
}

/** The layers of `nodes` at `positions`, left to right. */
function layersOf(nodes: readonly LayoutNode[], positions: ReadonlyMap<string, Position>): Layer[] {
  const placed = nodes
    .map((n) => ({ n, at: positions.get(n.id) ?? { x: 0, y: 0 } }))
    .sort((a, b) => a.at.x - b.at.x);
  const layers: Layer[] = [];
  for (const { n, at } of placed) {
    const last = layers[layers.length - 1];
    if (last && at.x < last.right) {
      last.ids.push(n.id);
      last.right = Math.max(last.right, at.x + n.width);
    } else layers.push({ ids: [n.id], left: at.x, right: at.x + n.width });
  }
  return layers;
}

/** Layers packed into rows at most `maxWidth` wide (a wider layer gets a row of its own). */
function packRows(layers: readonly Layer[], maxWidth: number): Layer[][] {
  const rows: Layer[][] = [];
  for (const layer of layers) {
    const row = rows[rows.length - 1];
    if (row && layer.right - row[0]!.left <= maxWidth) row.push(layer);
    else rows.push([layer]);
  }
  return rows;
}

/**
 * `positions` (a one-row, left-to-right layout of `nodes`) cut into rows at most `maxWidth`
 * flow px wide and stacked {@link ROW_GAP_PX} apart, every row starting at x = 0.
 */
export function wrapIntoRows(
  nodes: readonly LayoutNode[],
  positions: ReadonlyMap<string, Position>,
  maxWidth: number,
): Map<string, Position> {
  const size = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, Position>();
  let top = 0;
  for (const row of packRows(layersOf(nodes, positions), maxWidth)) {
    const ids = row.flatMap((l) => l.ids);
    const at = (id: string) => positions.get(id) ?? { x: 0, y: 0 };
    const minY = Math.min(...ids.map((id) => at(id).y));
    const maxY = Math.max(...ids.map((id) => at(id).y + (size.get(id)?.height ?? 0)));
    const left = row[0]!.left;
    // A plain chain (one node per layer) lines up by its tops, as a row of text does; elkjs
    // centred nodes of different heights, which looked scattered.
    const chain = row.every((l) => l.ids.length === 1);
    for (const id of ids) {
      out.set(id, { x: at(id).x - left, y: chain ? top : at(id).y - minY + top });
    }
    top += maxY - minY + ROW_GAP_PX;
  }
  return out;
}
