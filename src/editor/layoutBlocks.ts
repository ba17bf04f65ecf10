/**
 * Auto-layout with groups (pure, no elkjs here): what the layout places at the top level
 * (steps outside groups, and each group as one block: an expanded group the size of its own
 * laid-out steps plus its frame, a collapsed one its compact box), the links between those, and
 * where the steps end up once the blocks are placed. Then notes are moved along with the step
 * they sat nearest and off anything they would cover. Coordinates are flow px (zoom 1).
 */
import type { PipelineDocument, StepGroup } from '../pipeline/types';
import {
  COLLAPSED_SIZE,
  GROUP_HEADER_PX,
  GROUP_PADDING_PX,
  groupFrame,
  type Box,
} from './groups/geometry';
import { boundsOf, intersects } from './readableView';

/** A point in flow px. */
export type Position = { x: number; y: number };
/** Sizes in flow px by node id. */
export type Sizes = Readonly<Record<string, { width: number; height: number }>>;
/** A node for elkjs: its id and size (flow px). */
export interface LayoutNode {
  id: string;
  width: number;
  height: number;
}
/** A link for elkjs, between two node ids. */
export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}
/** A graph for elkjs. */
export interface LayoutGraph {
  nodes: LayoutNode[];
  edges: LayoutEdge[];
}

/** Space kept between a note and the steps or frames it was moved off (flow px). */
const NOTE_GAP_PX = 24;

/** The steps of `group` that exist in `doc` (a frame around no step is not drawn). */
function membersOf(doc: PipelineDocument, group: StepGroup): string[] {
  const ids = new Set(doc.steps.map((s) => s.id));
  return group.steps.filter((id) => ids.has(id));
}

/** The groups of `doc` with at least one step, and for each step id the group it is in. */
export function groupsOf(doc: PipelineDocument): {
  groups: StepGroup[];
  owner: Map<string, string>;
} {
  const groups = (doc.groups ?? []).filter((g) => membersOf(doc, g).length > 0);
  const owner = new Map<string, string>();
  for (const g of groups) for (const id of membersOf(doc, g)) owner.set(id, g.id);
  return { groups, owner };
}

/** The steps `ids` and the links among them, as a graph for elkjs. */
export function subgraph(
  doc: PipelineDocument,
  ids: readonly string[],
  sizeOf: (id: string) => { width: number; height: number },
): LayoutGraph {
  const inside = new Set(ids);
  return {
    nodes: ids.map((id) => ({ id, ...sizeOf(id) })),
    edges: doc.edges
      .filter((e) => inside.has(e.from.step) && inside.has(e.to.step))
      .map((e) => ({ id: e.id, source: e.from.step, target: e.to.step })),
  };
}

/**
 * How a group sits in the top-level layout: its block's size, and where its steps go when the
 * block's top-left corner is placed at a point.
 */
export interface GroupBlock {
  node: LayoutNode;
  place: (at: Position) => Map<string, Position>;
}

/**
 * The block of an expanded group whose steps were laid out (alone) at `inner`: their bounding
 * box grown by the frame's padding and title bar (groups/geometry.ts), so that the frame drawn
 * around the placed steps is the block.
 */
export function expandedBlock(
  group: StepGroup,
  inner: ReadonlyMap<string, Position>,
  sizeOf: (id: string) => { width: number; height: number },
): GroupBlock {
  const b = boundsOf([...inner].map(([id, p]) => ({ ...p, ...sizeOf(id) })));
  const top = GROUP_PADDING_PX + GROUP_HEADER_PX;
  return {
    node: {
      id: group.id,
      width: b.width + 2 * GROUP_PADDING_PX,
      height: b.height + top + GROUP_PADDING_PX,
    },
    place: (at) =>
      new Map(
        [...inner].map(([id, p]) => [
          id,
          { x: at.x + GROUP_PADDING_PX + p.x - b.x, y: at.y + top + p.y - b.y },
        ]),
      ),
  };
}

/**
 * The block of a collapsed group: its compact box; its hidden steps keep their arrangement and
 * move with the box (the box is drawn where their frame's corner is).
 */
