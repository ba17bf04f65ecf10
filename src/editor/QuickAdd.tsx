/**
 * The quick-add search: a small search box with the matching steps, opened where the user is
 * working (at the cursor on a double-click of the empty canvas or `/`, at an output's "+").
 * Type to filter (with other tools' names, as in the palette), ↑/↓ to choose, Enter or a
 * click/tap to add, Escape or a click outside to close.
 */
import { useMemo, useState } from 'react';
import type { ModuleManifest } from '../modules/manifest';
import { matchesQuery, matchRank, paletteEntry } from './paletteCatalog';
import type { Point } from './placement';
import { useRestoreFocus } from './restoreFocus';
import './flows.css';

/** Most matches listed at once (the list scrolls no further: type more to narrow it). */
const MAX_MATCHES = 8;
/** Width of the box (px); kept inside the window. */
const BOX_WIDTH_PX = 280;
/** Tallest the box gets (px: the search field and a full list of 44 px rows on a phone). */
const BOX_HEIGHT_PX = 380;

export interface QuickAddProps {
  /** Where it opens (screen px, top-left of the box). */
  at: Point;
  /** The steps that can be added here (already narrowed to those that fit the output). */
  modules: readonly ModuleManifest[];
  /** What the box is for, read by screen readers (e.g. "Add a step after filter-1 out"). */
  title: string;
  onPick: (moduleId: string) => void;
  onClose: () => void;
}

export function QuickAdd({ at, modules, title, onPick, onClose }: QuickAddProps) {
  const [query, setQuery] = useState('');
  useRestoreFocus();
  const [active, setActive] = useState(0);
  const matches = useMemo(
    () =>
      modules
        .map((m) => ({ m, entry: paletteEntry(m) }))
        .filter(({ m, entry }) => matchesQuery(m, entry, query))
        .map((x) => ({ ...x, rank: matchRank(x.m, x.entry, query) }))
        .sort((a, b) => a.rank - b.rank)
        .slice(0, MAX_MATCHES),
    [modules, query],
  );
  const pick = (i: number) => {
    const chosen = matches[i];
    if (!chosen) return;
    onClose();
    onPick(chosen.m.id);
  };
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
    else if (e.key === 'Enter') pick(Math.min(active, matches.length - 1));
    else if (e.key === 'ArrowDown') setActive((i) => Math.min(i + 1, matches.length - 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(i - 1, 0));
    else return;
    e.preventDefault();
  };
  const left = Math.max(8, Math.min(at.x, innerWidth - BOX_WIDTH_PX - 8));
  const top = Math.max(8, Math.min(at.y, innerHeight - BOX_HEIGHT_PX - 8));
  const listId = 'quick-add-list';
  return (
    <>
      <div className="quick-add-backdrop" onPointerDown={onClose} aria-hidden />
      <div
        className="quick-add"
        role="dialog"
        aria-label={title}
        style={{ left, top, width: BOX_WIDTH_PX }}
      >
        <input
          type="search"
          autoFocus
          placeholder="Add a step…"
          aria-label="Search steps to add"
          role="combobox"
          aria-expanded
          aria-controls={listId}
          aria-activedescendant={matches[active] ? `quick-add-${matches[active].m.id}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label="Matching steps">
          {matches.map(({ m, entry }, i) => (
            <li
              key={m.id}
              id={`quick-add-${m.id}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onPointerEnter={() => setActive(i)}
              onClick={() => pick(i)}
            >
              <span className={`cat-dot cat-${m.category.toLowerCase()}`} aria-hidden />
              <span className="quick-add-name">{m.name}</span>
              <span className="quick-add-summary">{entry.summary}</span>
            </li>
          ))}
        </ul>
        {matches.length === 0 && <p className="muted">No step matches “{query}”.</p>}
      </div>
    </>
  );
}
