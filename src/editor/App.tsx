/**
 * The editor's top level: toolbar, palette, canvas, inspector with the data panel, dialogs and
 * notices. It wires user actions to document edits (store), runs (runner) and storage.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import { checkPins, repinSteps } from '../pipeline/pins';
import type { PipelineDocument } from '../pipeline/types';
import { onFilesOpened, onLaunchAction } from '../pwa';
import { saveFile } from '../storage/db';
import { Canvas } from './Canvas';
import { EditorContext, type EditorServices } from './context';
import { DataPanel } from './DataPanel';
import { useLivePreview } from './livePreview';
import { addStep, connect, copySteps, pasteSteps, type PipelineFragment } from '../pipeline/edit';
import { duplicateDoc, exportDoc, newDoc, parseImported } from './documents';
import { finalStepId } from './finalStep';
import { Inspector } from './Inspector';
import { isModuleFile } from './install';
import { useLibrary, type ModuleLibrary } from './library';
import { useModuleManager } from './moduleManager';
import { PinNotice } from './PinNotice';
import { withCarriedModules } from './carry';
import { useAutoLayout, useKeepInView, useRevealSteps } from './canvasView';
import { Palette } from './Palette';
import { PipelinesDialog } from './PipelinesDialog';
import { inputSchemaOf, inputSchemasOf, problemsByStep, usePipelineCheck } from './derived';
import { useRunView, type RunStore, type RunView } from './runState';
import { Runner, type RunnerHost } from './runner';
import { useShortcuts } from './shortcuts';
import { DataControls, Toolbar } from './Toolbar';
import { addDataSource, formatOf } from './sources';
import { useEditor, type EditorState, type EditorStore } from './store';
import { useNarrowScreen, usePrefersDark } from './theme';

const selectDoc = (s: EditorState) => s.doc;
const selectCanUndo = (s: EditorState) => s.past.length > 0;
const selectCanRedo = (s: EditorState) => s.future.length > 0;
const selectSelectedSteps = (s: EditorState) => s.selectedSteps;
const selectNotice = (s: EditorState) => s.notice;
const selectRunning = (v: RunView) => v.running;
const selectRunError = (v: RunView) => v.error;

/** Room a new step needs so it does not cover another (px at zoom 1). */
const STEP_BOX = { width: 200, height: 130 };

/** `p`, or the nearest spot right of it where a new step covers no other step. */
function freeSpot(doc: PipelineDocument, p: { x: number; y: number }): { x: number; y: number } {
  const taken = (q: { x: number; y: number }) =>
    doc.steps.some(
      (s) =>
        Math.abs(s.position.x - q.x) < STEP_BOX.width &&
        Math.abs(s.position.y - q.y) < STEP_BOX.height,
    );
  for (let i = 0; i < 50; i += 1) {
    const q = { x: p.x + (i % 5) * STEP_BOX.width, y: p.y + Math.floor(i / 5) * STEP_BOX.height };
    if (!taken(q)) return q;
  }
  return p;
}

/** How long a notice stays on screen (ms). */
const NOTICE_MS = 6000;

export interface AppProps {
  store: EditorStore;
  runStore: RunStore;
  /** Built-in and installed modules; the catalog follows installs and removals. */
  library: ModuleLibrary;
  examples: readonly PipelineDocument[];
  samples: readonly string[];
  /** Open another document (saves the current one first); provided by main. */
  openDoc: (doc: PipelineDocument) => void;
  /** The runtime and how it gets module bytes and source data. */
  runnerHost: RunnerHost;
}

type Pending = { stepId: string; kind: 'in' | 'out'; port: string } | null;
/** Which panel is open on a phone (on a wide screen every panel is visible). */
type PhonePanel = 'none' | 'palette' | 'inspector';

/** Quiet time after an edit before tables are probed for their schema (ms). */
const PROBE_DEBOUNCE_MS = 300;

