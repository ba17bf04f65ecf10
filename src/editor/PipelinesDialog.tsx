/**
 * The pipelines dialog: saved pipelines (open, rename, duplicate, delete), a new empty one,
 * the examples gallery, export/import of `.quiver.json` files, and how much storage Quiver uses.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { StorageUsage } from '../pwa';
import type { PipelineDocument } from '../pipeline/types';
import { deletePipeline, listPipelines, savePipeline, type SavedPipeline } from '../storage/db';

export interface PipelinesDialogProps {
  open: boolean;
  onClose: () => void;
  current: PipelineDocument;
  examples: readonly PipelineDocument[];
  onOpen: (doc: PipelineDocument) => void;
  onRenameCurrent: (name: string) => void;
  onNew: () => void;
  onExport: () => void;
  /** Export with the installed modules the steps use carried inside the document. */
  onExportWithModules?: () => void;
  /** Parse and open an imported file; rejects with a message when the file is refused. */
  onImport: (file: File) => Promise<void>;
  /** A copy of `doc` with a new id and name. */
  duplicate: (doc: PipelineDocument) => PipelineDocument;
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function PipelinesDialog(p: PipelinesDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [saved, setSaved] = useState<SavedPipeline[]>([]);
  const [error, setError] = useState<string | null>(null);
  const importInput = useRef<HTMLInputElement>(null);
  const { open, onClose } = p;

  const refresh = useCallback(() => {
    listPipelines().then(setSaved, (e: Error) =>
      setError(`Could not list pipelines: ${e.message}`),
    );
  }, []);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) {
      setError(null);
      refresh();
      d.showModal();
    } else if (!open && d.open) d.close();
  }, [open, refresh]);

  const act = (f: () => Promise<void>) => {
    f().then(refresh, (e: Error) => setError(e.message));
  };

  return (
    <dialog ref={ref} className="pipelines-dialog" aria-label="Pipelines" onClose={onClose}>
      <div className="dialog-head">
        <h2>Pipelines</h2>
        <button type="button" onClick={onClose} aria-label="Close">
          ✕
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={p.onNew}>
          New pipeline
        </button>
        <button type="button" onClick={p.onExport}>
          Export .quiver.json
        </button>
        {p.onExportWithModules && (
          <button type="button" onClick={p.onExportWithModules}>
            Export with modules
          </button>
        )}
        <button type="button" onClick={() => importInput.current?.click()}>
          Import…
        </button>
        <input
          ref={importInput}
          type="file"
          accept=".json,application/json"
          hidden
          aria-label="Pipeline file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (!f) return;
            setError(null);
            p.onImport(f).catch((err: Error) => setError(err.message));
          }}
        />
      </div>
      <h3>Examples</h3>
      <ul className="pipeline-list">
        {p.examples.map((ex) => (
          <li key={ex.id}>
            <div>
              <strong>{ex.name}</strong>
              {ex.description && <p className="muted">{ex.description}</p>}
            </div>
            <button
              type="button"
              onClick={() => p.onOpen(p.duplicate(ex))}
              aria-label={`Open example ${ex.name}`}
            >
              Open
            </button>
          </li>
        ))}
      </ul>
      <h3>Saved</h3>
      <ul className="pipeline-list">
        {saved.length === 0 && <li className="muted">No saved pipelines yet.</li>}
        {saved.map(({ doc, savedAtMs }) => (
          <li key={doc.id} aria-current={doc.id === p.current.id ? 'true' : undefined}>
            <div>
              <input
                aria-label={`Name of ${doc.name}`}
                defaultValue={doc.name}
                onBlur={(e) => {
                  const name = e.target.value.trim();
                  if (name && name !== doc.name) {
                    if (doc.id === p.current.id) p.onRenameCurrent(name);
                    else act(() => savePipeline({ ...doc, name }));
                  }
                }}
              />
              <p className="muted">
                {doc.steps.length} steps · saved {dateFmt.format(savedAtMs)}
              </p>
            </div>
            <div className="row-actions">
              <button type="button" onClick={() => p.onOpen(doc)} aria-label={`Open ${doc.name}`}>
                Open
              </button>
              <button
                type="button"
                onClick={() => act(() => savePipeline(p.duplicate(doc)))}
                aria-label={`Duplicate ${doc.name}`}
              >
                Duplicate
              </button>
              <button
                type="button"
                disabled={doc.id === p.current.id}
                onClick={() => act(() => deletePipeline(doc.id))}
                aria-label={`Delete ${doc.name}`}
              >
                Delete
              </button>
            </div>
          </li>
        ))}
      </ul>
      <footer className="dialog-foot">{p.open && <StorageUsage />}</footer>
    </dialog>
  );
}
