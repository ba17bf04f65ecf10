/**
 * Long-press on a touch screen (a finger held still) as the touch twin of a right-click.
 */
import { useRef, type PointerEvent } from 'react';
import type { Point } from './placement';

/** How long a finger is held still to count as a long-press (ms), as Android's default. */
const LONG_PRESS_MS = 500;
/** How far (px) a finger may wander before the press counts as a drag instead. */
const SLOP_PX = 10;

/** Pointer handlers calling `onLongPress` at the press point after a still touch or pen press. */
export function useLongPress(onLongPress: (at: Point) => void) {
  const press = useRef<{ timer: ReturnType<typeof setTimeout>; at: Point } | null>(null);
  const cancel = () => {
    if (press.current) clearTimeout(press.current.timer);
    press.current = null;
  };
  return {
    onPointerDown: (e: PointerEvent) => {
      if (e.pointerType === 'mouse') return;
      cancel();
      const at = { x: e.clientX, y: e.clientY };
      press.current = { at, timer: setTimeout(() => onLongPress(at), LONG_PRESS_MS) };
    },
    onPointerMove: (e: PointerEvent) => {
      const p = press.current;
      if (p && Math.hypot(e.clientX - p.at.x, e.clientY - p.at.y) > SLOP_PX) cancel();
    },
    onPointerUp: cancel,
    onPointerCancel: cancel,
  };
}
