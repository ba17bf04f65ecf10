/** The toolbar: pipeline name, run controls, edit history, layout, data and pipeline menus. */
import { useRef, type ReactNode } from 'react';
import './a11y.css';

export interface ToolbarProps {
  name: string;
  onRename: (name: string) => void;
  running: boolean;
  onRun: () => void;
  onStop: () => void;
  canUndo: boolean;
  canRedo: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onOpenFiles: (files: File[]) => void;
  samples: readonly string[];
  onSample: (fileName: string) => void;
  onPipelines: () => void;
  onTogglePalette: () => void;
  /** Phone-sized screen: data controls move to the palette sheet. */
  narrow: boolean;
  onToggleInspector: () => void;
  /** The Problems button (ProblemsMenu), beside Run. */
  problems?: ReactNode;
}

/** File types the file dialog offers (the same the canvas accepts by drop). */
const ACCEPT =
  '.csv,.tsv,.json,.ndjson,.jsonl,.arrow,.arrows,.ipc,.parquet,text/csv,text/tab-separated-values';

/**
 * Adding data: a file dialog and the bundled samples. In the toolbar on wide screens, in the
 * palette sheet on phones (where the toolbar has no room).
 */
export function DataControls(p: {
  samples: readonly string[];
  onOpenFiles: (files: File[]) => void;
  onSample: (fileName: string) => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" onClick={() => fileInput.current?.click()} aria-label="Open file…">
        File…
      </button>
      <input
        ref={fileInput}
        type="file"
        accept={ACCEPT}
        multiple
        hidden
        aria-label="Data file"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          if (files.length > 0) p.onOpenFiles(files);
        }}
      />
      <select
        aria-label="Sample data"
        value=""
        onChange={(e) => {
          if (e.target.value) p.onSample(e.target.value);
        }}
      >
        <option value="">Sample data…</option>
        {p.samples.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </>
  );
}

export function Toolbar(p: ToolbarProps) {
  return (
    <header className="toolbar" role="toolbar" aria-label="Pipeline">
      <button
        type="button"
        className="icon-button phone-only"
        onClick={p.onTogglePalette}
        aria-label="Steps palette"
      >
        +
      </button>
      <button
        type="button"
        className="icon-button phone-only"
        onClick={p.onToggleInspector}
        aria-label="Inspector"
      >
        ☰
      </button>
      <h1 className="visually-hidden">Quiver: {p.name}</h1>
      <span className="brand" aria-hidden>
        ➶
      </span>
      <input
        className="pipeline-name"
        aria-label="Pipeline name"
        value={p.name}
        onChange={(e) => p.onRename(e.target.value)}
      />
      <div className="toolbar-group run-group">
        {p.running ? (
          <button type="button" className="primary stop" onClick={p.onStop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            className="primary"
            onClick={p.onRun}
            aria-label="Run"
            aria-keyshortcuts="Control+Enter Meta+Enter"
            title="Run the pipeline (Ctrl/Cmd+Enter)"
          >
            ▶ Run
          </button>
        )}
        {p.problems}
      </div>
      <div className="toolbar-group">
        <button
          type="button"
          onClick={p.onUndo}
          disabled={!p.canUndo}
          title="Ctrl/Cmd+Z"
          aria-label="Undo"
        >
          {p.narrow ? '↶' : 'Undo'}
        </button>
        <button
          type="button"
          onClick={p.onRedo}
          disabled={!p.canRedo}
          title="Shift+Ctrl/Cmd+Z"
          aria-label="Redo"
        >
          {p.narrow ? '↷' : 'Redo'}
        </button>
        <button type="button" onClick={p.onLayout} aria-label="Auto-layout">
          {p.narrow ? 'Layout' : 'Auto-layout'}
        </button>
      </div>
      <div className="toolbar-group">
        {!p.narrow && (
          <DataControls samples={p.samples} onOpenFiles={p.onOpenFiles} onSample={p.onSample} />
        )}
        <button type="button" onClick={p.onPipelines}>
          Pipelines
        </button>
      </div>
    </header>
  );
}
