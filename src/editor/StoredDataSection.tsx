/**
 * The inspector's "Stored data" section, for a module that asks for storage: what the module
 * keeps in its `/data` (file names and sizes, from the Origin Private File System), refreshed
 * whenever a run of the step settles, and a button that clears it.
 */
import { useCallback, useEffect, useState } from 'react';
import { clearModuleData, listModuleData, type StoredFile } from '../runtime/module-data-opfs';
import { useEditorContext } from './context';
import { useStepStatus } from './runState';

/** `1234` → `1.2 KB`. */
function size(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1e6) return `${(bytes / 1e3).toFixed(1)} KB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

/** Lists and clears what module `moduleId` stored; `stepId` is the step shown. */
export function StoredDataSection({ moduleId, stepId }: { moduleId: string; stepId: string }) {
  const { runStore } = useEditorContext();
  const status = useStepStatus(runStore, stepId);
  const [files, setFiles] = useState<StoredFile[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(() => {
    listModuleData(moduleId).then(
      (list) => {
        setFiles(list);
        setError(null);
      },
      (e: Error) => setError(`Could not read the stored data: ${e.message}`),
    );
  }, [moduleId]);
  // A run that settles may have changed the files.
  useEffect(refresh, [refresh, status.state]);
  const clear = () => {
    clearModuleData(moduleId).then(refresh, (e: Error) =>
      setError(`Could not clear the stored data: ${e.message}`),
    );
  };
  const total = (files ?? []).reduce((sum, f) => sum + f.sizeBytes, 0);
  return (
    <section className="inspector-section" aria-label="Stored data">
      <h3>Stored data (/data)</h3>
      {error !== null && <p role="alert">{error}</p>}
      {files === null ? null : files.length === 0 ? (
        <p className="muted">This module has stored nothing.</p>
      ) : (
        <>
          <ul aria-label="Stored files">
            {files.map((f) => (
              <li key={f.path}>
                <code>{f.path}</code> {size(f.sizeBytes)}
              </li>
            ))}
          </ul>
          <p className="muted">
            {files.length} files, {size(total)}, kept for every step of this module.
          </p>
          <button type="button" onClick={clear}>
            Clear stored data
          </button>
        </>
      )}
    </section>
  );
}
