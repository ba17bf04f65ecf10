/**
 * Which quick-add search or step menu is open, and where. Opened from the canvas (double-click,
 * right-click, long-press), from an output's "+", and from the keyboard (`/`, the menu key).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { useReactFlow } from '@xyflow/react';
import type { CanvasGeometry } from './canvasGeometry';
import type { LinkSource } from './autoConnect';
import type { Point } from './placement';

/** An open quick-add search. */
export interface QuickAddRequest {
  /** Where the box opens (screen px). */
  screen: Point;
  /** Where the new step goes (flow px); without it, beside the step it is linked from. */
  position?: Point;
  /**
   * The step (and output: the "+" of a port) the new step is linked from; without it, the
   * selected step.
   */
  from?: LinkSource;
}

/** An open step menu. */
export interface StepMenuRequest {
  stepId: string;
  /** Where the menu opens (screen px). */
  screen: Point;
}

export interface Popups {
  quickAdd: QuickAddRequest | null;
  stepMenu: StepMenuRequest | null;
  openQuickAdd: (r: QuickAddRequest) => void;
  openStepMenu: (r: StepMenuRequest) => void;
  close: () => void;
}

/** At most one popup at a time: opening one closes the other. */
export function usePopups(): Popups {
  const [quickAdd, setQuickAdd] = useState<QuickAddRequest | null>(null);
  const [stepMenu, setStepMenu] = useState<StepMenuRequest | null>(null);
  const openQuickAdd = useCallback((r: QuickAddRequest) => {
    setStepMenu(null);
    setQuickAdd(r);
  }, []);
  const openStepMenu = useCallback((r: StepMenuRequest) => {
    setQuickAdd(null);
    setStepMenu(r);
  }, []);
  const close = useCallback(() => {
    setQuickAdd(null);
    setStepMenu(null);
  }, []);
  return { quickAdd, stepMenu, openQuickAdd, openStepMenu, close };
}

/**
 * Keyboard openers: `/` opens the quick-add search at the mouse pointer when it is over the
 * canvas (the step goes there), else in the middle of the canvas (the step goes beside the one
 * it is linked from); the menu key opens the selected step's menu at its corner.
 */
export function usePopupKeys(popups: Popups, geometry: CanvasGeometry) {
  const flow = useReactFlow();
  const pointer = useRef<Point | null>(null);
  useEffect(() => {
    const onMove = (e: PointerEvent) => {
      pointer.current = { x: e.clientX, y: e.clientY };
    };
    window.addEventListener('pointermove', onMove);
    return () => window.removeEventListener('pointermove', onMove);
  }, []);
  const { openQuickAdd, openStepMenu } = popups;
  const { paneRect, stepCorner } = geometry;

  const quickAddAtPointer = useCallback(() => {
    const pane = paneRect();
    if (!pane) return;
    const p = pointer.current;
    const inside =
      p &&
      p.x >= pane.x &&
      p.y >= pane.y &&
      p.x < pane.x + pane.width &&
      p.y < pane.y + pane.height;
    if (inside) {
      const f = flow.screenToFlowPosition(p);
      openQuickAdd({ screen: p, position: { x: f.x - 80, y: f.y - 30 } });
    } else {
      openQuickAdd({ screen: { x: pane.x + pane.width / 2 - 140, y: pane.y + pane.height / 3 } });
    }
  }, [flow, paneRect, openQuickAdd]);

  const menuOf = useCallback(
    (stepId: string) => {
      const at = stepCorner(stepId);
      if (at) openStepMenu({ stepId, screen: at });
    },
    [stepCorner, openStepMenu],
  );
  return { quickAddAtPointer, menuOf };
}
