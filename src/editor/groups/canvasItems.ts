/**
 * Groups and notes on the React Flow canvas: the nodes and edge ends they add to the steps'
 * (derived from the document, like everything on the canvas), and React Flow's change events on
 * them turned into document edits. The canvas calls {@link organiseCanvas} and wraps its node
 * change handler with {@link useCanvasItemChanges}; nothing else of it knows about groups.
 */
import { useCallback } from 'react';
import type { Edge as FlowEdge, Node, NodeChange } from '@xyflow/react';
import { groupMoves, moveNotes, updateNote } from '../../pipeline/groups';
import type { NoteColor, PipelineDocument } from '../../pipeline/types';
import { useEditorContext } from '../context';
import type { EditorStore } from '../store';
import { COLLAPSED_SIZE, groupFrame } from './geometry';

/** Data of a group's node: its frame when expanded, a compact box when collapsed. */
export type GroupNodeData = {
  title: string;
  /** The group's step ids (what "Run group" runs, with their upstream). */
  steps: string[];
  collapsed: boolean;
};
export type GroupNodeType = Node<GroupNodeData, 'stepGroup'>;

/** Data of a sticky note's node. */
export type NoteNodeData = { text: string; color: NoteColor };
export type NoteNodeType = Node<NoteNodeData, 'note'>;

/** Measured node sizes by id (px at zoom 1). */
export type Sizes = Readonly<Record<string, { width: number; height: number } | undefined>>;

/**
 * Frames are drawn under the steps and links: React Flow adds 1000 to a selected node's
 * z-index, so a selected frame (-1000 + 1000) still stays under the steps (0).
 */
const FRAME_Z = -1000;

/** Handle ids of a collapsed group's box: every outside link attaches to one of these. */
export const COLLAPSED_IN = 'in';
export const COLLAPSED_OUT = 'out';

/**
 * The canvas with the document's groups and notes: group nodes first (drawn under the rest),
 * then `stepNodes` (those inside a collapsed group hidden), then notes; `edges` re-attached to a
 * collapsed group's box when one end is inside it, and hidden when both are.
 */
export function organiseCanvas<S extends Node>(
  doc: PipelineDocument,
  stepNodes: S[],
  edges: FlowEdge[],
  sizes: Sizes,
  selected: ReadonlySet<string>,
): { nodes: (S | GroupNodeType | NoteNodeType)[]; edges: FlowEdge[] } {
  const groups = doc.groups ?? [];
  const notes = doc.notes ?? [];
  if (groups.length === 0 && notes.length === 0) return { nodes: stepNodes, edges };
  const boxOf = new Map<string, string>(); // step id → collapsed group id
  const groupNodes: GroupNodeType[] = [];
  for (const g of groups) {
    const frame = groupFrame(g, doc.steps, sizes);
    if (!frame) continue;
    const collapsed = g.collapsed === true;
    if (collapsed) for (const id of g.steps) boxOf.set(id, g.id);
    const size = collapsed ? COLLAPSED_SIZE : frame;
    groupNodes.push({
      id: g.id,
      type: 'stepGroup',
      position: { x: frame.x, y: frame.y },
      width: size.width,
      height: size.height,
      selected: selected.has(g.id),
      ariaLabel: `group ${g.title}`,
      className: collapsed ? 'group-node collapsed' : 'group-node',
      ...(collapsed ? {} : { zIndex: FRAME_Z, dragHandle: '.group-header' }),
      data: { title: g.title, steps: g.steps, collapsed },
    });
  }
  const noteNodes: NoteNodeType[] = notes.map((n) => ({
    id: n.id,
    type: 'note',
    position: n.position,
    width: n.size.width,
    height: n.size.height,
    selected: selected.has(n.id),
    ariaLabel: 'note',
    className: 'note-node',
    data: { text: n.text, color: n.color },
  }));
  return {
    nodes: [
      ...groupNodes,
      ...stepNodes.map((n) => (boxOf.has(n.id) ? { ...n, hidden: true } : n)),
      ...noteNodes,
    ],
    edges: boxOf.size === 0 ? edges : edges.map((e) => reattach(e, boxOf)),
  };
}

