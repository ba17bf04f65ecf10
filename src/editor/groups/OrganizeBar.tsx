/**
 * The canvas's organising actions, in a small bar on the canvas: "Group" the selected steps
 * (Ctrl/Cmd+G), "Ungroup" (Ctrl/Cmd+Shift+G: the selected groups, or those of the selected
 * steps) and "Add note" (at the free place nearest the middle of the view). Each is one undoable edit.
 */
import { useCallback, useEffect } from 'react';
import { Panel, useReactFlow, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { addNote, groupOf, groupSteps, NOTE_DEFAULT_SIZE, ungroup } from '../../pipeline/groups';
import { useEditorContext } from '../context';
import { nodeBoxes, visiblePane } from '../canvasView';
import { panIntoView } from '../readableView';
import { useEditor, type EditorState } from '../store';
import { COARSE_POINTER } from '../pointer';
import { OFFSET_PX, pickerSize } from './notePicker';
import { freeNoteSpot } from './notePlace';
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

/**
 * Where a new note goes (flow px): the free place nearest the middle of the view (notePlace.ts),
 * and the room its swatches take above it (flow px).
 */
function newNoteSpot(state: ReactFlowState): { at: { x: number; y: number }; roomAbove: number } {
  const pane = visiblePane(state);
  const [tx, ty, zoom] = state.transform;
  // The visible pane in flow coordinates: (screen − pan) / zoom.
  const view = {
    x: (pane.x - tx) / zoom,
    y: (pane.y - ty) / zoom,
    width: pane.width / zoom,
    height: pane.height / zoom,
  };
  const obstacles = nodeBoxes(state).map((n) => n.box);
  const roomAbove = (pickerSize(COARSE_POINTER).height + OFFSET_PX) / zoom;
  return { at: freeNoteSpot(obstacles, view, NOTE_DEFAULT_SIZE, roomAbove), roomAbove };
}

/** The bar, rendered inside `<ReactFlow>`. */
export function OrganizeBar() {
  const { store } = useEditorContext();
  const flowStore = useStoreApi();
  const flow = useReactFlow();
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
    const { at, roomAbove } = newNoteSpot(flowStore.getState());
    let noteId = '';
    store.edit((d) => {
      const r = addNote(d, at);
      noteId = r.noteId;
      return r.doc;
    });
    store.select([noteId], []);
    // A free place may lie just above or below the view (a phone's column of steps fills it).
    // The note and its swatches above it.
    const box = {
      x: at.x,
      y: at.y - roomAbove,
      width: NOTE_DEFAULT_SIZE.width,
      height: NOTE_DEFAULT_SIZE.height + roomAbove,
    };
    const shown = panIntoView(box, flow.getViewport(), visiblePane(flowStore.getState()));
    if (shown) void flow.setViewport(shown);
  }, [store, flowStore, flow]);

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
      <button type="button" onClick={note} title="Add a sticky note near the middle of the view">
        Add note
      </button>
    </Panel>
  );
}
