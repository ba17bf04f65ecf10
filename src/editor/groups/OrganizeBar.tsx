/**
 * The canvas's organising actions, in a small bar on the canvas: "Group" the selected steps
 * (Ctrl/Cmd+G), "Ungroup" (Ctrl/Cmd+Shift+G: the selected groups, or those of the selected
 * steps) and "Add note" (in the middle of the view). Each is one undoable edit.
 */
import { useCallback, useEffect } from 'react';
import { Panel, useStoreApi } from '@xyflow/react';
import { addNote, groupOf, groupSteps, NOTE_DEFAULT_SIZE, ungroup } from '../../pipeline/groups';
import { useEditorContext } from '../context';
import { useEditor, type EditorState } from '../store';
import { useRevealFrame } from './revealFrame';
import './groups.css';

const selectSelection = (s: EditorState) => s.selectedSteps;

/** Ids of the selected steps (the store's selection also holds group and note ids). */
function selectedStepIds(s: EditorState): string[] {
  const steps = new Set(s.doc.steps.map((st) => st.id));
  return s.selectedSteps.filter((id) => steps.has(id));
}

/** Groups to undo: those selected, and those holding a selected step. */
function groupsToUndo(s: EditorState): string[] {
  const ids = new Set<string>();
  for (const id of s.selectedSteps) {
    if (s.doc.groups?.some((g) => g.id === id)) ids.add(id);
    const owner = groupOf(s.doc, id);
    if (owner) ids.add(owner.id);
  }
  return [...ids];
}

function isTextTarget(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || t.matches('input, textarea, select'));
}

/** The bar, rendered inside `<ReactFlow>`. */
export function OrganizeBar() {
  const { store } = useEditorContext();
  const flowStore = useStoreApi();
  const revealFrame = useRevealFrame();
  useEditor(store, selectSelection); // re-render when the selection changes
  const state = store.getState();
  const canGroup = selectedStepIds(state).length > 0;
  const canUngroup = groupsToUndo(state).length > 0;

  const group = useCallback(() => {
    const ids = selectedStepIds(store.getState());
    if (ids.length === 0) return;
    let groupId: string | null = null;
    store.edit((d) => {
      const r = groupSteps(d, ids);
      groupId = r.groupId;
      return r.doc;
    });
    if (!groupId) return;
    store.select([groupId], []);
    // Its title bar (collapse, run) sits above the steps, perhaps above the canvas' edge.
    revealFrame(store.getState().doc, groupId);
  }, [store, revealFrame]);

  const unGroup = useCallback(() => {
    const ids = groupsToUndo(store.getState());
    if (ids.length > 0) store.edit((d) => ungroup(d, ids));
  }, [store]);

  const note = useCallback(() => {
    // The middle of the view, in flow coordinates: (screen − pan) / zoom.
    const { width, height, transform } = flowStore.getState();
    const [tx, ty, zoom] = transform;
    const at = {
      x: Math.round((width / 2 - tx) / zoom - NOTE_DEFAULT_SIZE.width / 2),
      y: Math.round((height / 2 - ty) / zoom - NOTE_DEFAULT_SIZE.height / 2),
    };
    let noteId = '';
    store.edit((d) => {
      const r = addNote(d, at);
      noteId = r.noteId;
      return r.doc;
    });
    store.select([noteId], []);
  }, [store, flowStore]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'g' || isTextTarget(e.target)) {
        return;
      }
      e.preventDefault(); // the browser's "find next"
      if (e.shiftKey) unGroup();
      else group();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [group, unGroup]);

  return (
    // Beside the zoom controls, in the strip of the canvas kept free of steps (readableView.ts).
    <Panel
      position="top-left"
      className="organize-bar"
      role="toolbar"
      aria-label="Organise the canvas"
    >
      <button
        type="button"
        onClick={group}
        disabled={!canGroup}
        title="Frame the selected steps in a group (Ctrl+G)"
        aria-keyshortcuts="Control+G Meta+G"
      >
        Group
      </button>
      <button
        type="button"
        onClick={unGroup}
        disabled={!canUngroup}
        title="Remove the frame of the selected groups; their steps stay (Ctrl+Shift+G)"
        aria-keyshortcuts="Control+Shift+G Meta+Shift+G"
      >
        Ungroup
      </button>
      <button type="button" onClick={note} title="Add a sticky note in the middle of the view">
        Add note
      </button>
    </Panel>
  );
}
