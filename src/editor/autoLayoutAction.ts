/**
 * The toolbar's Auto-layout: arrange the steps with their measured sizes (left to right, or top
 * to bottom on a narrow screen) as one undo step, then fit the view.
 */
import { useCallback } from 'react';
import { useReactFlow } from '@xyflow/react';
import { moveSteps } from '../pipeline/edit';
import { autoLayout } from './layout';
import type { EditorStore } from './store';

export function useAutoLayout(store: EditorStore, narrow: boolean): () => void {
  const flow = useReactFlow();
  return useCallback(() => {
    const sizes: Record<string, { width: number; height: number }> = {};
    for (const n of flow.getNodes()) {
      if (n.measured?.width && n.measured.height) {
        sizes[n.id] = { width: n.measured.width, height: n.measured.height };
      }
    }
    autoLayout(store.getState().doc, sizes, narrow ? 'DOWN' : 'RIGHT').then(
      (positions) => {
        store.edit((d) => moveSteps(d, Object.fromEntries(positions)));
        requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 200 }));
      },
      (e: Error) => store.notify(`Auto-layout failed: ${e.message}`, 'error'),
    );
  }, [flow, store, narrow]);
}
