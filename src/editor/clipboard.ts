/**
 * Copy and paste of steps inside the editor (an in-memory clipboard: a fragment of the
 * document with the edges among the copied steps, and the selected groups and notes).
 */
import { useCallback, useRef } from 'react';
import { copyItems, pasteItems, type CanvasFragment } from '../pipeline/groups';
import type { EditorStore } from './store';

/** How far each successive paste is moved from the copied steps (px at zoom 1). */
const PASTE_SHIFT = 40;

export interface StepClipboard {
  /** Copy the selected steps, groups (with their steps) and notes (none selected: nothing). */
  copy: () => void;
  /** Paste the last copy, shifted further at each paste, and select the pasted steps. */
  paste: () => void;
}

export function useStepClipboard(store: EditorStore): StepClipboard {
  const clip = useRef<CanvasFragment | null>(null);
  const pasteCount = useRef(0);
  const copy = useCallback(() => {
    const s = store.getState();
    if (s.selectedSteps.length === 0) return;
    clip.current = copyItems(s.doc, s.selectedSteps);
    pasteCount.current = 0;
    store.notify(`Copied ${s.selectedSteps.length} item(s).`);
  }, [store]);
  const paste = useCallback(() => {
    const c = clip.current;
    if (!c || c.steps.length + c.notes.length === 0) return;
    pasteCount.current += 1;
    const shift = PASTE_SHIFT * pasteCount.current;
    let ids: string[] = [];
    store.edit((d) => {
      const r = pasteItems(d, c, { x: shift, y: shift });
      ids = r.ids;
      return r.doc;
    });
    store.select(ids, []);
  }, [store]);
  return { copy, paste };
}
