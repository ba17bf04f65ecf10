/**
 * Auto-layout with elkjs (layered algorithm, left to right, like data flows, wrapped into rows
 * when one row would be unreadably small: layoutRows.ts), group by group (layoutBlocks.ts). Returns new
 * positions of steps and notes; the caller applies them (`applyLayout`) as one undoable edit.
 */
import type { ELK } from 'elkjs/lib/elk.bundled.js';
import { moveSteps } from '../pipeline/edit';
import { moveNotes } from '../pipeline/groups';
import type { PipelineDocument } from '../pipeline/types';
import {
  collapsedBlock,
  expandedBlock,
  groupsOf,
  notePositions,
  stepPositions,
  subgraph,
  topGraph,
  type GroupBlock,
  type LayoutGraph,
  type Position,
} from './layoutBlocks';
import { wrapIntoRows } from './layoutRows';
import { boundsOf, FIT_MARGIN_PX, READABLE_ZOOM, zoomToFit, type Pane } from './readableView';

let elk: Promise<ELK> | null = null;

/**
 * elkjs is ~1.4 MB minified, half the app, and only needed once the user lays out, so it is
 * its own chunk, fetched on first use (precached like every chunk, so it works offline).
 * A failed fetch is not cached: the next layout tries again.
 */
function loadElk(): Promise<ELK> {
  elk ??= import('elkjs/lib/elk.bundled.js').then(
    (m) => new m.default(),
    (e: unknown) => {
      elk = null;
      throw e;
    },
  );
  return elk;
}

/** Node size assumed when React Flow has not measured a node yet (px). */
const DEFAULT_SIZE = { width: 164, height: 100 };

/** elkjs options shared by every layout: layered, sources first. */
function layeredOptions(direction: 'RIGHT' | 'DOWN'): Record<string, string> {
  return {
    'elk.algorithm': 'layered',
    'elk.direction': direction,
    'elk.spacing.nodeNode': '40',
    'elk.layered.spacing.nodeNodeBetweenLayers': '110',
  };
}

async function runElk(
  graph: LayoutGraph,
  layoutOptions: Record<string, string>,
): Promise<Map<string, Position>> {
  const laid = await (
    await loadElk()
  ).layout({
    id: 'root',
    layoutOptions,
    children: graph.nodes.map((n) => ({ ...n })),
    edges: graph.edges.map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  });
  const out = new Map<string, Position>();
  for (const c of laid.children ?? []) out.set(c.id, { x: c.x ?? 0, y: c.y ?? 0 });
  return out;
}

/**
 * Positions for every step of `doc`, laid out in layers from sources to sinks, and for every
 * note (by id). The steps of a group are laid out together, and the group is placed as one
 * block (its frame, drawn around its steps, then fits them); a collapsed group is one box, its
 * hidden steps moving with it. A note moves with the step it sat nearest and never covers a
 * step or a frame. `sizes` gives measured node sizes in px where known. With `pane` (the
 * canvas in screen px), a left-to-right layout that would not fit the pane at a readable zoom
 * is wrapped into rows, and a top-to-bottom one stacks its unconnected parts to suit the
 * pane's shape.
 */
export async function autoLayout(
  doc: PipelineDocument,
  sizes: Readonly<Record<string, { width: number; height: number }>>,
  /** RIGHT on wide screens; DOWN suits a phone held upright. */
  direction: 'RIGHT' | 'DOWN' = 'RIGHT',
  pane?: Pane,
): Promise<Map<string, Position>> {
  const sizeOf = (id: string) => sizes[id] ?? DEFAULT_SIZE;
  const { groups, owner } = groupsOf(doc);
  const blocks: GroupBlock[] = [];
  for (const g of groups) {
    if (g.collapsed === true) {
      blocks.push(collapsedBlock(doc, g, sizes));
      continue;
    }
    const members = g.steps.filter((id) => owner.get(id) === g.id);
    const inner = await runElk(subgraph(doc, members, sizeOf), layeredOptions(direction));
    blocks.push(expandedBlock(g, inner, sizeOf));
  }
  const graph = topGraph(doc, blocks, owner, sizeOf);
  const top = await layoutTop(graph, direction, pane);
  const steps = stepPositions(top, blocks);
  const moved = moveSteps(doc, Object.fromEntries(steps));
  const obstacles = [
    ...moved.steps
      .filter((s) => !hiddenIn(doc, s.id))
      .map((s) => ({ ...s.position, ...sizeOf(s.id) })),
    ...graph.nodes.flatMap((n) => {
      const at = top.get(n.id);
      return at && blocks.some((b) => b.node === n)
        ? [{ ...at, width: n.width, height: n.height }]
        : [];
    }),
  ];
  for (const [id, p] of notePositions(doc, steps, sizeOf, obstacles)) steps.set(id, p);
  return steps;
}

/** True when step `id` is inside a collapsed group (not drawn). */
function hiddenIn(doc: PipelineDocument, id: string): boolean {
  return doc.groups?.some((g) => g.collapsed === true && g.steps.includes(id)) ?? false;
}

/** The top-level layout: one row (or column), wrapped into rows when it would not be readable. */
async function layoutTop(
  graph: LayoutGraph,
  direction: 'RIGHT' | 'DOWN',
  pane?: Pane,
): Promise<Map<string, Position>> {
  if (direction === 'DOWN') {
    // Unconnected parts are packed to the pane's shape: on a phone, below each other.
    const options = layeredOptions('DOWN');
    if (pane) options['elk.aspectRatio'] = aspectOf(pane);
    return runElk(graph, options);
  }
  const plain = await runElk(graph, layeredOptions(direction));
  if (!pane || fitsReadably(plain, graph, pane)) return plain;
  // Rows as wide as the pane shows at the readable zoom, inside the fit's margins. (elkjs' own
  // wrapping balanced rows to the pane's aspect ratio and scattered a short pipeline.)
  const maxWidth = Math.max(pane.width - 2 * FIT_MARGIN_PX, 1) / READABLE_ZOOM;
  return wrapIntoRows(graph.nodes, plain, maxWidth);
}

/**
 * Move the steps and notes of `doc` to `positions` (an `autoLayout` result) in one edit.
 */
export function applyLayout(
  doc: PipelineDocument,
  positions: ReadonlyMap<string, Position>,
): PipelineDocument {
  const at = Object.fromEntries(positions);
  return moveNotes(moveSteps(doc, at), at);
}

/** The pane's width / height, as elkjs takes it. */
function aspectOf(pane: Pane): string {
  return (pane.width / Math.max(pane.height, 1)).toFixed(2);
}

/** True when the nodes of `graph` at `positions` fit `pane` at a readable zoom (readableView.ts). */
function fitsReadably(
  positions: ReadonlyMap<string, Position>,
  graph: LayoutGraph,
  pane: Pane,
): boolean {
  const boxes = graph.nodes.map((n) => ({
    ...(positions.get(n.id) ?? { x: 0, y: 0 }),
    width: n.width,
    height: n.height,
  }));
  return zoomToFit(boundsOf(boxes), pane) >= READABLE_ZOOM;
}
