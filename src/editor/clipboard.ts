/**
 * Copy and paste of steps inside the editor (an in-memory clipboard: a fragment of the
 * document with the edges among the copied steps).
 */
import { useCallback, useRef } from 'react';
import { copySteps, pasteSteps, type PipelineFragment } from '../pipeline/edit';
import type { EditorStore } from './store';

/** How far each successive paste is moved from the copied steps (px at zoom 1). */
const PASTE_SHIFT = 40;

export interface StepClipboard {
  /** Copy the selected steps (nothing selected: nothing happens). */
  copy: () => void;
  /** Paste the last copy, shifted further at each paste, and select the pasted steps. */
  paste: () => void;
}

export function useStepClipboard(store: EditorStore): StepClipboard {
  const clip = useRef<PipelineFragment | null>(null);
  const pasteCount = useRef(0);
  const copy = useCallback(() => {
    const s = store.getState();
    if (s.selectedSteps.length === 0) return;
    clip.current = copySteps(s.doc, s.selectedSteps);
    pasteCount.current = 0;
    store.notify(`Copied ${s.selectedSteps.length} step(s).`);
  }, [store]);
  const paste = useCallback(() => {
    const c = clip.current;
    if (!c || c.steps.length === 0) return;
    pasteCount.current += 1;
    const shift = PASTE_SHIFT * pasteCount.current;
    let ids: string[] = [];
    store.edit((d) => {
      const r = pasteSteps(d, c, { x: shift, y: shift });
      ids = r.stepIds;
      return r.doc;
    });
    store.select(ids, []);
  }, [store]);
  return { copy, paste };
}
