/**
 * The canvas as the editor's actions see it: where the visible middle is, whether every step is
 * in sight, and how to bring one step into view. Reads React Flow's own store (pane size and
 * viewport) and node bounds, never the DOM.
 */
import { useCallback } from 'react';
import { useReactFlow, useStoreApi, type Rect } from '@xyflow/react';
import { freeSpot, type Point, type Size } from './placement';
import { useFollowStep, useRevealSteps, visiblePane } from './canvasView';
import { FIT_MARGIN_PX, READABLE_ZOOM } from './readableView';
import type { EditorStore } from './store';
import { useNarrowScreen } from './theme';

/** Offset from a step's top-left corner to roughly its middle (px at zoom 1). */
const HALF_STEP = { x: 82, y: 50 };

export interface CanvasGeometry {
  /** Where to put a step added without a drop position: the middle of the visible canvas. */
  viewCenter: () => Point;
  /**
   * After a step is added by a tap (placed beside the others), fit the view readably if some
   * step is out of sight, so both ends of the next tap-tap connection are on screen (phones).
   */
  revealAll: () => void;
  /** Pan (keeping the zoom) so that step `stepId` is in the middle of the canvas. */
  centerOn: (stepId: string) => void;
  /**
   * After step `stepId` was added linked from `producerId`, once it is measured: keep the whole
   * pipeline in view when it fits readably, else that step and its producer (readableView.ts).
   */
  followStep: (stepId: string, producerId: string) => void;
  /**
   * How wide a row of steps may be (flow px) to be shown whole at a readable zoom: the canvas
   * width less the fit margins, at READABLE_ZOOM (readableView.ts).
   */
  readableRowWidth: () => number;
  /** The rendered size of each step React Flow has measured (px at zoom 1). */
  stepSizes: () => Record<string, Size>;
  /** The canvas pane on screen (px), from React Flow's root element; null before it mounts. */
  paneRect: () => Rect | null;
  /** A step's top-right corner on screen (px); null for an unknown step. */
  stepCorner: (stepId: string) => Point | null;
}

/** The canvas geometry helpers for the editor's actions (inside a `ReactFlowProvider`). */
export function useCanvasGeometry(store: EditorStore): CanvasGeometry {
  const flow = useReactFlow();
  const rf = useStoreApi();
  const narrow = useNarrowScreen();

  /** The part of the canvas on screen, right of the zoom controls, in flow coordinates. */
  const visibleRect = useCallback((): Rect => {
    const state = rf.getState();
    const [tx, ty, zoom] = state.transform;
    const pane = visiblePane(state);
    return {
      x: (pane.x - tx) / zoom,
      y: (pane.y - ty) / zoom,
      width: pane.width / zoom,
      height: pane.height / zoom,
    };
  }, [rf]);

  const stepSizes = useCallback(() => {
    const sizes: Record<string, Size> = {};
    for (const n of flow.getNodes()) {
      if (n.measured?.width && n.measured.height) {
        sizes[n.id] = { width: n.measured.width, height: n.measured.height };
      }
    }
    return sizes;
  }, [flow]);

  const viewCenter = useCallback(() => {
    const v = visibleRect();
    const center = { x: v.x + v.width / 2, y: v.y + v.height / 2 };
    return freeSpot(
      store.getState().doc,
      { x: center.x - HALF_STEP.x, y: center.y - HALF_STEP.y },
      stepSizes(),
    );
  }, [visibleRect, store, stepSizes]);

  // Readable: never zooms out below READABLE_ZOOM; on a phone arranges top to bottom first.
  const revealAll = useRevealSteps(store, narrow);

  const centerOn = useCallback(
    (stepId: string) => {
      if (!flow.getNode(stepId)) return;
      const b = flow.getNodesBounds([stepId]);
      void flow.setCenter(b.x + b.width / 2, b.y + b.height / 2, {
        zoom: flow.getZoom(),
        duration: 300,
      });
    },
    [flow],
  );

  const followStep = useFollowStep(narrow);

  const readableRowWidth = useCallback(() => {
    const pane = visiblePane(rf.getState());
    return Math.max(pane.width - 2 * FIT_MARGIN_PX, 0) / READABLE_ZOOM;
  }, [rf]);

  const paneRect = useCallback(() => {
    const r = rf.getState().domNode?.getBoundingClientRect();
    return r ? { x: r.left, y: r.top, width: r.width, height: r.height } : null;
  }, [rf]);

  const stepCorner = useCallback(
    (stepId: string) => {
      if (!flow.getNode(stepId)) return null;
      const b = flow.getNodesBounds([stepId]);
      return flow.flowToScreenPosition({ x: b.x + b.width, y: b.y });
    },
    [flow],
  );

  return {
    viewCenter,
    revealAll,
    centerOn,
    followStep,
    readableRowWidth,
    stepSizes,
    paneRect,
    stepCorner,
  };
}