export function collapsedBlock(doc: PipelineDocument, group: StepGroup, sizes: Sizes): GroupBlock {
  const frame = groupFrame(group, doc.steps, sizes);
  const members = new Set(membersOf(doc, group));
  return {
    node: { id: group.id, ...COLLAPSED_SIZE },
    place: (at) => {
      const out = new Map<string, Position>();
      if (!frame) return out;
      for (const s of doc.steps) {
        if (!members.has(s.id)) continue;
        out.set(s.id, { x: s.position.x + at.x - frame.x, y: s.position.y + at.y - frame.y });
      }
      return out;
    },
  };
}

/**
 * The top-level graph: steps outside groups and one node per group block; each link between
 * two different nodes once (a link inside a group is the group's own business).
 */
export function topGraph(
  doc: PipelineDocument,
  blocks: readonly GroupBlock[],
  owner: ReadonlyMap<string, string>,
  sizeOf: (id: string) => { width: number; height: number },
): LayoutGraph {
  const loose = doc.steps
    .filter((s) => !owner.has(s.id))
    .map((s) => ({ id: s.id, ...sizeOf(s.id) }));
  const seen = new Set<string>();
  const edges: LayoutEdge[] = [];
  for (const e of doc.edges) {
    const source = owner.get(e.from.step) ?? e.from.step;
    const target = owner.get(e.to.step) ?? e.to.step;
    const key = `${source}\u0000${target}`;
    if (source === target || seen.has(key)) continue;
    seen.add(key);
    edges.push({ id: e.id, source, target });
  }
  return { nodes: [...loose, ...blocks.map((b) => b.node)], edges };
}

/**
 * Step positions from the top-level positions `top` (loose steps and group blocks by id): a
 * loose step where it was placed, a group's steps where its block puts them.
 */
export function stepPositions(
  top: ReadonlyMap<string, Position>,
  blocks: readonly GroupBlock[],
): Map<string, Position> {
  const out = new Map(top);
  for (const b of blocks) {
    const at = top.get(b.node.id);
    out.delete(b.node.id);
    if (at) for (const [id, p] of b.place(at)) out.set(id, p);
  }
  return out;
}

/**
 * New top-left corners of the notes of `doc` once the steps move to `moved`: each note keeps its
 * offset from the step nearest it before the move, then, if it would cover a step, a group's
 * frame or an earlier note, goes down below what it covers. `boxesAfter` are those obstacles
 * (steps, frames, collapsed boxes) after the move.
 */
export function notePositions(
  doc: PipelineDocument,
  moved: ReadonlyMap<string, Position>,
  sizeOf: (id: string) => { width: number; height: number },
  boxesAfter: readonly Box[],
): Map<string, Position> {
  const out = new Map<string, Position>();
  const obstacles = [...boxesAfter];
  for (const n of doc.notes ?? []) {
    const anchor = nearestStep(doc, { ...n.position, ...n.size }, sizeOf);
    const to = anchor && moved.get(anchor.id);
    const box: Box = {
      ...n.size,
      x: to && anchor ? to.x + n.position.x - anchor.position.x : n.position.x,
      y: to && anchor ? to.y + n.position.y - anchor.position.y : n.position.y,
    };
    // Each move goes below one obstacle, and y only grows: at most one move per obstacle.
    for (let hit = obstacles.find((o) => intersects(box, o)); hit;) {
      box.y = hit.y + hit.height + NOTE_GAP_PX;
      hit = obstacles.find((o) => intersects(box, o));
    }
    out.set(n.id, { x: Math.round(box.x), y: Math.round(box.y) });
    obstacles.push(box);
  }
  return out;
}

/** The step of `doc` whose box's centre is nearest the centre of `box`. */
function nearestStep(
  doc: PipelineDocument,
  box: Box,
  sizeOf: (id: string) => { width: number; height: number },
): PipelineDocument['steps'][number] | undefined {
  const centre = (b: Box) => ({ x: b.x + b.width / 2, y: b.y + b.height / 2 });
  const c = centre(box);
  let best: { d: number; step: PipelineDocument['steps'][number] } | undefined;
  for (const s of doc.steps) {
    const o = centre({ ...s.position, ...sizeOf(s.id) });
    const d = Math.hypot(o.x - c.x, o.y - c.y);
    if (!best || d < best.d) best = { d, step: s };
  }
  return best?.step;
}
