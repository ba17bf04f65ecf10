/**
 * The editor's runner and its Run action: cached results shown when a pipeline opens, tables
 * probed for their schemas as the user edits, run errors shown as notices, and after a run the
 * final step's output brought into view.
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { Catalog } from './docOps';
import { finalStepId } from './finalStep';
import { useRunView, type RunStore, type RunView } from './runState';
import { Runner, type RunnerHost } from './runner';
import { useEditor, type EditorState, type EditorStore } from './store';

/** Quiet time after an edit before tables are probed for their schema (ms). */
const PROBE_DEBOUNCE_MS = 300;

const selectDoc = (s: EditorState) => s.doc;
const selectRunError = (v: RunView) => v.error;

/** The runner for this catalog and host, kept in step with the open document. */
export function useRunner(
  store: EditorStore,
  runStore: RunStore,
  catalog: Catalog,
  runnerHost: RunnerHost,
): Runner {
  const doc = useEditor(store, selectDoc);
  const runError = useRunView(runStore, selectRunError);
  const runner = useMemo(
    () => new Runner(runStore, catalog, runnerHost),
    [runStore, catalog, runnerHost],
  );

  // An opened pipeline (or a reload) shows each step's last result from the cache, no run.
  const docId = doc.id;
  useEffect(() => {
    void runner.restore(store.getState().doc);
  }, [runner, store, docId]);

  // Tables read from files get their schemas without a run, so columns are checked at once
  // (after edits settle: a probe runs the source and csv step over the file's first 64 KB).
  useEffect(() => {
    // Its modules are compiled and its workers started meanwhile, not at the Run click.
    const timer = setTimeout(() => {
      void runner.probeTables(doc);
      void runner.warm(doc);
    }, PROBE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [runner, doc]);

  useEffect(() => {
    if (runError && runError !== 'stopped') store.notify(runError, 'error');
  }, [runError, store]);

  return runner;
}

/**
 * Run the whole pipeline (ignored while a run is under way); afterwards show the result: on a
 * wide screen select the final step, unless the user has picked something to look at; on a
 * phone select it and open its output (`showPhoneOutput`). The App's useKeepInView
 * (canvasView.ts) then brings the step into sight beside the output panel or above the sheet.
 */
export function useRunAndReveal(
  store: EditorStore,
  runStore: RunStore,
  runner: Runner,
  narrow: boolean,
  showPhoneOutput: () => void,
): () => void {
  return useCallback(() => {
    if (runStore.getView().running) return;
    void runner.run(store.getState().doc).then(() => {
      const s = store.getState();
      const last = finalStepId(s.doc);
      if (!last) return;
      if (narrow) showPhoneOutput();
      else if (s.selectedSteps.length > 0 || s.selectedEdges.length > 0) return;
      store.select([last], []);
    });
  }, [runner, runStore, store, narrow, showPhoneOutput]);
}
