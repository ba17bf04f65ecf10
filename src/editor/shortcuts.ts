/**
 * Keyboard shortcuts of the editor: undo/redo, copy/paste, duplicate (Ctrl/Cmd+D), run, quick-add (`/`) and a step's
 * menu (the menu key, Shift+F10). Typing in a form field keeps
 * the field's own behaviour (its own undo, its own copy and paste).
 */
import { useEffect } from 'react';

export interface ShortcutHandlers {
  undo: () => void;
  redo: () => void;
  copy: () => void;
  paste: () => void;
  /** Ctrl/Cmd+D: duplicate the selected steps (the browser's "bookmark" otherwise). */
  duplicate: () => void;
  run: () => void;
  /** `/`: the quick-add search. */
  quickAdd: () => void;
  /** The menu key or Shift+F10: the selected step's context menu. */
  stepMenu: () => void;
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
      if (!mod && !e.altKey && !isTextTarget(e.target)) {
        if (e.key === '/') {
          e.preventDefault();
          h.quickAdd();
        } else if (e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey)) {
          e.preventDefault();
          h.stepMenu();
        }
      }
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
      } else if (key === 'd' && !e.shiftKey) {
        e.preventDefault();
        h.duplicate();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [h]);
}
