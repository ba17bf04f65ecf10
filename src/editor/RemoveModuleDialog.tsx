/**
 * Removing an installed module: lists the saved pipelines whose steps use it (they keep their
 * pins and are flagged when opened, until the module is installed again), then asks.
 */
import { useEffect, useState } from 'react';
import { listPipelines } from '../storage/db';

export interface RemoveModuleDialogProps {
  moduleId: string;
  /** The open pipeline's name, when it uses the module (it may not be saved yet). */
  currentUser?: string;
  busy: boolean;
  onRemove: () => void;
  onCancel: () => void;
}

export function RemoveModuleDialog(p: RemoveModuleDialogProps) {
  const [users, setUsers] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    listPipelines().then(
      (saved) =>
        setUsers(
          saved
            .filter((s) => s.doc.steps.some((step) => step.moduleId === p.moduleId))
            .map((s) => s.doc.name),
        ),
      (e: Error) => setError(`Could not list pipelines: ${e.message}`),
    );
  }, [p.moduleId]);
  const names = [...new Set([...(p.currentUser ? [p.currentUser] : []), ...(users ?? [])])];
  return (
    <div className="remove-module">
      {error && <p className="error-text">{error}</p>}
      {users === null && !error ? (
        <p className="muted">Looking for pipelines that use {p.moduleId}…</p>
      ) : names.length === 0 ? (
        <p>No saved pipeline uses {p.moduleId}.</p>
      ) : (
        <>
          <p>
            {names.length === 1 ? 'This pipeline uses' : `These ${names.length} pipelines use`}{' '}
            {p.moduleId}; their steps will not run until it is installed again:
          </p>
          <ul aria-label="Pipelines using the module">
            {names.map((n) => (
              <li key={n}>{n}</li>
            ))}
          </ul>
        </>
      )}
      <div className="dialog-actions">
        <button type="button" className="primary stop" onClick={p.onRemove} disabled={p.busy}>
          Remove {p.moduleId}
        </button>
        <button type="button" onClick={p.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
