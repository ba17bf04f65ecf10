/**
 * A step's context menu (right-click, long-press, or the menu key on the selected step): Run to
 * here, Bypass, Duplicate, Rename, Delete. Arrow keys move between items, Escape or a click
 * outside closes it; Rename turns the menu into a name field (Enter keeps, Escape cancels).
 */
import { useEffect, useRef, useState } from 'react';
import type { Point } from './placement';
import { useRestoreFocus } from './restoreFocus';
import './flows.css';

/** Width of the menu (px); kept inside the window. */
const MENU_WIDTH_PX = 200;

/** What the menu can do to its step (each one undoable edit, or a run). */
export interface StepMenuActions {
  runTo: () => void;
  toggleBypass: () => void;
  duplicate: () => void;
  rename: (label: string) => void;
  remove: () => void;
}

export interface StepMenuProps {
  stepId: string;
  /** Its current name (label, or id). */
  name: string;
  bypassed: boolean;
  /** A run is under way: Run to here is disabled. */
  running: boolean;
  /** Where it opens (screen px). */
  at: Point;
  actions: StepMenuActions;
  onClose: () => void;
}

export function StepMenu({ stepId, name, bypassed, running, at, actions, onClose }: StepMenuProps) {
  const [renaming, setRenaming] = useState(false);
  useRestoreFocus();
  const menu = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!renaming) menu.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
  }, [renaming]);
  const left = Math.max(8, Math.min(at.x, innerWidth - MENU_WIDTH_PX - 8));
  const top = Math.max(8, Math.min(at.y, innerHeight - 280));
  const act = (f: () => void) => () => {
    onClose();
    f();
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (renaming || !['ArrowDown', 'ArrowUp', 'Home', 'End'].includes(e.key)) return;
    e.preventDefault();
    const items = [
      ...(menu.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]:not(:disabled)') ?? []),
    ];
    const i = items.indexOf(document.activeElement as HTMLElement);
    const next =
      e.key === 'Home'
        ? 0
        : e.key === 'End'
          ? items.length - 1
          : (i + (e.key === 'ArrowDown' ? 1 : -1) + items.length) % items.length;
    items[next]?.focus();
  };
  return (
    <>
      <div className="quick-add-backdrop" onPointerDown={onClose} aria-hidden />
      <div
        ref={menu}
        className="step-menu"
        role={renaming ? 'dialog' : 'menu'}
        aria-label={`Step ${stepId}`}
        style={{ left, top, width: MENU_WIDTH_PX }}
        onKeyDown={onKeyDown}
      >
        {renaming ? (
          <RenameField name={name} onDone={onClose} onRename={actions.rename} />
        ) : (
          <>
            <button type="button" role="menuitem" disabled={running} onClick={act(actions.runTo)}>
              Run to here
            </button>
            <button
              type="button"
              role="menuitemcheckbox"
              aria-checked={bypassed}
              onClick={act(actions.toggleBypass)}
            >
              Bypass
            </button>
            <button type="button" role="menuitem" onClick={act(actions.duplicate)}>
              Duplicate
            </button>
            <button type="button" role="menuitem" onClick={() => setRenaming(true)}>
              Rename…
            </button>
            <button type="button" role="menuitem" className="danger" onClick={act(actions.remove)}>
              Delete
            </button>
          </>
        )}
      </div>
    </>
  );
}

function RenameField({
  name,
  onRename,
  onDone,
}: {
  name: string;
  onRename: (label: string) => void;
  onDone: () => void;
}) {
  const [value, setValue] = useState(name);
  return (
    <form
      className="step-menu-rename"
      onSubmit={(e) => {
        e.preventDefault();
        onDone();
        if (value.trim() !== name) onRename(value.trim());
      }}
    >
      <input
        autoFocus
        aria-label="Step name"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="submit">Rename</button>
    </form>
  );
}
