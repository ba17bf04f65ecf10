/**
 * How a pipeline is shown when it opens. On a wide screen: fit it all if it is readable so,
 * else its first steps (readableView.ts). On a narrow (phone)
 * screen a left-to-right chain would be tiny or run off both sides, so if it does not fit at a
 * readable zoom the steps are re-arranged top to bottom (no undo step: the user did nothing)
 * and the view fits the width, starting at the top, to be scrolled like a page.
 */
import { useEffect, useRef } from 'react';
import {
  useNodesInitialized,
  useReactFlow,
  useStoreApi,
  type Rect,
  type Viewport,
} from '@xyflow/react';
import { nodeBoxes, useReadableFit, visiblePane } from './canvasView';
import { applyLayout, autoLayout } from './layout';
import { READABLE_ZOOM } from './readableView';
import type { EditorStore } from './store';

/** Below this zoom step text is under 11 px on screen (readableView.ts). */
export const MIN_READABLE_ZOOM = READABLE_ZOOM;
/** Margin around the pipeline, as a fraction of its size (React Flow's fitView padding). */
const PADDING = 0.08;
/** Largest zoom an opened pipeline is shown at. */
const MAX_OPEN_ZOOM = 1.2;

/** The zoom at which `bounds` (flow px) fits `pane` (screen px) with padding. */
export function fitZoom(bounds: Rect, pane: { width: number; height: number }): number {
  const w = bounds.width * (1 + 2 * PADDING);
  const h = bounds.height * (1 + 2 * PADDING);
  return Math.min(pane.width / Math.max(w, 1), pane.height / Math.max(h, 1), MAX_OPEN_ZOOM);
}

/**
 * A viewport showing `bounds` as wide as the pane allows (at most zoom 1), centred
 * horizontally in the pane (which starts `x` px from the canvas' left edge), its top edge near
 * the top of the pane.
 */
export function topView(
  bounds: Rect,
  pane: { x?: number; width: number; height: number },
): Viewport {
  const zoom = Math.min(1, pane.width / (bounds.width * (1 + 2 * PADDING)));
  const margin = bounds.width * PADDING * zoom;
  return {
    zoom,
    x: (pane.x ?? 0) + (pane.width - bounds.width * zoom) / 2 - bounds.x * zoom,
    y: margin - bounds.y * zoom,
  };
}

/** Fits (or, on a narrow screen, arranges and shows) each newly opened pipeline once. */
export function useOpenView(store: EditorStore, docId: string, stepCount: number, narrow: boolean) {
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  const initialized = useNodesInitialized();
  const fit = useReadableFit();
  const shownFor = useRef<string | null>(null);

  useEffect(() => {
    if (shownFor.current === docId) return;
    if (stepCount === 0) {
      shownFor.current = docId;
      void flow.setViewport({ x: 0, y: 0, zoom: 1 });
      return;
    }
    if (!initialized) return;
    shownFor.current = docId;
    const state = storeApi.getState();
    const pane = visiblePane(state);
    const fitNow = () => fit({ focus: store.getState().selectedSteps, duration: 0 });
    if (!narrow || fitZoom(flow.getNodesBounds(flow.getNodes()), pane) >= MIN_READABLE_ZOOM) {
      fitNow();
      return;
    }
    const sizes: Record<string, { width: number; height: number }> = {};
    for (const { id, box } of nodeBoxes(state))
      sizes[id] = { width: box.width, height: box.height };
    const doc = store.getState().doc;
    autoLayout(doc, sizes, 'DOWN', pane).then(
      (positions) => {
        if (store.getState().doc.id !== docId) return;
        store.arrange((d) => applyLayout(d, positions));
        requestAnimationFrame(() => {
          const bounds = flow.getNodesBounds(flow.getNodes());
          if (fitZoom(bounds, pane) >= MIN_READABLE_ZOOM) fitNow();
          else void flow.setViewport(topView(bounds, pane));
        });
      },
      (e: Error) => {
        store.notify(`Auto-layout failed: ${e.message}`, 'error');
        fitNow();
      },
    );
  }, [flow, storeApi, fit, store, docId, stepCount, narrow, initialized]);
}
