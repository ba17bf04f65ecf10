/**
 * Entry point: loads the module catalog (built-ins and installed modules), the sample list and the examples, opens the last
 * pipeline (or the seattle-weather example the first time) and renders the editor. Every edit
 * is saved to IndexedDB shortly after it happens, and at once when the page is hidden.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './editor/styles.css';
import { fetchLoader, loadCatalog } from './modules/catalog';
import type { PipelineDocument } from './pipeline/types';
import { App } from './editor/App';
import { duplicateDoc, upgradeDoc } from './editor/documents';
import { RunStore } from './editor/runState';
import { EditorStore } from './editor/store';
import { browserRunnerHost, loadModule } from './editor/host';
import { ModuleLibrary } from './editor/library';
import { prefetchAfterFirstPaint } from './editor/lazyParts';
import {
  chartManifest,
  javascriptManifest,
  sourceManifest,
  sql2Manifest,
  sqlManifest,
} from './runtime';
import type { ModuleManifest } from './modules/manifest';
import { lastPipelineId, loadPipeline, savePipeline } from './storage/db';
import { setBeforeUpdate, startPwa } from './pwa';
import { reportCspViolations } from './pwa/csp';

/** Delay between an edit and its autosave (ms): coalesces bursts such as typing. */
const AUTOSAVE_DELAY_MS = 300;

/** The example pipelines shipped in examples/ (imported as JSON at build time). */
const EXAMPLES: PipelineDocument[] = Object.values(
  import.meta.glob<PipelineDocument>('../examples/*.quiver.json', {
    eager: true,
    import: 'default',
  }),
).sort((a, b) => a.name.localeCompare(b.name));

async function sampleFiles(): Promise<string[]> {
  const res = await fetch('/samples/index.json');
  if (!res.ok) throw new Error(`/samples/index.json: HTTP ${res.status}`);
  const list = (await res.json()) as { file: string }[];
  return list.map((s) => s.file);
}

async function initialDoc(): Promise<PipelineDocument> {
  const lastId = await lastPipelineId();
  const last = lastId ? await loadPipeline(lastId) : null;
  if (last) return last;
  const seattle = EXAMPLES.find((e) => /seattle/i.test(e.id) || /seattle/i.test(e.name));
  const first = seattle ?? EXAMPLES[0];
  return first
    ? duplicateDoc(first, first.name)
    : {
        format: 'quiver-pipeline',
        version: 4,
        id: `p-${Date.now().toString(36)}`,
        name: 'Untitled pipeline',
        steps: [],
        edges: [],
      };
}

function showFatal(root: HTMLElement, message: string): void {
  root.innerHTML = '';
  const p = document.createElement('p');
  p.setAttribute('role', 'alert');
  p.className = 'fatal';
  p.textContent = `Quiver could not start: ${message}`;
  root.append(p);
}

async function start(root: HTMLElement): Promise<void> {
  const [catalog, samples, doc] = await Promise.all([
    loadCatalog(
      fetchLoader(new URL('/modules/', location.href)),
      [
        sourceManifest as ModuleManifest,
        javascriptManifest as ModuleManifest,
        sqlManifest as ModuleManifest,
        sql2Manifest as ModuleManifest,
        chartManifest as ModuleManifest,
      ],
      // Built with this app and checked by its tests: each params schema is compiled when a
      // step first needs it, not all of them before the first screen.
      { lazyParamsSchemas: true },
    ),
    sampleFiles().catch(() => [] as string[]),
    initialDoc(),
  ]);
  const library = new ModuleLibrary({ catalog, loadModule });
  const unreadable = await library
    .load()
    .catch((e: Error) => [`Installed modules could not be read: ${e.message}`]);
  const store = new EditorStore(upgradeDoc(doc));
  if (unreadable.length > 0) store.notify(unreadable.join(' '), 'error');
  const runStore = new RunStore();

  let timer: ReturnType<typeof setTimeout> | undefined;
  let savedDoc: PipelineDocument | null = null;
  const saveNow = () => {
    clearTimeout(timer);
    const current = store.getState().doc;
    if (current === savedDoc) return;
    savedDoc = current;
    savePipeline(current).catch((e: Error) =>
      store.notify(`Autosave failed: ${e.message}`, 'error'),
    );
  };
  saveNow();
  // An update reload saves the open pipeline first and waits for it (src/pwa/register.ts).
  setBeforeUpdate(() => savePipeline(store.getState().doc));
  store.subscribe(() => {
    if (store.getState().doc === savedDoc) return;
    clearTimeout(timer);
    timer = setTimeout(saveNow, AUTOSAVE_DELAY_MS);
  });
  addEventListener('pagehide', saveNow);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') saveNow();
  });

  const openDoc = (next: PipelineDocument) => {
    saveNow();
    runStore.reset();
    store.load(upgradeDoc(next));
    saveNow();
  };

  const runnerHost = browserRunnerHost(library.loadModule);
  createRoot(root).render(
    <StrictMode>
      <App
        store={store}
        runStore={runStore}
        library={library}
        examples={EXAMPLES}
        samples={samples}
        openDoc={openDoc}
        runnerHost={runnerHost}
      />
    </StrictMode>,
  );
  prefetchAfterFirstPaint();
}

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root element');
reportCspViolations();
startPwa();
start(rootEl).catch((e: Error) => showFatal(rootEl, e.message));
