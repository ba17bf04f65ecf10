/**
 * The editor's actions that add to the document: a step from the palette, a data source from a
 * sample or a file, and dropped or opened files (module files go to the install prompt).
 */
import { useCallback } from 'react';
import { addStep } from '../pipeline/edit';
import { saveFile } from '../storage/db';
import type { CanvasGeometry } from './canvasGeometry';
import type { Catalog } from './docOps';
import { isModuleFile } from './install';
import type { ModuleLibrary } from './library';
import type { Point } from './placement';
import { addDataSource, formatOf } from './sources';
import type { EditorStore } from './store';

/** Vertical gap between the sources of several files dropped at once (px at zoom 1). */
const FILE_GAP_Y = 140;

export interface DocumentActions {
  /** Add a step running `moduleId` at `position` (or the middle of the view) and select it. */
  addModule: (moduleId: string, position?: Point) => void;
  /** Add a source (and its table step) reading `src`, and select the table step. */
  addData: (src: { uri: string; fileName: string }, position?: Point) => void;
  /** Store data files and add a source for each; offer module files for install. */
  addFiles: (files: File[], position?: Point) => void;
}

export interface DocumentActionDeps {
  store: EditorStore;
  catalog: Catalog;
  library: ModuleLibrary;
  geometry: CanvasGeometry;
  /** Offer module files (`.wasm` and manifests) for install. */
  offerFiles: (files: readonly File[]) => void;
  /** Called after a palette step is added (a phone closes its palette sheet). */
  onModuleAdded: () => void;
}

export function useDocumentActions({
  store,
  catalog,
  library,
  geometry,
  offerFiles,
  onModuleAdded,
}: DocumentActionDeps): DocumentActions {
  const { viewCenter, revealAll } = geometry;

  const addModule = useCallback(
    (moduleId: string, position?: Point) => {
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
      onModuleAdded();
      if (!position) revealAll();
    },
    [catalog, library, store, viewCenter, revealAll, onModuleAdded],
  );

  const addData = useCallback(
    (src: { uri: string; fileName: string }, position?: Point) => {
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
    (all: File[], position?: Point) => {
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
            addData(
              { uri: `file:${id}`, fileName: f.name },
              { x: base.x, y: base.y + i * FILE_GAP_Y },
            );
          },
          (e: Error) => store.notify(`${f.name} could not be stored: ${e.message}`, 'error'),
        );
      });
    },
    [addData, store, viewCenter, offerFiles],
  );

  return { addModule, addData, addFiles };
}
