/**
 * The editor's document store: the PipelineDocument is the single source of truth, with an
 * undo stack of whole documents (documents are immutable, so a stack entry is one pointer).
 * React Flow's nodes and edges are derived from it; nothing else holds pipeline state.
 */
import { useSyncExternalStore } from 'react';
import { canvasItemIds } from '../pipeline/groups';
import type { PipelineDocument } from '../pipeline/types';

/** Most undo entries kept; older ones are dropped (a document is small, 200 is plenty). */
const HISTORY_LIMIT = 200;
/** Edits of one field closer than this (ms) are one undo step: typing a word is one edit. */
const COALESCE_MS = 1000;

/** Editor state: the document, its history, and what is selected on the canvas. */
export interface EditorState {
  doc: PipelineDocument;
  past: PipelineDocument[];
  future: PipelineDocument[];
  /** Selected steps, and selected groups and notes (their ids never equal a step's). */
  selectedSteps: string[];
  selectedEdges: string[];
  /** A visible, transient message (e.g. why a connection was refused). */
  notice: { id: number; text: string; kind: 'info' | 'error' } | null;
}

type Listener = () => void;

/** A tiny external store read with `useSyncExternalStore` and module-level selectors. */
export class EditorStore {
  private state: EditorState;
  private listeners = new Set<Listener>();
  /** Document before the current gesture (a drag), so the whole drag is one undo step. */
  private gestureStart: PipelineDocument | null = null;
  private noticeSeq = 0;
  private lastEditKey: string | undefined;
  private lastEditAtMs = 0;

  constructor(doc: PipelineDocument) {
    this.state = {
      doc,
      past: [],
      future: [],
      selectedSteps: [],
      selectedEdges: [],
      notice: null,
    };
  }

  getState = (): EditorState => this.state;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private set(patch: Partial<EditorState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  /**
   * Apply an edit as one undoable step. A function returning the same doc is a no-op. Edits
   * with the same `coalesceKey` less than {@link COALESCE_MS} apart (typing in one field) form
   * a single undo step.
   */
  edit(fn: (doc: PipelineDocument) => PipelineDocument, coalesceKey?: string): void {
    const before = this.state.doc;
    const after = fn(before);
    if (after === before) return;
    if (this.gestureStart) {
      this.set({ doc: after });
      return;
    }
    const now = Date.now();
    const coalesce =
      coalesceKey !== undefined &&
      coalesceKey === this.lastEditKey &&
      now - this.lastEditAtMs < COALESCE_MS &&
      this.state.past.length > 0;
    this.lastEditKey = coalesceKey;
    this.lastEditAtMs = now;
    if (coalesce) {
      this.set({ doc: after, future: [], ...pruneSelection(after, this.state) });
      return;
    }
    this.set({
      doc: after,
      past: [...this.state.past, before].slice(-HISTORY_LIMIT),
      future: [],
      ...pruneSelection(after, this.state),
    });
  }

  /**
   * Apply a change the user did not make (arranging a pipeline to suit the screen when it
   * opens): no undo step, and the history is left as it is.
   */
  arrange(fn: (doc: PipelineDocument) => PipelineDocument): void {
    const after = fn(this.state.doc);
    if (after !== this.state.doc) this.set({ doc: after });
  }

  /** Start a gesture: edits until {@link endGesture} form a single undo step. */
  beginGesture(): void {
    if (!this.gestureStart) this.gestureStart = this.state.doc;
  }

  endGesture(): void {
    const start = this.gestureStart;
    this.gestureStart = null;
    if (!start || start === this.state.doc) return;
    this.set({ past: [...this.state.past, start].slice(-HISTORY_LIMIT), future: [] });
  }

  undo(): void {
    this.lastEditKey = undefined;
    const { past, future, doc } = this.state;
    const prev = past[past.length - 1];
    if (!prev) return;
    this.set({
      doc: prev,
      past: past.slice(0, -1),
      future: [doc, ...future],
      ...pruneSelection(prev, this.state),
    });
  }

  redo(): void {
    this.lastEditKey = undefined;
    const { past, future, doc } = this.state;
    const next = future[0];
    if (!next) return;
    this.set({
      doc: next,
      past: [...past, doc],
      future: future.slice(1),
      ...pruneSelection(next, this.state),
    });
  }

  /** Replace the document (open another pipeline): history starts afresh. */
  load(doc: PipelineDocument): void {
    this.gestureStart = null;
    this.set({ doc, past: [], future: [], selectedSteps: [], selectedEdges: [] });
  }

  select(steps: string[], edges: string[]): void {
    const s = this.state;
    if (sameList(s.selectedSteps, steps) && sameList(s.selectedEdges, edges)) return;
    this.set({ selectedSteps: steps, selectedEdges: edges });
  }

  notify(text: string, kind: 'info' | 'error' = 'info'): void {
    this.noticeSeq += 1;
    this.set({ notice: { id: this.noticeSeq, text, kind } });
  }

  clearNotice(): void {
    if (this.state.notice) this.set({ notice: null });
  }
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Drop selected ids that no longer exist in `doc`. */
function pruneSelection(
  doc: PipelineDocument,
  s: EditorState,
): Pick<EditorState, 'selectedSteps' | 'selectedEdges'> {
  const stepIds = new Set([...doc.steps.map((st) => st.id), ...canvasItemIds(doc)]);
  const edgeIds = new Set(doc.edges.map((e) => e.id));
  return {
    selectedSteps: s.selectedSteps.filter((id) => stepIds.has(id)),
    selectedEdges: s.selectedEdges.filter((id) => edgeIds.has(id)),
  };
}

/** Read a slice of the store; pass a selector defined at module level or memoised. */
export function useEditor<T>(store: EditorStore, selector: (s: EditorState) => T): T {
  return useSyncExternalStore(store.subscribe, () => selector(store.getState()));
}
