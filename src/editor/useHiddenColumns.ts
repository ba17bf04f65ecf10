/**
 * How many columns of a horizontally scrolled grid of fixed-width columns lie beyond its right
 * edge (partly or wholly), following scrolling and resizing, and a way to bring them into view.
 */
import { useCallback, useEffect, useState, type RefObject } from 'react';

/** Pixels of a column that may be cut off while it still counts as shown (subpixel rounding). */
const SLACK_PX = 2;

/**
 * Columns of `count`, each `columnPx` wide, whose right edge is past the visible width of the
 * element in `scrollRef`: 0 until it is measured. Pure, for tests and the hook.
 */
export function columnsBeyond(
  count: number,
  columnPx: number,
  scrollLeftPx: number,
  clientWidthPx: number,
): number {
  if (clientWidthPx <= 0) return 0;
  const fullyShown = Math.floor((scrollLeftPx + clientWidthPx + SLACK_PX) / columnPx);
  return Math.max(0, count - fullyShown);
}

/**
 * The count of columns beyond the right edge of the grid in `scrollRef`, and `showNext`, which
 * scrolls so that the first of them starts at the left edge.
 */
export function useHiddenColumns(
  scrollRef: RefObject<HTMLElement | null>,
  count: number,
  columnPx: number,
): { count: number; showNext: () => void } {
  const [hidden, setHidden] = useState(0);
  useEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const measure = () => setHidden(columnsBeyond(count, columnPx, el.scrollLeft, el.clientWidth));
    // No measure() here: reading the width in this effect (flushed within a run event's
    // commit) would force a layout of the page; the observer's first report comes right after
    // the browser's own layout.
    el.addEventListener('scroll', measure, { passive: true });
    const resize = new ResizeObserver(measure);
    resize.observe(el);
    return () => {
      el.removeEventListener('scroll', measure);
      resize.disconnect();
    };
  }, [scrollRef, count, columnPx]);
  const showNext = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const firstHidden = count - columnsBeyond(count, columnPx, el.scrollLeft, el.clientWidth);
    el.scrollTo({ left: firstHidden * columnPx });
    el.focus({ preventScroll: true });
  }, [scrollRef, count, columnPx]);
  return { count: hidden, showNext };
}
