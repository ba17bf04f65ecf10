/**
 * The editor's top level: toolbar, palette, canvas, inspector with the data panel, dialogs and
 * notices. It wires user actions to document edits (store), runs (runner) and storage.
 */
import { useCallback, useMemo, useState } from 'react';
import { ReactFlowProvider } from '@xyflow/react';
import { repinSteps } from '../pipeline/pins';
import type { PipelineDocument } from '../pipeline/types';
import { useAppLaunch } from './appLaunch';
import { useAutoLayout } from './autoLayoutAction';
import { Canvas } from './Canvas';
import { useCanvasGeometry } from './canvasGeometry';
import { useKeepInView } from './canvasView';
import { useStepClipboard } from './clipboard';
import { EditorContext, type EditorServices } from './context';
import { DataPanel } from './DataPanel';
import { FlowPopups } from './FlowPopups';
import { useDocumentActions } from './documentActions';
import { useLivePreview } from './livePreview';
import { duplicateDoc, exportDoc, newDoc } from './documents';
import { Inspector } from './lazyParts';
import { useLibrary, type ModuleLibrary } from './library';
import { useModuleManager } from './moduleManager';
import { useNoticeExpiry } from './noticeExpiry';
import { PinNotice } from './PinNotice';
import { withCarriedModules } from './carry';
import { Palette } from './Palette';
import { PipelinesDialog } from './PipelinesDialog';
import { ProblemsMenu } from './ProblemsMenu';
import { useProblems } from './problems';
import { usePopupKeys, usePopups } from './quickAddState';
import { useRunAndReveal, useRunner } from './runAndReveal';
import { useRunView, type RunStore, type RunView } from './runState';
import type { RunnerHost } from './runner';
import { selectedStepOf } from './selectedStep';
import { useShortcuts } from './shortcuts';
import { useDuplicate, useStepActions } from './stepActions';
import { useTapToConnect } from './tapToConnect';
import { DataControls, Toolbar } from './Toolbar';
import { useEditor, type EditorState, type EditorStore } from './store';
import { useNarrowScreen, usePrefersDark } from './theme';

const selectDoc = (s: EditorState) => s.doc;
const selectCanUndo = (s: EditorState) => s.past.length > 0;
const selectCanRedo = (s: EditorState) => s.future.length > 0;
const selectSelectedSteps = (s: EditorState) => s.selectedSteps;
const selectNotice = (s: EditorState) => s.notice;
const selectRunning = (v: RunView) => v.running;

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

/** Which panel is open on a phone (on a wide screen every panel is visible). */
type PhonePanel = 'none' | 'palette' | 'inspector';

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
  const dark = usePrefersDark();
  const narrow = useNarrowScreen();
  const [phonePanel, setPhonePanel] = useState<PhonePanel>('none');
  const [dialogOpen, setDialogOpen] = useState(false);
  const closePhonePanel = useCallback(() => setPhonePanel('none'), []);
  useNoticeExpiry(store, notice);

  const geometry = useCanvasGeometry(store);
  const runner = useRunner(store, runStore, catalog, runnerHost);
  const showPhoneOutput = useCallback(() => setPhonePanel('inspector'), []);
  const run = useRunAndReveal(store, runStore, runner, narrow, showPhoneOutput);
  const layout = useAutoLayout(store, narrow);
  const { pending, choosePending, onPortTap } = useTapToConnect(store, catalog);
  const { addModule, addData, addFiles } = useDocumentActions({
    store,
    catalog,
    library,
    geometry,
    offerFiles,
    onModuleAdded: closePhonePanel,
    vertical: narrow,
  });
  const onImport = useAppLaunch({ store, openDoc, offerCarried, addFiles, setDialogOpen });
  const { copy, paste } = useStepClipboard(store);
  const popups = usePopups();
  const { quickAddAtPointer, menuOf } = usePopupKeys(popups, geometry);
  const stepActions = useStepActions(store, runner, geometry);
  const duplicate = useDuplicate(store, geometry);
  const shortcuts = useMemo(
    () => ({
      undo: () => store.undo(),
      redo: () => store.redo(),
      copy,
      paste,
      duplicate: () => duplicate(store.getState().selectedSteps),
      run,
      quickAdd: quickAddAtPointer,
      stepMenu: () => {
        const sel = store.getState().selectedSteps;
        if (sel.length === 1) menuOf(sel[0]!);
      },
    }),
    [store, copy, paste, duplicate, run, quickAddAtPointer, menuOf],
  );
  useShortcuts(shortcuts);

  const showDetails = useCallback(
    (stepId: string) => {
      store.select([stepId], []);
      setPhonePanel('inspector');
    },
    [store],
  );
  const services = useMemo<EditorServices>(
    () => ({
      store,
      runStore,
      catalog,
      onPortTap,
      showDetails,
      openQuickAdd: popups.openQuickAdd,
      openStepMenu: popups.openStepMenu,
      runSteps: (ids: string[]) => {
        if (!runStore.getView().running) void runner.run(store.getState().doc, ids);
      },
    }),
    [
      store,
      runStore,
      catalog,
      onPortTap,
      showDetails,
      popups.openQuickAdd,
      popups.openStepMenu,
      runner,
    ],
  );

  const { check, pinProblems, problems } = useProblems(doc, catalog, runStore, origin);
  const sel = selectedStepOf(doc, selectedSteps, check, catalog, pinProblems);
  const selected = sel.step;
  const selectedPinProblem = sel.pinProblem;
  useLivePreview(doc, selected, runner, runStore);
  useKeepInView(selected?.id ?? null, narrow && phonePanel === 'inspector');
  const modules = useMemo(() => catalog.list().filter((m) => m.id !== 'source'), [catalog]);
  const installedIds = useMemo(() => new Set(installed.keys()), [installed]);

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
          problems={<ProblemsMenu issues={check.issues} />}
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
                  upstreamColumns={sel.upstream}
                  upstreamPorts={sel.upstreamPorts}
                  issues={sel.issues}
                />
              </>
            ) : (
              <div className="inspector empty">
                <h2>{doc.name}</h2>
                <p className="muted">
                  {doc.steps.length} steps, {doc.edges.length} connections. Select a step to edit
                  its parameters and see its output.
                </p>
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
        <FlowPopups {...{ popups, store, catalog, modules, running, addModule, stepActions }} />
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
