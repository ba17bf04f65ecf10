/** Media queries the editor's layout follows: the system theme and the screen width. */
import { useSyncExternalStore } from 'react';

/** One media query's list and its last known answer, kept current by its `change` event. */
interface MediaEntry {
  mq: MediaQueryList;
  matches: boolean;
}

const entries = new Map<string, MediaEntry>();

/**
 * The entry of `query`, made once. Components read `matches` on every render: calling
 * `matchMedia` there made a new list and evaluated the query each time, which cost the main
 * thread ~45 ms while a run starts (the editor re-renders on each status change).
 */
function entry(query: string): MediaEntry {
  let e = entries.get(query);
  if (!e) {
    const mq = window.matchMedia(query);
    const made: MediaEntry = { mq, matches: mq.matches };
    // Added before any subscriber's listener, so `matches` is current when they read it.
    mq.addEventListener('change', (event) => {
      made.matches = event.matches;
    });
    entries.set(query, made);
    e = made;
  }
  return e;
}

function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const { mq } = entry(query);
      mq.addEventListener('change', onChange);
      return () => mq.removeEventListener('change', onChange);
    },
    () => entry(query).matches,
  );
}

/** True while the system asks for a dark theme. */
export function usePrefersDark(): boolean {
  return useMedia('(prefers-color-scheme: dark)');
}

/** True on phone-sized screens, where the side panels become bottom sheets (styles.css). */
export function useNarrowScreen(): boolean {
  return useMedia('(max-width: 720px)');
}
