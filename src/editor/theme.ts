/** Media queries the editor's layout follows: the system theme and the screen width. */
import { useSyncExternalStore } from 'react';

function useMedia(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const mq = window.matchMedia(query);
      mq.addEventListener('change', onChange);
      return () => mq.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
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
