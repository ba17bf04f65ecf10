/**
 * The module palette: the catalog grouped by category, with a search box that also knows other
 * tools' names for each step (paletteCatalog.ts), then the modules the user installed under
 * "Installed" (each with Update and Remove) and "Add module…". Each item shows the step's name
 * and a one-line summary; hovering shows an example. Drag an item onto the canvas (mouse), or
 * tap/click it (touch, keyboard), or press Enter in the search box for the first match, to add
 * the step in view.
 */
import { useId, useMemo, useState } from 'react';
import type { ModuleManifest } from '../modules/manifest';
import { MODULE_DRAG_TYPE } from './Canvas';
import './a11y.css';
import {
  matchesQuery,
  matchRank,
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
  /** Ids of the installed modules among `modules`: listed under "Installed". */
  installedIds?: ReadonlySet<string>;
  /** Install, update or remove modules (the buttons appear when given). */
  manage?: {
    add: () => void;
    update: (moduleId: string) => void;
    remove: (moduleId: string) => void;
  };
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

interface ItemProps extends Item {
  onAdd: (id: string) => void;
  /** Shown after the item's button in its row (the Installed section's version and actions). */
  children?: React.ReactNode;
  className?: string;
}

function PaletteItem({ manifest: m, entry, onAdd, children, className }: ItemProps) {
  const tip = entry.example ? `${entry.summary}\nExample: ${entry.example}` : m.description;
  const summaryId = useId();
  return (
    <li className={className}>
      <button
        type="button"
        className="palette-item"
        draggable
        onDragStart={(e) => {
          e.dataTransfer.setData(MODULE_DRAG_TYPE, m.id);
          e.dataTransfer.effectAllowed = 'move';
        }}
        onClick={() => onAdd(m.id)}
        aria-describedby={summaryId}
        title={tip}
      >
        <span className={`cat-dot cat-${m.category.toLowerCase()}`} aria-hidden />
        <span className="palette-text">
          {/* The name "Add <module>" holds the visible text (axe: label-content-name-mismatch). */}
          <span className="palette-name">
            <span className="visually-hidden">Add </span>
            {m.name}
          </span>
          <span className="palette-summary" id={summaryId} aria-hidden>
            {entry.summary}
          </span>
        </span>
      </button>
      {children}
    </li>
  );
}

/** The installed modules' section: each with its version, Update and Remove, then "Add module…". */
function InstalledSection({
  items,
  onAdd,
  manage,
  query,
}: {
  items: Item[];
  onAdd: (id: string) => void;
  manage: PaletteProps['manage'];
  query: string;
}) {
  return (
    <section className="palette-group palette-installed" aria-label="Installed">
      <h3>Installed</h3>
      {items.length === 0 && !query && <p className="muted">None yet.</p>}
      <ul>
        {items.map((item) => (
          <PaletteItem
            key={item.manifest.id}
            {...item}
            onAdd={onAdd}
            className="palette-installed-item"
          >
            <span className="palette-version">{item.manifest.version}</span>
            {manage && (
              <>
                <button
                  type="button"
                  onClick={() => manage.update(item.manifest.id)}
                  aria-label={`Update ${item.manifest.name}`}
                  title="Update"
                >
                  ↻
                </button>
                <button
                  type="button"
                  onClick={() => manage.remove(item.manifest.id)}
                  aria-label={`Remove ${item.manifest.name}`}
                  title="Remove"
                >
                  ✕
                </button>
              </>
            )}
          </PaletteItem>
        ))}
      </ul>
      {manage && (
        <button type="button" className="palette-add-module" onClick={manage.add}>
          Add module…
        </button>
      )}
    </section>
  );
}

const NONE: ReadonlySet<string> = new Set();

export function Palette({ modules, onAdd, header, installedIds = NONE, manage }: PaletteProps) {
  const [query, setQuery] = useState('');
  const groups = useMemo(
    () =>
      groupModules(
        modules.filter((m) => !installedIds.has(m.id)),
        query,
      ),
    [modules, query, installedIds],
  );
  const installed = useMemo(
    () =>
      modules
        .filter((m) => installedIds.has(m.id))
        .map((manifest) => ({ manifest, entry: paletteEntry(manifest) }))
        .filter(({ manifest, entry }) => matchesQuery(manifest, entry, query)),
    [modules, query, installedIds],
  );
  const nothing = groups.length === 0 && installed.length === 0;
  const missing = useMemo(
    () => (nothing ? missingMatches(query, new Set(modules.map((m) => m.id))) : []),
    [nothing, modules, query],
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
        onKeyDown={(e) => {
          // Enter adds the best match, as a click on it would.
          if (e.key !== 'Enter') return;
          const all = [...groups.flatMap(([, items]) => items), ...installed];
          const rank = (i: Item) => matchRank(i.manifest, i.entry, query);
          const best = all.reduce<Item | undefined>(
            (b, i) => (b && rank(b) <= rank(i) ? b : i),
            undefined,
          );
          if (best) onAdd(best.manifest.id);
        }}
      />
      {modules.every((m) => m.kind === 'host') ? (
        <p className="error-text" role="alert">
          Could not load the module catalog: it lists no steps (modules/index.json is empty or
          missing modules).
        </p>
      ) : (
        nothing && (
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
      {(installed.length > 0 || manage) && (
        <InstalledSection items={installed} onAdd={onAdd} manage={manage} query={query} />
      )}
    </nav>
  );
}
