/**
 * The module palette: the catalog grouped by category, with a search box, then the modules the
 * user installed under "Installed" (each with Update and Remove) and "Add module…". Drag an
 * item onto the canvas (mouse), or tap/click it (touch, keyboard) to add the step in view.
 */
import { useMemo, useState } from 'react';
import type { ModuleManifest } from '../modules/manifest';
import { MODULE_DRAG_TYPE } from './Canvas';

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

/** Display order of the categories we know; others follow alphabetically. */
const CATEGORY_ORDER = ['source', 'transform', 'sink'];

function categoryRank(cat: string): number {
  const i = CATEGORY_ORDER.indexOf(cat.toLowerCase());
  return i === -1 ? CATEGORY_ORDER.length : i;
}

const NONE: ReadonlySet<string> = new Set();

export function Palette({ modules, onAdd, header, installedIds = NONE, manage }: PaletteProps) {
  const [query, setQuery] = useState('');
  const { groups, installed } = useMemo(() => {
    const q = query.trim().toLowerCase();
    const hits = modules.filter(
      (m) =>
        !q ||
        m.name.toLowerCase().includes(q) ||
        m.id.includes(q) ||
        m.description.toLowerCase().includes(q) ||
        m.category.toLowerCase().includes(q),
    );
    const byCat = new Map<string, ModuleManifest[]>();
    for (const m of hits.filter((h) => !installedIds.has(h.id))) {
      const key = m.category.toLowerCase();
      byCat.set(key, [...(byCat.get(key) ?? []), m]);
    }
    return {
      groups: [...byCat.entries()].sort(
        ([a], [b]) => categoryRank(a) - categoryRank(b) || a.localeCompare(b),
      ),
      installed: hits.filter((h) => installedIds.has(h.id)),
    };
  }, [modules, query, installedIds]);

  return (
    <nav className="palette" aria-label="Steps">
      {header && <div className="palette-header">{header}</div>}
      <input
        type="search"
        className="palette-search"
        placeholder="Search steps"
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
        groups.length === 0 &&
        installed.length === 0 && <p className="muted">No step matches “{query}”.</p>
      )}
      {groups.map(([cat, mods]) => (
        <section key={cat} className="palette-group">
          <h3>{cat}</h3>
          <ul>
            {mods.map((m) => (
              <li key={m.id}>
                <PaletteItem m={m} onAdd={onAdd} />
              </li>
            ))}
          </ul>
        </section>
      ))}
      {(installed.length > 0 || manage) && (
        <section className="palette-group palette-installed">
          <h3>Installed</h3>
          {installed.length === 0 && !query && <p className="muted">None yet.</p>}
          <ul>
            {installed.map((m) => (
              <li key={m.id} className="palette-installed-item">
                <PaletteItem m={m} onAdd={onAdd} />
                <span className="palette-version">{m.version}</span>
                {manage && (
                  <>
                    <button
                      type="button"
                      onClick={() => manage.update(m.id)}
                      aria-label={`Update ${m.name}`}
                      title="Update"
                    >
                      ↻
                    </button>
                    <button
                      type="button"
                      onClick={() => manage.remove(m.id)}
                      aria-label={`Remove ${m.name}`}
                      title="Remove"
                    >
                      ✕
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
          {manage && (
            <button type="button" className="palette-add-module" onClick={manage.add}>
              Add module…
            </button>
          )}
        </section>
      )}
    </nav>
  );
}

function PaletteItem({ m, onAdd }: { m: ModuleManifest; onAdd: (moduleId: string) => void }) {
  return (
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
      title={m.description}
    >
      <span className={`cat-dot cat-${m.category.toLowerCase()}`} aria-hidden />
      <span className="palette-name">{m.name}</span>
    </button>
  );
}
