/**
 * Keeps the canvas's nodes and edges the objects they were while nothing in them changed.
 * The canvas derives both afresh from the document and the run view; React Flow updates its
 * store when it is handed a new array, and re-renders every node and link whose object is new.
 * On a first run, each event that changed one count (a link's rows, the outdated set) made all
 * of them new: every step and link re-rendered, tens of ms of the main thread per event
 * (CPU at 1/4). With this, an event re-renders only what it changed.
 */
import { useMemo, useRef } from 'react';

/** Whether `v` is a plain object (not an array, not null). */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Same keys and identical values (`Object.is`). */
function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && Object.is(a[k], b[k]));
}

/**
 * Whether two items read the same: same keys, each value identical or (for plain objects such
 * as `data`, `position`, `measured`, `style`) shallowly equal.
 */
export function sameItem(a: object, b: object): boolean {
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = Object.keys(ra);
  if (keys.length !== Object.keys(rb).length) return false;
  return keys.every((k) => {
    const x = ra[k];
    const y = rb[k];
    if (Object.is(x, y)) return true;
    return Object.hasOwn(rb, k) && isRecord(x) && isRecord(y) && shallowEqual(x, y);
  });
}

/**
 * `next`, with each item that reads the same as the item of its id in `previous` replaced by
 * that earlier object; `previous` itself when every item is and the order is the same.
 */
export function stableItems<T extends { id: string }>(previous: readonly T[], next: T[]): T[] {
  const byId = new Map(previous.map((item) => [item.id, item]));
  let changed = previous.length !== next.length;
  const out = next.map((item, i) => {
    const before = byId.get(item.id);
    const kept = before !== undefined && sameItem(before, item) ? before : item;
    if (kept !== previous[i]) changed = true;
    return kept;
  });
  return changed ? out : (previous as T[]);
}

/** {@link stableItems} of `items` against what this hook returned last. */
export function useStableItems<T extends { id: string }>(items: T[]): T[] {
  const last = useRef<T[]>([]);
  return useMemo(() => {
    const kept = stableItems(last.current, items);
    last.current = kept;
    return kept;
  }, [items]);
}
