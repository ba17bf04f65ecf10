/**
 * The toolbar's Auto-layout: arrange the steps with their measured sizes (left to right, wrapped
 * into rows when one row would not be readable in the canvas, or top to bottom on a narrow
 * screen) as one undo step, then fit the view readably around the selection (canvasView.ts).
 */
import { useCallback } from 'react';
import { useStoreApi } from '@xyflow/react';
import { nodeBoxes, useReadableFit, visiblePane } from './canvasView';
import { applyLayout, autoLayout } from './layout';
import type { EditorStore } from './store';

export function useAutoLayout(store: EditorStore, narrow: boolean): () => void {
  const storeApi = useStoreApi();
  const fit = useReadableFit();
  return useCallback(() => {
    const state = storeApi.getState();
    const sizes: Record<string, { width: number; height: number }> = {};
    for (const { id, box } of nodeBoxes(state))
      sizes[id] = { width: box.width, height: box.height };
    const direction = narrow ? 'DOWN' : 'RIGHT';
    autoLayout(store.getState().doc, sizes, direction, visiblePane(state)).then(
      (positions) => {
        store.edit((d) => applyLayout(d, positions));
        // One frame for React Flow to take the new positions into its store.
        requestAnimationFrame(() => fit({ focus: store.getState().selectedSteps }));
      },
      (e: Error) => store.notify(`Auto-layout failed: ${e.message}`, 'error'),
    );
  }, [store, storeApi, narrow, fit]);
}
