/**
 * The data panel under the inspector: the selected step's output preview, its downloads, and
 * its run details (full error message and log).
 */
import { useCallback } from 'react';
import { ChartView } from './ChartView';
import { useEditorContext } from './context';
import { PreviewTable } from './lazyParts';
import type { DownloadFormat } from './runner';
import { useOutdatedSteps } from './derived';
import { useRunView, type RunView } from './runState';
import { useEditor, type EditorState } from './store';

const selectDoc = (s: EditorState) => s.doc;

/** The download buttons: format and its name on the button. */
const DOWNLOADS: readonly (readonly [DownloadFormat, string])[] = [
  ['csv', 'CSV'],
  ['parquet', 'Parquet'],
  ['arrow', 'Arrow'],
];

export interface DataPanelProps {
  stepId: string;
  /** Download the step's output in a format; rejects with a message if it is not available. */
  onDownload: (stepId: string, format: DownloadFormat) => void;
  /** False while a run is under way; downloads also wait until the step has output. */
  canDownload: boolean;
  /** Run this step and what it needs; absent while a run is under way. */
  onRunTo?: (stepId: string) => void;
}

export function DataPanel({ stepId, onDownload, canDownload, onRunTo }: DataPanelProps) {
  const { runStore, store } = useEditorContext();
  const outdated = useOutdatedSteps(useEditor(store, selectDoc), runStore).has(stepId);
  const step = useEditor(
    store,
    useCallback((s: EditorState) => s.doc.steps.find((x) => x.id === stepId), [stepId]),
  );
  const isChart = step?.moduleId === 'chart';
  const preview = useRunView(
    runStore,
    useCallback((v: RunView) => v.previews[stepId], [stepId]),
  );
  const status = useRunView(
    runStore,
    useCallback((v: RunView) => v.steps[stepId], [stepId]),
  );
  const total = useRunView(
    runStore,
    useCallback((v: RunView) => v.totals[stepId] ?? null, [stepId]),
  );
  const log = useRunView(
    runStore,
    useCallback((v: RunView) => v.logs[stepId], [stepId]),
  );
  // A download re-runs the pipeline; before any output it could only fail or surprise.
  const ready = canDownload && (preview !== undefined || total !== null);
  const why = canDownload ? 'Run the pipeline first: there is no output yet' : 'A run is under way';
  const downloadTitle = ready ? undefined : why;
  return (
    <section className="data-panel" aria-label="Output">
      <div className="data-head">
        <h3>Output</h3>
        <div className="row-actions">
          <button type="button" disabled={!onRunTo} onClick={() => onRunTo?.(stepId)}>
            Run to here
          </button>
          {DOWNLOADS.map(([format, label]) => (
            <button
              key={format}
              type="button"
              disabled={!ready}
              title={downloadTitle}
              onClick={() => onDownload(stepId, format)}
            >
              Download {label}
            </button>
          ))}
        </div>
      </div>
      {status?.state === 'failed' && (
        <div className="run-details" role="alert">
          <p className="error-text">{status.message}</p>
          {status.stderrTail && <pre className="log">{status.stderrTail}</pre>}
        </div>
      )}
      {preview && outdated && (
        <p className="preview-outdated" role="note">
          Outdated: from before the last change. Run to update it.
        </p>
      )}
      {preview?.live && !outdated && (
        <p className="preview-outdated preview-live" role="note">
          Preview of the first {preview.rows.length} rows
          {preview.sampleRows === undefined
            ? ''
            : ` of a sample (the first ${preview.sampleRows.toLocaleString('en-US')} input rows)`}{' '}
          — Run to compute all
        </p>
      )}
      {status?.state === 'cached' && !outdated && (
        <p className="muted">From the cache: the step did not run again.</p>
      )}
      {preview && isChart ? (
        <ChartView stepId={stepId} params={step.params} data={preview} />
      ) : preview ? (
        <PreviewTable stepId={stepId} data={preview} totalRows={total} />
      ) : (
        <p className="muted">
          {status?.state === 'failed' || status?.state === 'skipped'
            ? 'No output: the step did not finish.'
            : "Run the pipeline to see this step's output."}
        </p>
      )}
      {log && log.length > 0 && (
        <details className="log-details">
          <summary>Log ({log.length} lines)</summary>
          <pre className="log">{log.join('\n')}</pre>
        </details>
      )}
    </section>
  );
}
