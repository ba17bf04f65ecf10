/**
 * Pure edits of a document's canvas organisation: groups (titled frames around steps) and
 * sticky notes. Like `edit.ts`, each takes a document and returns a new one, never modifying
 * its argument; the same document when nothing changes. Runs ignore groups and notes.
 */
import { copySteps, pasteSteps, type PipelineFragment, type Position } from './edit';
import { pruneGroupMembers, withList } from './group-members';
import type { Note, NoteColor, PipelineDocument, StepGroup } from './types';

/** Ids the editor gives groups and notes; a `:` never appears in a step id it makes. */
export const GROUP_ID_PREFIX = 'group:';
export const NOTE_ID_PREFIX = 'note:';

/** A new note's size (px at zoom 1): room for three short lines. */
export const NOTE_DEFAULT_SIZE = { width: 200, height: 120 };

/** `<prefix><n>` with n one more than the largest in use among steps, groups and notes. */
export function nextItemId(
  doc: PipelineDocument,
  prefix: string,
  taken: ReadonlySet<string> = new Set(),
): string {
  let max = 0;
  for (const id of [...allIds(doc), ...taken]) {
    if (!id.startsWith(prefix)) continue;
    const n = Number(id.slice(prefix.length));
    if (Number.isInteger(n) && n > max) max = n;
  }
  return `${prefix}${max + 1}`;
}

function allIds(doc: PipelineDocument): string[] {
  return [
    ...doc.steps.map((s) => s.id),
    ...(doc.groups ?? []).map((g) => g.id),
    ...(doc.notes ?? []).map((n) => n.id),
  ];
}

/** Ids of the document's groups and notes (the canvas items that are not steps). */
export function canvasItemIds(doc: PipelineDocument): Set<string> {
  return new Set([...(doc.groups ?? []).map((g) => g.id), ...(doc.notes ?? []).map((n) => n.id)]);
}

/** The group `stepId` is in, if any. */
export function groupOf(doc: PipelineDocument, stepId: string): StepGroup | undefined {
  return doc.groups?.find((g) => g.steps.includes(stepId));
}

/**
 * Put the existing steps among `stepIds` into a new group titled `title`. A step already in
 * another group moves to the new one (a step is in one group at most); a group left empty goes.
 * Returns the same document and `groupId: null` when no id names a step.
 */
export function groupSteps(
  doc: PipelineDocument,
  stepIds: Iterable<string>,
  title = 'Group',
): { doc: PipelineDocument; groupId: string | null } {
  const known = new Set(doc.steps.map((s) => s.id));
  const steps = [...new Set(stepIds)].filter((id) => known.has(id));
  if (steps.length === 0) return { doc, groupId: null };
  const groupId = nextItemId(doc, GROUP_ID_PREFIX);
  const rest = pruneGroupMembers(doc, new Set(steps));
  return {
    doc: withList(rest, 'groups', [...(rest.groups ?? []), { id: groupId, title, steps }]),
    groupId,
  };
}

/** Remove the groups `groupIds` (their frames only: the steps stay where they are). */
export function ungroup(doc: PipelineDocument, groupIds: Iterable<string>): PipelineDocument {
  return removeCanvasItems(doc, groupIds);
}

/**
 * Remove the groups and notes named in `ids` (other ids, such as steps', are ignored). A
 * group's steps stay. The same document if none is named.
 */
export function removeCanvasItems(doc: PipelineDocument, ids: Iterable<string>): PipelineDocument {
  const gone = new Set(ids);
  let out = doc;
  if (doc.groups?.some((g) => gone.has(g.id))) {
    out = withList(
      out,
      'groups',
      doc.groups.filter((g) => !gone.has(g.id)),
    );
  }
  if (doc.notes?.some((n) => gone.has(n.id))) {
    out = withList(
      out,
      'notes',
      doc.notes.filter((n) => !gone.has(n.id)),
    );
  }
  return out;
}

/** Retitle, collapse or expand a group. Throws on an unknown group (a caller's bug). */
export function updateGroup(
  doc: PipelineDocument,
  groupId: string,
  patch: { title?: string; collapsed?: boolean },
): PipelineDocument {
  const groups = doc.groups ?? [];
  if (!groups.some((g) => g.id === groupId)) {
    throw new Error(`no group "${groupId}" in pipeline "${doc.id}"`);
  }
  return {
    ...doc,
    groups: groups.map((g) => {
      if (g.id !== groupId) return g;
      const next: StepGroup = {
        ...g,
        ...(patch.title !== undefined ? { title: patch.title } : {}),
      };
      if (patch.collapsed === true) next.collapsed = true;
      else if (patch.collapsed === false) delete next.collapsed;
      return next;
    }),
  };
}

/**
 * New positions for the steps of `groupId` moved by `delta` (px at zoom 1), for `moveSteps`.
 * Empty for an unknown group.
 */
export function groupMoves(
  doc: PipelineDocument,
  groupId: string,
  delta: Position,
): Record<string, Position> {
  const members = new Set(doc.groups?.find((g) => g.id === groupId)?.steps ?? []);
  const out: Record<string, Position> = {};
  for (const s of doc.steps) {
    if (members.has(s.id)) {
      out[s.id] = { x: s.position.x + delta.x, y: s.position.y + delta.y };
    }
  }
  return out;
}

