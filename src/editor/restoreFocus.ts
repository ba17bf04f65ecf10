/** Popups give the keyboard focus back to where it was when they close. */
import { useEffect } from 'react';

/** While mounted, remember the focused element; on unmount, focus it again if still there. */
export function useRestoreFocus(): void {
  useEffect(() => {
    const before = document.activeElement;
    return () => {
      if (before instanceof HTMLElement && before.isConnected)
        before.focus({ preventScroll: true });
    };
  }, []);
}
