/**
 * The module palette: the catalog grouped by category, with a search box that also knows other
 * tools' names for each step (paletteCatalog.ts). Each item shows the step's name and a one-line
 * summary; hovering shows an example. Drag an item onto the canvas (mouse), or tap/click it
 * (touch, keyboard) to add the step in view.
 */
import { useMemo, useState } from 'react';
import type { ModuleManifest } from '../modules/manifest';
import { MODULE_DRAG_TYPE } from './Canvas';
import {
  matchesQuery,
  missingMatches,
  PALETTE_CATEGORIES,
  paletteEntry,
  type PaletteEntry,
} from './paletteCatalog';

export interface PaletteProps {
  modules: ModuleManifest[];
  onAdd: (moduleId: string) => void;
  /** Shown above the search box (the data controls, on phones). */
  header?: React.ReactNode;
}

interface Item {
  manifest: ModuleManifest;
  entry: PaletteEntry;
}

/** The modules matching `query`, grouped by palette category in display order. */
function groupModules(modules: ModuleManifest[], query: string): [string, Item[]][] {
  const byCat = new Map<string, Item[]>();
  for (const manifest of modules) {
    const entry = paletteEntry(manifest);
    if (!matchesQuery(manifest, entry, query)) continue;
    byCat.set(entry.category, [...(byCat.get(entry.category) ?? []), { manifest, entry }]);
  }
  return PALETTE_CATEGORIES.filter((c) => byCat.has(c)).map((c) => [c, byCat.get(c)!]);
}

function PaletteItem({ manifest: m, entry, onAdd }: Item & { onAdd: (id: string) => void }) {
  const tip = entry.example ? `${entry.summary}\nExample: ${entry.example}` : m.description;
  return (
    <li>
      <button
        type="button"
        className="palette-item"
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(MODULE_DRAG_TYPE, m.id);
          e.dataTransfer.effectAllowed = 'move';
        }}
        onClick={() => onAdd(m.id)}
        aria-label={`Add ${m.name}`}
        title={tip}
      >
        <span className={`cat-dot cat-${m.category.toLowerCase()}`} aria-hidden />
        <span className="palette-text">
          <span className="palette-name">{m.name}</span>
          <span className="palette-summary">{entry.summary}</span>
        </span>
      </button>
    </li>
  );
}

export function Palette({ modules, onAdd, header }: PaletteProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(() => groupModules(modules, query), [modules, query]);
  const missing = useMemo(
    () => (groups.length === 0 ? missingMatches(query, new Set(modules.map((m) => m.id))) : []),
    [groups, modules, query],
  );

  return (
    <nav className="palette" aria-label="Steps">
      {header && <div className="palette-header">{header}</div>}
      <input
        type="search"
        className="palette-search"
        placeholder="Search (e.g. dedupe)"
        aria-label="Search steps"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {modules.length === 0 ? (
        <p className="error-text" role="alert">
          Could not load the module catalog: it lists no steps (modules/index.json is empty or
          missing modules).
        </p>
      ) : (
        groups.length === 0 && (
          <p className="muted">
            No step matches “{query}”.
            {missing.length > 0 && ` It names ${missing.join(', ')}, which is not installed.`}
          </p>
        )
      )}
      {groups.map(([cat, items]) => (
        <section key={cat} className="palette-group" aria-label={cat}>
          <h3>{cat}</h3>
          <ul>
            {items.map((item) => (
              <PaletteItem key={item.manifest.id} {...item} onAdd={onAdd} />
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
