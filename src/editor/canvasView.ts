/**
 * Hooks that move the canvas viewport readably (geometry in readableView.ts): a Fit View that
 * never zooms below a readable level, Auto-layout followed by that fit, and keeping the
 * selected step in sight when a panel opens over or beside the canvas. They read React Flow's
 * store (node boxes, pane size) and never its DOM.
 */
import { useCallback, useEffect } from 'react';
import { useReactFlow, useStore, useStoreApi, type ReactFlowState } from '@xyflow/react';
import { applyLayout, autoLayout } from './layout';
import {
  CONTROLS_STRIP_PX,
  followView,
  onScreen,
  panIntoView,
  READABLE_ZOOM,
  readableView,
  type Pane,
  type StepBox,
} from './readableView';
import type { EditorStore } from './store';

/** Node size used before React Flow has measured a node (flow px), as in layout.ts. */
const UNMEASURED = { width: 164, height: 100 };
/** Part of the screen height a phone's bottom sheet may take (its CSS max-height: 70vh). */
export const SHEET_HEIGHT_FRACTION = 0.7;
/** How long a view change animates (ms); short, so tests and people see the result at once. */
const MOVE_MS = 200;

/** Every node's box in flow px (absolute, so nodes inside a group count where they are). */
export function nodeBoxes(state: Pick<ReactFlowState, 'nodeLookup'>): StepBox[] {
  const out: StepBox[] = [];
  for (const n of state.nodeLookup.values()) {
    if (n.hidden) continue;
    const { x, y } = n.internals.positionAbsolute;
    out.push({
      id: n.id,
      box: {
        x,
        y,
        width: n.measured.width ?? UNMEASURED.width,
        height: n.measured.height ?? UNMEASURED.height,
      },
    });
  }
  return out;
}

/**
 * Where steps may be shown (screen px): clear of the zoom controls' strip (along the top of a
 * wide canvas, down the left of a narrow one: readableView.ts) and above a bottom sheet
 * `coveredBottomPx` high.
 */
export function visiblePane(
  state: Pick<ReactFlowState, 'width' | 'height'>,
  coveredBottomPx = 0,
): Pane {
  // The same breakpoint as useNarrowScreen and styles.css' 44 px controls.
  const narrow = window.matchMedia('(max-width: 720px)').matches;
  const left = narrow ? Math.min(CONTROLS_STRIP_PX.narrow, state.width / 4) : 0;
  const top = narrow ? 0 : Math.min(CONTROLS_STRIP_PX.wide, state.height / 4);
  return {
    x: left,
    y: top,
    width: Math.max(state.width - left, 1),
    height: Math.max(state.height - top - coveredBottomPx, 1),
  };
}

/** Screen px a phone's open bottom sheet covers of a canvas `paneHeight` high. */
export function sheetCover(paneHeight: number): number {
  // The canvas ends at the bottom of the window; the sheet rises from there.
  return Math.min(paneHeight, window.innerHeight * SHEET_HEIGHT_FRACTION);
}

/** True when some node lies partly or wholly outside the canvas (React Flow store state). */
export function someNodeOutOfSight(
  state: Pick<ReactFlowState, 'nodeLookup' | 'transform' | 'width' | 'height'>,
): boolean {
  const [x, y, zoom] = state.transform;
  const pane = visiblePane(state);
  return nodeBoxes(state).some((n) => {
    const b = onScreen(n.box, { x, y, zoom });
    return (
      b.x < pane.x ||
      b.y < pane.y ||
      b.x + b.width > pane.x + pane.width ||
      b.y + b.height > pane.y + pane.height
    );
  });
}

/** Options of a readable fit. */
export interface FitOptions {
  /** Steps to show first when not all fit (the selection); default: the first step. */
  focus?: readonly string[];
  /** Screen px at the bottom of the canvas hidden by a sheet. */
  coveredBottomPx?: number;
  /** Animation length (ms). */
  duration?: number;
}

/** Returns `fit(options)`: Fit View at a readable zoom (readableView.ts). */
export function useReadableFit(): (options?: FitOptions) => void {
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  return useCallback(
    (options: FitOptions = {}) => {
      const state = storeApi.getState();
      const view = readableView(
        nodeBoxes(state),
        visiblePane(state, options.coveredBottomPx),
        options.focus ?? [],
      );
      void flow.setViewport(view, { duration: options.duration ?? MOVE_MS });
    },
    [flow, storeApi],
  );
}

