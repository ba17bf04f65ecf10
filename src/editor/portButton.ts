/**
 * A port handle as a button for assistive technology and the keyboard: a role to carry its name
 * (an `aria-label` on a plain div is ignored: axe's aria-prohibited-attr), a tab stop, and
 * Enter or Space doing what a tap does (pick the port, then the port at the other end).
 */
import type { KeyboardEvent, MouseEvent } from 'react';

/** Props for a port handle's element: role, name, pressed state, tab stop, click and keys. */
export function portButton(label: string, pending: boolean, tap: () => void) {
  return {
    role: 'button',
    'aria-label': label,
    'aria-pressed': pending,
    tabIndex: 0,
    onClick: (e: MouseEvent) => {
      e.stopPropagation();
      tap();
    },
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      // Not React Flow's: Enter or Space on a node would select or drag it.
      e.preventDefault();
      e.stopPropagation();
      tap();
    },
  } as const;
}