function Editor({ store, runStore, library, examples, samples, openDoc, runnerHost }: AppProps) {
  const { catalog, installed, origin } = useLibrary(library);
  const modulesUi = useModuleManager(library, store);
  const { offerFiles, offerCarried } = modulesUi;
  const doc = useEditor(store, selectDoc);
  const canUndo = useEditor(store, selectCanUndo);
  const canRedo = useEditor(store, selectCanRedo);
  const selectedSteps = useEditor(store, selectSelectedSteps);
  const notice = useEditor(store, selectNotice);
  const running = useRunView(runStore, selectRunning);
  const runError = useRunView(runStore, selectRunError);
  const flow = useReactFlow();
  const dark = usePrefersDark();
  const narrow = useNarrowScreen();
  const [pending, setPending] = useState<Pending>(null);
  const [phonePanel, setPhonePanel] = useState<PhonePanel>('none');
  const [dialogOpen, setDialogOpen] = useState(false);
  const clip = useRef<PipelineFragment | null>(null);
  const pasteCount = useRef(0);
  const runner = useMemo(
    () => new Runner(runStore, catalog, runnerHost),
    [runStore, catalog, runnerHost],
  );
  const check = usePipelineCheck(doc, catalog, runStore);
  const pinProblems = useMemo(() => checkPins(doc, origin), [doc, origin]);
  const problems = useMemo(() => {
    const map = new Map(problemsByStep(check));
    for (const p of pinProblems) map.set(p.stepId, p.message);
    return map;
  }, [check, pinProblems]);

  // An opened pipeline (or a reload) shows each step's last result from the cache, no run.
  const docId = doc.id;
  useEffect(() => {
    void runner.restore(store.getState().doc);
  }, [runner, store, docId]);

  // Tables read from files get their schemas without a run, so columns are checked at once
  // (after edits settle: a probe runs the source and csv step over the file's first 64 KB).
  useEffect(() => {
    const timer = setTimeout(() => void runner.probeTables(doc), PROBE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [runner, doc]);

  useEffect(() => {
    if (runError && runError !== 'stopped') store.notify(runError, 'error');
  }, [runError, store]);

  useEffect(() => {
    if (!notice) return;
    const t = setTimeout(() => store.clearNotice(), NOTICE_MS);
    return () => clearTimeout(t);
  }, [notice, store]);

  /** Where to put a step added without a drop position: the middle of the visible canvas. */
  const viewCenter = useCallback(() => {
    const el = document.querySelector('.canvas');
    const r = el?.getBoundingClientRect();
    const center = r
      ? { x: r.left + r.width / 2, y: r.top + r.height / 2 }
      : { x: innerWidth / 2, y: innerHeight / 2 };
    const p = flow.screenToFlowPosition(center);
    return freeSpot(store.getState().doc, { x: p.x - 82, y: p.y - 50 });
  }, [flow, store]);

  /** After a step is added beside the others: a readable fit if some step is out of sight. */
  const revealAll = useRevealSteps(store, narrow);

  const addModule = useCallback(
    (moduleId: string, position?: { x: number; y: number }) => {
      const m = catalog.get(moduleId);
      if (!m) return;
      let newId = '';
      const pin = library.pinFor(moduleId);
      store.edit((d) => {
        const r = addStep(d, m, position ?? viewCenter());
        newId = r.stepId;
        if (!pin) return r.doc;
        return { ...r.doc, steps: r.doc.steps.map((s) => (s.id === newId ? { ...s, pin } : s)) };
      });
      store.select([newId], []);
      setPhonePanel('none');
      if (!position) revealAll();
    },
    [catalog, library, store, viewCenter, revealAll],
  );

  const addData = useCallback(
    (src: { uri: string; fileName: string }, position?: { x: number; y: number }) => {
      const format = formatOf(src.fileName);
      if (!format) {
        store.notify(
          `${src.fileName}: Quiver reads CSV, TSV, JSON, NDJSON, Arrow and Parquet files.`,
          'error',
        );
        return;
      }
      try {
        let tableId = '';
        store.edit((d) => {
          const r = addDataSource(d, catalog, { ...src, format }, position ?? viewCenter());
          tableId = r.tableStepId;
          return r.doc;
        });
        store.select([tableId], []);
        if (!position) revealAll();
      } catch (e) {
        store.notify((e as Error).message, 'error');
      }
    },
    [catalog, store, viewCenter, revealAll],
  );

  const addFiles = useCallback(
    (all: File[], position?: { x: number; y: number }) => {
      const moduleFiles = all.filter((f) => isModuleFile(f.name));
      if (moduleFiles.length > 0) offerFiles(moduleFiles);
      const files = all.filter((f) => !isModuleFile(f.name));
      files.forEach((f, i) => {
        if (!formatOf(f.name)) {
          store.notify(`${f.name}: Quiver reads CSV, TSV, Arrow and Parquet files.`, 'error');
          return;
        }
        saveFile(f).then(
          (id) => {
            const base = position ?? viewCenter();
            addData({ uri: `file:${id}`, fileName: f.name }, { x: base.x, y: base.y + i * 140 });
          },
          (e: Error) => store.notify(`${f.name} could not be stored: ${e.message}`, 'error'),
        );
      });
    },
    [addData, store, viewCenter, offerFiles],
  );

  /** The first port of a tap-tap connection; a ref too, so two fast taps see each other. */
  const pendingRef = useRef<Pending>(null);
  const choosePending = useCallback((p: Pending) => {
    pendingRef.current = p;
    setPending(p);
  }, []);
  const onPortTap = useCallback(
    (stepId: string, kind: 'in' | 'out', port: string) => {
      const prev = pendingRef.current;
      if (!prev || prev.kind === kind || prev.stepId === stepId) {
        choosePending({ stepId, kind, port });
        return;
      }
      const [from, to] =
        prev.kind === 'out'
          ? [
              { step: prev.stepId, port: prev.port },
              { step: stepId, port },
            ]
          : [
              { step: stepId, port },
              { step: prev.stepId, port: prev.port },
            ];
      choosePending(null);
      const r = connect(store.getState().doc, catalog, from, to);
      if (!r.ok) store.notify(r.reason, 'error');
      else store.edit(() => r.doc);
    },
    [catalog, store, choosePending],
  );

  const showDetails = useCallback(
    (stepId: string) => {
      store.select([stepId], []);
      setPhonePanel('inspector');
    },
    [store],
  );

  const run = useCallback(() => {
    if (runStore.getView().running) return;
    void runner.run(store.getState().doc).then(() => {
      // Show the result without a click (useKeepInView brings its step into sight): on a
      // phone the final step's output, in the sheet; on a wide screen the final step's, unless
      // the user has picked something to look at.
      const s = store.getState();
      const last = finalStepId(s.doc);
      if (!last) return;
      if (narrow) setPhonePanel('inspector');
      else if (s.selectedSteps.length > 0 || s.selectedEdges.length > 0) return;
      store.select([last], []);
    });
  }, [runner, runStore, store, narrow]);

  const shortcuts = useMemo(
    () => ({
      undo: () => store.undo(),
      redo: () => store.redo(),
      copy: () => {
        const s = store.getState();
        if (s.selectedSteps.length === 0) return;
        clip.current = copySteps(s.doc, s.selectedSteps);
        pasteCount.current = 0;
        store.notify(`Copied ${s.selectedSteps.length} step(s).`);
      },
      paste: () => {
        const c = clip.current;
        if (!c || c.steps.length === 0) return;
        pasteCount.current += 1;
        const shift = 40 * pasteCount.current;
        let ids: string[] = [];
        store.edit((d) => {
          const r = pasteSteps(d, c, { x: shift, y: shift });
          ids = r.stepIds;
          return r.doc;
        });
        store.select(ids, []);
      },
      run,
    }),
    [store, run],
  );
  useShortcuts(shortcuts);

  const layout = useAutoLayout(store, narrow);

  const services = useMemo<EditorServices>(
    () => ({ store, runStore, catalog, onPortTap, showDetails }),
    [store, runStore, catalog, onPortTap, showDetails],
  );

  const selected =
    selectedSteps.length === 1 ? doc.steps.find((s) => s.id === selectedSteps[0]) : undefined;
  useLivePreview(doc, selected, runner, runStore);
  useKeepInView(selected?.id ?? null, narrow && phonePanel === 'inspector');
  const upstream = inputSchemaOf(check, doc, catalog, selected?.id ?? null);
  const upstreamPorts = inputSchemasOf(check, selected?.id ?? null);
  const selectedIssues = check.issues.filter((i) => i.stepId === selected?.id);
  const modules = useMemo(() => catalog.list().filter((m) => m.id !== 'source'), [catalog]);
  const installedIds = useMemo(() => new Set(installed.keys()), [installed]);
  const selectedPinProblem = pinProblems.find((p) => p.stepId === selected?.id);

  const onImport = useCallback(
    async (file: File) => {
      const imported = parseImported(await file.text(), file.name);
      openDoc(imported);
      setDialogOpen(false);
      if (imported.modules?.length) offerCarried(imported);
    },
    [openDoc, offerCarried],
  );

  // Files opened with or shared to the installed app, and the manifest shortcuts.
  useEffect(
    () =>
      onFilesOpened(({ files }) => {
        const data: File[] = [];
        for (const { file, kind } of files) {
          if (kind === 'pipeline') {
            onImport(file).catch((e: Error) => store.notify(e.message, 'error'));
          } else data.push(file);
        }
        if (data.length > 0) addFiles(data);
      }),
    [onImport, addFiles, store],
  );
  useEffect(
    () =>
      onLaunchAction((action) => {
        if (action === 'new') openDoc(newDoc());
        else setDialogOpen(true);
      }),
    [openDoc],
  );

  // The selected step's output: under the canvas on wide screens, in the sheet on phones.
  const dataPanel = selected ? (
    <DataPanel
      stepId={selected.id}
      canDownload={!running}
      {...(running ? {} : { onRunTo: (id: string) => void runner.run(store.getState().doc, [id]) })}
      onDownload={(id, format) =>
        runner
          .download(store.getState().doc, id, format)
          .catch((e: Error) => store.notify(e.message, 'error'))
      }
    />
  ) : null;

  return (
    <EditorContext.Provider value={services}>
      <div className={`app phone-${phonePanel}${selected ? ' has-selection' : ''}`}>
        <Toolbar
          name={doc.name}
          onRename={(name) => store.edit((d) => ({ ...d, name }), 'name')}
          running={running}
          onRun={run}
          onStop={() => runner.stop()}
          canUndo={canUndo}
          canRedo={canRedo}
          onUndo={() => store.undo()}
          onRedo={() => store.redo()}
          onLayout={layout}
          onOpenFiles={(files) => addFiles(files)}
          samples={samples}
          onSample={(file) => addData({ uri: `sample:${file}`, fileName: file })}
          onPipelines={() => setDialogOpen(true)}
          narrow={narrow}
          onTogglePalette={() => setPhonePanel((p) => (p === 'palette' ? 'none' : 'palette'))}
          // Opens (a tap on a step opens it too); the sheet's ✕ closes it.
          onToggleInspector={() => setPhonePanel('inspector')}
        />
        <div className="workspace">
          <aside className="side palette-pane" aria-label="Step palette">
            <Palette
              modules={modules}
              onAdd={(id) => addModule(id)}
              installedIds={installedIds}
              manage={{
                add: () => modulesUi.add(),
                update: (id) => modulesUi.add(id),
                remove: (id) => modulesUi.remove(id),
              }}
              header={
                narrow ? (
                  <DataControls
                    samples={samples}
                    onOpenFiles={(files) => {
                      setPhonePanel('none');
                      addFiles(files);
                    }}
                    onSample={(file) => {
                      setPhonePanel('none');
                      addData({ uri: `sample:${file}`, fileName: file });
                    }}
                  />
                ) : null
              }
            />
          </aside>
          <main className="canvas-pane">
            <Canvas
              pending={pending}
              problems={problems}
              onDropModule={addModule}
              onDropFiles={addFiles}
              colorMode={dark ? 'dark' : 'light'}
            />
            {pending && (
              <div className="pending-hint" role="status">
                Now tap an {pending.kind === 'out' ? 'input' : 'output'} port to connect{' '}
                {pending.stepId}.{pending.port}
                <button type="button" onClick={() => choosePending(null)}>
                  Cancel
                </button>
              </div>
            )}
          </main>
          {!narrow && selected && <div className="data-pane">{dataPanel}</div>}
          <aside className="side inspector-pane" aria-label="Step details">
            <button
              type="button"
              className="sheet-close phone-only"
              onClick={() => setPhonePanel('none')}
              aria-label="Close details"
            >
              ✕
            </button>
            {selected ? (
              <>
                {/* A phone shows the step's data first, its settings below. */}
                {narrow && dataPanel}
                {selectedPinProblem && (
                  <PinNotice
                    problem={selectedPinProblem}
                    installedVersion={
                      installed.get(selectedPinProblem.moduleId)?.pkg.manifest.version
                    }
                    onInstallCarried={() => modulesUi.offerCarried(doc)}
                    onAddModule={() => modulesUi.add()}
                    onUseInstalled={() => {
                      const pin = library.pinFor(selectedPinProblem.moduleId);
                      if (!pin) return;
                      const { moduleId, pin: from } = selectedPinProblem;
                      store.edit((d) => repinSteps(d, moduleId, from.sha256, pin));
                    }}
                  />
                )}
                <Inspector
                  step={selected}
                  manifest={catalog.get(selected.moduleId)}
                  upstreamColumns={upstream}
                  upstreamPorts={upstreamPorts}
                  issues={selectedIssues}
                />
              </>
            ) : (
              <div className="inspector empty">
                <h2>{doc.name}</h2>
                <p className="muted">
                  {doc.steps.length} steps, {doc.edges.length} connections. Select a step to edit
                  its parameters and see its output.
                </p>
                {problems.size > 0 && (
                  <ul className="problem-list">
                    {[...problems].map(([id, msg]) => (
                      <li key={id}>
                        <strong>{id}</strong>: {msg}
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            )}
          </aside>
        </div>
        {notice && (
          <div
            className={`notice ${notice.kind}`}
            role={notice.kind === 'error' ? 'alert' : 'status'}
          >
            {notice.text}
            <button type="button" onClick={() => store.clearNotice()} aria-label="Dismiss">
              ✕
            </button>
          </div>
        )}
        <PipelinesDialog
          open={dialogOpen}
          onClose={() => setDialogOpen(false)}
          current={doc}
          examples={examples}
          onOpen={(d) => {
            openDoc(d);
            setDialogOpen(false);
          }}
          onRenameCurrent={(name) => store.edit((d) => ({ ...d, name }))}
          onNew={() => {
            openDoc(newDoc());
            setDialogOpen(false);
          }}
          onExport={() => exportDoc(store.getState().doc)}
          onExportWithModules={() => exportDoc(withCarriedModules(store.getState().doc, installed))}
          onImport={onImport}
          duplicate={duplicateDoc}
        />
        {modulesUi.dialogs}
      </div>
    </EditorContext.Provider>
  );
}

/** The editor wrapped in React Flow's provider (for `useReactFlow` outside the canvas). */
export function App(props: AppProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}