/** Add a note at `position` (top-left corner). Returns the document and the new note's id. */
export function addNote(
  doc: PipelineDocument,
  position: Position,
  opts: { text?: string; color?: NoteColor; size?: Note['size'] } = {},
): { doc: PipelineDocument; noteId: string } {
  const note: Note = {
    id: nextItemId(doc, NOTE_ID_PREFIX),
    text: opts.text ?? '',
    position: { x: position.x, y: position.y },
    size: { ...(opts.size ?? NOTE_DEFAULT_SIZE) },
    color: opts.color ?? 'yellow',
  };
  return { doc: { ...doc, notes: [...(doc.notes ?? []), note] }, noteId: note.id };
}

/** Change a note's text, colour, size or position. Throws on an unknown note. */
export function updateNote(
  doc: PipelineDocument,
  noteId: string,
  patch: Partial<Pick<Note, 'text' | 'color' | 'size' | 'position'>>,
): PipelineDocument {
  const notes = doc.notes ?? [];
  if (!notes.some((n) => n.id === noteId)) {
    throw new Error(`no note "${noteId}" in pipeline "${doc.id}"`);
  }
  return { ...doc, notes: notes.map((n) => (n.id === noteId ? { ...n, ...patch } : n)) };
}

/** Move notes to new top-left positions (a dragged selection). Unknown ids are ignored. */
export function moveNotes(
  doc: PipelineDocument,
  positions: Readonly<Record<string, Position>>,
): PipelineDocument {
  if (!doc.notes?.some((n) => positions[n.id])) return doc;
  return {
    ...doc,
    notes: doc.notes.map((n) => {
      const p = positions[n.id];
      return p ? { ...n, position: { x: p.x, y: p.y } } : n;
    }),
  };
}

/** Steps, their edges, and the groups and notes copied with them. */
export interface CanvasFragment extends PipelineFragment {
  groups: StepGroup[];
  notes: Note[];
}

/**
 * Copy the canvas items named in `ids`: steps, groups (each with all its steps) and notes,
 * with the edges among the copied steps. A deep copy, safe to keep while the document changes.
 */
export function copyItems(doc: PipelineDocument, ids: Iterable<string>): CanvasFragment {
  const wanted = new Set(ids);
  const groups = (doc.groups ?? []).filter((g) => wanted.has(g.id));
  const stepIds = new Set([...wanted, ...groups.flatMap((g) => g.steps)]);
  return {
    ...copySteps(doc, stepIds),
    groups: structuredClone(groups),
    notes: structuredClone((doc.notes ?? []).filter((n) => wanted.has(n.id))),
  };
}

/**
 * Insert a fragment with fresh ids, moved by `offset`: steps and edges as `pasteSteps` does,
 * groups around the pasted copies of their steps, notes. Returns the document and the ids of
 * everything pasted (steps first, in fragment order, then groups, then notes).
 */
export function pasteItems(
  doc: PipelineDocument,
  fragment: PipelineFragment & Partial<CanvasFragment>,
  offset: Position = { x: 40, y: 40 },
): { doc: PipelineDocument; ids: string[] } {
  const pasted = pasteSteps(doc, fragment, offset);
  const stepMap = new Map(fragment.steps.map((s, i) => [s.id, pasted.stepIds[i] ?? '']));
  let out = pasted.doc;
  const ids = [...pasted.stepIds];
  for (const g of fragment.groups ?? []) {
    const members = g.steps.flatMap((id) => {
      const copy = stepMap.get(id);
      return copy ? [copy] : [];
    });
    const r = groupSteps(out, members, g.title);
    if (!r.groupId) continue;
    out = g.collapsed ? updateGroup(r.doc, r.groupId, { collapsed: true }) : r.doc;
    ids.push(r.groupId);
  }
  for (const n of fragment.notes ?? []) {
    const r = addNote(
      out,
      { x: n.position.x + offset.x, y: n.position.y + offset.y },
      { text: n.text, color: n.color, size: n.size },
    );
    out = r.doc;
    ids.push(r.noteId);
  }
  return { doc: out, ids };
}

/**
 * The first broken reference among groups and notes of a structurally valid document: an id
 * used twice (groups, notes and steps share one space), a group naming no existing step, or a
 * step in two groups. A JSON pointer to the bad field and a message; null if none.
 */
export function canvasItemsProblem(
  doc: PipelineDocument,
): { pointer: string; message: string } | null {
  const ids = new Set(doc.steps.map((s) => s.id));
  const owner = new Map<string, string>(); // step id → group id
  for (const [i, g] of (doc.groups ?? []).entries()) {
    if (ids.has(g.id)) return { pointer: `/groups/${i}/id`, message: `id "${g.id}" is used twice` };
    ids.add(g.id);
    for (const [j, stepId] of g.steps.entries()) {
      const at = `/groups/${i}/steps/${j}`;
      if (!doc.steps.some((s) => s.id === stepId)) {
        return { pointer: at, message: `no step "${stepId}"` };
      }
      const other = owner.get(stepId);
      if (other !== undefined) {
        return {
          pointer: at,
          message: `step "${stepId}" is already in group "${other}" (a step is in one group at most)`,
        };
      }
      owner.set(stepId, g.id);
    }
  }
  for (const [i, n] of (doc.notes ?? []).entries()) {
    if (ids.has(n.id)) return { pointer: `/notes/${i}/id`, message: `id "${n.id}" is used twice` };
    ids.add(n.id);
  }
  return null;
}
