/**
 * Keyboard shortcuts of the editor: undo/redo, copy/paste, run. Typing in a form field keeps
 * the field's own behaviour (its own undo, its own copy and paste).
 */
import { useEffect } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  run: () => void;
}

function isTextTarget(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  return t.isContentEditable || t.matches('input, textarea, select');
}

/** Install the shortcuts on `window` while the component is mounted. */
export function useShortcuts(h: ShortcutHandlers): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      if (!mod) return;
      const key = e.key.toLowerCase();
      if (key === 'enter') {
        e.preventDefault();
        h.run();
        return;
      }
      if (isTextTarget(e.target)) return;
      if (key === 'z' && !e.shiftKey) {
        e.preventDefault();
        h.undo();
      } else if ((key === 'z' && e.shiftKey) || key === 'y') {
        e.preventDefault();
        h.redo();
      } else if (key === 'c') {
        if (window.getSelection()?.toString()) return;
        e.preventDefault();
        h.copy();
      } else if (key === 'v') {
        e.preventDefault();
        h.paste();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [h]);
}
