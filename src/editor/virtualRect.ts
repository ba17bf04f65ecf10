/**
 * A virtualized table that mounts without forcing a layout. The scroll element's size for
 * TanStack Virtual is read only after layout. The library's own
 * `observeElementRect` reads `clientWidth`/`clientHeight` when the table mounts, inside React's
 * commit, which forces the browser to lay out the whole page there and then: 40-55 ms of the
 * page (CPU at 1/4) when a run's first output table appears. A ResizeObserver reports the first
 * size after the browser's own layout of that frame; until then the table assumes the window's
 * height (`initialRect`), so its first page of rows is drawn at once.
 */
import { elementScroll, type Virtualizer } from '@tanstack/react-virtual';

/** The size to assume before the first measurement (px): as tall as the window, at most. */
export function initialScrollRect(): { width: number; height: number } {
  return { width: 0, height: typeof window === 'undefined' ? 0 : window.innerHeight };
}

/**
 * Reports the scroll element's client size (px, rounded) each time a ResizeObserver sees it
 * change, the first time right after the layout that follows mounting. Returns the cleanup.
 */
export function observeRectAfterLayout<E extends HTMLElement>(
  instance: Virtualizer<E, Element>,
  cb: (rect: { width: number; height: number }) => void,
): (() => void) | undefined {
  const element = instance.scrollElement;
  if (!element || typeof ResizeObserver === 'undefined') return undefined;
  const observer = new ResizeObserver(() => {
    cb({ width: Math.round(element.clientWidth), height: Math.round(element.clientHeight) });
  });
  observer.observe(element);
  return () => observer.disconnect();
}

/** Scroll elements the virtualizer has placed once. */
const placed = new WeakSet<Element>();

/**
 * TanStack Virtual's `elementScroll`, except the scroll to the top it asks for when a table
 * mounts: a fresh element is at the top already, and `scrollTo` would force a layout of the
 * page inside React's commit (40 ms, CPU at 1/4).
 */
export function scrollUnlessFresh<E extends HTMLElement>(
  offset: number,
  options: { adjustments?: number; behavior?: ScrollBehavior },
  instance: Virtualizer<E, Element>,
): void {
  const element = instance.scrollElement;
  if (element && !placed.has(element)) {
    placed.add(element);
    if (offset + (options.adjustments ?? 0) === 0) return;
  }
  elementScroll(offset, options, instance);
}