/** `e` with each end inside a collapsed group moved to that group's box. */
function reattach(e: FlowEdge, boxOf: ReadonlyMap<string, string>): FlowEdge {
  const from = boxOf.get(e.source);
  const to = boxOf.get(e.target);
  if (from === undefined && to === undefined) return e;
  if (from !== undefined && from === to) return { ...e, hidden: true };
  return {
    ...e,
    ...(from !== undefined ? { source: from, sourceHandle: COLLAPSED_OUT } : {}),
    ...(to !== undefined ? { target: to, targetHandle: COLLAPSED_IN } : {}),
  };
}

/**
 * Wrap the canvas's node change handler: changes of groups and notes become document edits
 * here, the rest go on to `stepChanges`. Dragging a group moves its steps (as position changes
 * of those steps, so a drag of steps and frames together is one undo step); dragging or
 * resizing a note moves or resizes it, one undo step per gesture. Selection changes of groups
 * and notes go on too (the store's selection holds their ids beside the steps').
 */
export function useCanvasItemChanges<N extends Node>(
  stepChanges: (changes: NodeChange<N>[]) => void,
  sizes: Sizes,
): (changes: NodeChange<Node>[]) => void {
  const { store } = useEditorContext();
  return useCallback(
    (changes: NodeChange<Node>[]) => {
      const doc = store.getState().doc;
      const groupIds = new Set((doc.groups ?? []).map((g) => g.id));
      const noteIds = new Set((doc.notes ?? []).map((n) => n.id));
      if (groupIds.size === 0 && noteIds.size === 0) {
        stepChanges(changes as NodeChange<N>[]);
        return;
      }
      const rest: NodeChange<Node>[] = [];
      const noteEnd = applyNoteChanges(store, changes, noteIds);
      for (const c of changes) {
        if (!('id' in c)) continue;
        const item = noteIds.has(c.id) || groupIds.has(c.id);
        if (!item || c.type === 'select') rest.push(c);
        else if (groupIds.has(c.id) && c.type === 'position') {
          rest.push(...membersMoved(doc, c, changes, sizes));
        }
      }
      if (rest.length > 0) stepChanges(rest as NodeChange<N>[]);
      if (noteEnd) store.endGesture();
    },
    [store, stepChanges, sizes],
  );
}

/**
 * Apply the moves and resizes of notes in `changes` (one undo step per gesture); selection
 * changes are left to the caller. True when a note's drag or resize ended (end the gesture
 * after the caller's own edits, so a mixed drag is one undo step).
 */
function applyNoteChanges(
  store: EditorStore,
  changes: NodeChange<Node>[],
  noteIds: ReadonlySet<string>,
): boolean {
  const moves: Record<string, { x: number; y: number }> = {};
  let ended = false;
  for (const c of changes) {
    if (!('id' in c) || !noteIds.has(c.id)) continue;
    if (c.type === 'position') {
      if (c.dragging === true) store.beginGesture();
      if (c.dragging === false) ended = true;
      if (c.position) moves[c.id] = { x: Math.round(c.position.x), y: Math.round(c.position.y) };
    } else if (c.type === 'dimensions' && c.resizing !== undefined && c.dimensions) {
      if (c.resizing) store.beginGesture();
      else ended = true;
      const size = {
        width: Math.round(c.dimensions.width),
        height: Math.round(c.dimensions.height),
      };
      store.edit((d) => updateNote(d, c.id, { size }));
    }
  }
  if (Object.keys(moves).length > 0) store.edit((d) => moveNotes(d, moves));
  return ended;
}

/**
 * A group's frame was dragged to `change.position`: the same move for each of its steps, as
 * position changes, except steps that `all` already moves (dragged along in the selection).
 */
function membersMoved(
  doc: PipelineDocument,
  change: Extract<NodeChange<Node>, { type: 'position' }>,
  all: readonly NodeChange<Node>[],
  sizes: Sizes,
): NodeChange<Node>[] {
  const group = doc.groups?.find((g) => g.id === change.id);
  const frame = group && groupFrame(group, doc.steps, sizes);
  const dragging = change.dragging === undefined ? {} : { dragging: change.dragging };
  if (!frame) return [];
  const delta = change.position
    ? { x: Math.round(change.position.x - frame.x), y: Math.round(change.position.y - frame.y) }
    : { x: 0, y: 0 };
  const movedAlready = new Set(all.flatMap((c) => (c.type === 'position' ? [c.id] : [])));
  return Object.entries(groupMoves(doc, change.id, delta))
    .filter(([id]) => !movedAlready.has(id))
    .map(([id, position]) => ({ id, type: 'position', position, ...dragging }));
}
