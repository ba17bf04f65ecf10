/**
 * What a step's context menu does, built from the editor's existing edits (each one undo step)
 * and the runner's Run to here; and Duplicate, which Ctrl/Cmd+D also does.
 */
import { useCallback } from 'react';
import { duplicateSteps, updateStep } from '../pipeline/edit';
import type { CanvasGeometry } from './canvasGeometry';
import { removeElements } from './docOps';
import { freeSpot, MARGIN, stepBoxes } from './placement';
import { boundsOf } from './readableView';
import type { Runner } from './runner';
import type { StepMenuActions } from './StepMenu';
import type { EditorStore } from './store';

/**
 * Returns `duplicate(ids)`: copies of the steps among `ids` (other ids, of groups or notes, are
 * ignored) with the links among them and their incoming links (`duplicateSteps`), placed below
 * them (one step: at the nearest free spot below it), as one undo step; the copies are selected.
 */
export function useDuplicate(
  store: EditorStore,
  geometry: Pick<CanvasGeometry, 'stepSizes'>,
): (ids: readonly string[]) => void {
  const { stepSizes } = geometry;
  return useCallback(
    (ids: readonly string[]) => {
      const doc = store.getState().doc;
      const wanted = new Set(ids);
      const originals = { ...doc, steps: doc.steps.filter((s) => wanted.has(s.id)) };
      if (originals.steps.length === 0) return;
      const sizes = stepSizes();
      const box = boundsOf(stepBoxes(originals, sizes));
      const below = { x: box.x, y: box.y + box.height + MARGIN };
      const at = originals.steps.length === 1 ? freeSpot(doc, below, sizes) : below;
      let copies: string[] = [];
      store.edit((d) => {
        const r = duplicateSteps(d, wanted, { x: at.x - box.x, y: at.y - box.y });
        copies = r.stepIds;
        return r.doc;
      });
      store.select(copies, []);
    },
    [store, stepSizes],
  );
}

/** The context-menu actions for step `stepId`. */
export function useStepActions(
  store: EditorStore,
  runner: Runner,
  geometry: CanvasGeometry,
): (stepId: string) => StepMenuActions {
  const duplicate = useDuplicate(store, geometry);
  return useCallback(
    (stepId: string): StepMenuActions => ({
      runTo: () => void runner.run(store.getState().doc, [stepId]),
      toggleBypass: () =>
        store.edit((d) => {
          const s = d.steps.find((x) => x.id === stepId);
          return s ? updateStep(d, stepId, { bypass: s.bypass !== true }) : d;
        }),
      // The step with the rest of the selection when it is part of it, else the step alone.
      duplicate: () => {
        const selected = store.getState().selectedSteps;
        duplicate(selected.includes(stepId) ? selected : [stepId]);
      },
      rename: (label) => store.edit((d) => updateStep(d, stepId, { label })),
      remove: () => store.edit((d) => removeElements(d, [stepId], [])),
    }),
    [store, runner, duplicate],
  );
}