/**
 * Returns `reveal()`: when some step is out of sight after one was added, fits the view readably
 * around the selection, so both ends of the next connection show. On a narrow screen, where a
 * left-to-right chain cannot be readable, the steps are first arranged top to bottom (like a
 * pipeline opened there, openView.ts; not an undo step: the user's edit was the addition).
 */
export function useRevealSteps(store: EditorStore, narrow: boolean): () => void {
  const storeApi = useStoreApi();
  const fit = useReadableFit();
  return useCallback(() => {
    const fitSelection = () => fit({ focus: store.getState().selectedSteps, duration: 0 });
    // One frame for React Flow to measure and place a step just added.
    requestAnimationFrame(() => {
      const state = storeApi.getState();
      if (!someNodeOutOfSight(state)) return;
      if (!narrow) {
        fitSelection();
        return;
      }
      const sizes: Record<string, { width: number; height: number }> = {};
      for (const { id, box } of nodeBoxes(state))
        sizes[id] = { width: box.width, height: box.height };
      const docId = store.getState().doc.id;
      autoLayout(store.getState().doc, sizes, 'DOWN', visiblePane(state)).then(
        (positions) => {
          if (store.getState().doc.id !== docId) return;
          store.arrange((d) => applyLayout(d, positions));
          requestAnimationFrame(fitSelection);
        },
        (e: Error) => {
          store.notify(`Auto-layout failed: ${e.message}`, 'error');
          fitSelection();
        },
      );
    });
  }, [store, storeApi, fit, narrow]);
}

/** Frames to wait at most for React Flow to measure a step just added (about 0.2 s). */
const MEASURE_FRAMES = 12;

/**
 * Returns `follow(stepId, producerId)`: once step `stepId` (just added, linked from
 * `producerId`) has been measured, moves the view at once as `followView` says: every step in
 * sight when they fit readably, else the new step and its producer; on a `narrow` screen
 * without zooming out.
 */
export function useFollowStep(narrow: boolean): (stepId: string, producerId: string) => void {
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  return useCallback(
    (stepId: string, producerId: string) => {
      const attempt = (framesLeft: number) => {
        const state = storeApi.getState();
        const node = state.nodeLookup.get(stepId);
        if (!node) return;
        if (node.measured.width === undefined && framesLeft > 0) {
          requestAnimationFrame(() => attempt(framesLeft - 1));
          return;
        }
        const view = flow.getViewport();
        // A phone keeps its zoom: zoomed out, its 44 px touch targets would shrink.
        const minZoom = narrow ? view.zoom : READABLE_ZOOM;
        const pair = [stepId, producerId];
        const next = followView(nodeBoxes(state), visiblePane(state), view, pair, minZoom);
        // Not animated: the step is where it is shown as soon as it is shown.
        if (next) void flow.setViewport(next);
      };
      requestAnimationFrame(() => attempt(MEASURE_FRAMES));
    },
    [flow, storeApi, narrow],
  );
}

const selectPaneSize = (s: ReactFlowState) => `${s.width}x${s.height}`;

/**
 * Keeps step `stepId` in sight: when it is selected, when the canvas changes size (the output
 * panel opening under it takes room) and when a phone's bottom sheet opens over it
 * (`sheetOpen`), the view pans (same zoom) just enough to show the whole step in the part of
 * the canvas left uncovered.
 */
export function useKeepInView(stepId: string | null, sheetOpen: boolean): void {
  const flow = useReactFlow();
  const storeApi = useStoreApi();
  const paneSize = useStore(selectPaneSize);
  useEffect(() => {
    if (!stepId) return;
    const state = storeApi.getState();
    const box = nodeBoxes(state).find((b) => b.id === stepId)?.box;
    if (!box || state.width === 0) return;
    const covered = sheetOpen ? sheetCover(state.height) : 0;
    const next = panIntoView(box, flow.getViewport(), visiblePane(state, covered));
    // At once, not animated: a step dropped half off the edge must not slide away from under
    // the pointer that goes on to connect it.
    if (next) void flow.setViewport(next);
  }, [stepId, sheetOpen, paneSize, flow, storeApi]);
}
