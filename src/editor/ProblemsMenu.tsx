/**
 * The toolbar's Problems button: how many problems the pipeline has, and on click the list of
 * them ({@link problemItems}); choosing one selects its step, whose inspector shows the message
 * at its field. Hidden when there is nothing to fix.
 */
import { useId, useMemo, useState } from 'react';
import type { ValidationIssue } from '../pipeline/validate';
import { useEditorContext } from './context';
import { problemItems } from './problemList';
import { useRunView, type RunView } from './runState';
import { useEditor, type EditorState } from './store';
import './words.css';

const selectDoc = (s: EditorState) => s.doc;
const selectRuns = (v: RunView) => v.steps;

export function ProblemsMenu({ issues }: { issues: readonly ValidationIssue[] }) {
  const { store, runStore, catalog } = useEditorContext();
  const doc = useEditor(store, selectDoc);
  const runs = useRunView(runStore, selectRuns);
  const [open, setOpen] = useState(false);
  const listId = useId();
  const items = useMemo(
    () => problemItems(doc, catalog, issues, runs),
    [doc, catalog, issues, runs],
  );
  if (items.length === 0) return null;
  const errors = items.filter((i) => i.severity === 'error').length;
  return (
    <div className="problems-menu">
      <button
        type="button"
        className={errors > 0 ? 'problems-button error' : 'problems-button warning'}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        ⚠ {items.length} {items.length === 1 ? 'problem' : 'problems'}
      </button>
      {open && (
        <ul
          id={listId}
          className="problems-popover"
          aria-label="Problems"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          {items.map((item, n) => (
            <li key={n} className={item.severity}>
              <button
                type="button"
                onClick={() => {
                  if (item.stepId) store.select([item.stepId], []);
                  setOpen(false);
                }}
              >
                <strong>{item.name}</strong>
                <span>{item.text}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
