/**
 * The editor's actions that add to the document: a step from the palette, a data source from a
 * sample or a file, and dropped or opened files (module files go to the install prompt).
 */
import { useCallback } from 'react';
import { addStep, connect } from '../pipeline/edit';
import { anchorStep, linkInto, type LinkSource } from './autoConnect';
import { saveFile } from '../storage/db';
import type { CanvasGeometry } from './canvasGeometry';
import type { Catalog } from './docOps';
import { isModuleFile } from './install';
import type { ModuleLibrary } from './library';
import { spotBeside, type Point } from './placement';
import { addDataSource, formatOf } from './sources';
import type { EditorStore } from './store';

/** Vertical gap between the sources of several files dropped at once (px at zoom 1). */
const FILE_GAP_Y = 140;

export interface DocumentActions {
  /**
   * Add a step running `moduleId`, linked from `from` (or from the selected step, else
   * the final step: its first output that fits the new step's first free input) and placed
   * beside that step without covering another; or at `position` (a drop, a double-click) if
   * given, then linked from the selected step only; or in the middle of the view when there is
   * nothing to link from. One undo step; the new step is selected.
   */
  addModule: (moduleId: string, position?: Point, from?: LinkSource) => void;
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
  /** Steps run top to bottom (a phone): a chained step goes below, not beside. */
  vertical: boolean;
}

export function useDocumentActions({
  store,
  catalog,
  library,
  geometry,
  offerFiles,
  onModuleAdded,
  vertical,
}: DocumentActionDeps): DocumentActions {
  const { viewCenter, revealAll } = geometry;

  const addModule = useCallback(
    (moduleId: string, position?: Point, from?: LinkSource) => {
      const m = catalog.get(moduleId);
      if (!m) return;
      const { doc, selectedSteps } = store.getState();
      const anchor = from?.step ?? anchorStep(doc, selectedSteps, position !== undefined);
      // Which link the step gets is decided on the document with the step in it (its id).
      const trial = addStep(doc, m, { x: 0, y: 0 });
      const link = anchor ? linkInto(trial.doc, catalog, anchor, trial.stepId, from?.port) : null;
      const at =
        position ??
        (link
          ? spotBeside(
              doc,
              link.from.step,
              geometry.stepSizes(),
              vertical,
              geometry.readableRowWidth(),
            )
          : null) ??
        viewCenter();
      const pin = library.pinFor(moduleId);
      let newId = '';
      store.edit((d) => {
        const r = addStep(d, m, at);
        newId = r.stepId;
        const pinned = pin
          ? { ...r.doc, steps: r.doc.steps.map((s) => (s.id === newId ? { ...s, pin } : s)) }
          : r.doc;
        const linked = link
          ? connect(pinned, catalog, link.from, { ...link.to, step: newId })
          : null;
        return linked?.ok ? linked.doc : pinned;
      });
      store.select([newId], []);
      onModuleAdded();
      if (position) return;
      if (link) geometry.followStep(newId, link.from.step);
      else revealAll();
    },
    [catalog, library, store, geometry, viewCenter, revealAll, onModuleAdded, vertical],
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
