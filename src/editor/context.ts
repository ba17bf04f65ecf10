/** The editor's shared services, handed to deep components (nodes, widgets) via context. */
import { createContext, useContext } from 'react';
import type { Catalog } from './docOps';
import type { RunStore } from './runState';
import type { QuickAddRequest, StepMenuRequest } from './quickAddState';
import type { EditorStore } from './store';

export interface EditorServices {
  store: EditorStore;
  runStore: RunStore;
  catalog: Catalog;
  /** A tap (or click) on a port handle: the first picks it, the second connects. */
  onPortTap: (stepId: string, kind: 'in' | 'out', port: string) => void;
  /** Open the full message and log of a step's run. */
  showDetails: (stepId: string) => void;
  /** Open the quick-add search (an output's "+", a double-click on the canvas). */
  openQuickAdd: (r: QuickAddRequest) => void;
  /** Open a step's context menu (right-click, long-press). */
  openStepMenu: (r: StepMenuRequest) => void;
}

export const EditorContext = createContext<EditorServices | null>(null);

export function useEditorContext(): EditorServices {
  const ctx = useContext(EditorContext);
  if (!ctx) throw new Error('EditorContext is missing: render inside <EditorContext.Provider>');
  return ctx;
}
