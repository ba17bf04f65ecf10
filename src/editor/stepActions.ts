/**
 * What a step's context menu does, built from the editor's existing edits (each one undo step)
 * and the runner's Run to here.
 */
import { useCallback } from 'react';
import { duplicateSteps, updateStep } from '../pipeline/edit';
import type { CanvasGeometry } from './canvasGeometry';
import { removeElements } from './docOps';
import { freeSpot, MARGIN, STEP_BOX } from './placement';
import type { Runner } from './runner';
import type { StepMenuActions } from './StepMenu';
import type { EditorStore } from './store';

/** The context-menu actions for step `stepId`. */
export function useStepActions(
  store: EditorStore,
  runner: Runner,
  geometry: CanvasGeometry,
): (stepId: string) => StepMenuActions {
  const { stepSizes } = geometry;
  return useCallback(
    (stepId: string): StepMenuActions => ({
      runTo: () => void runner.run(store.getState().doc, [stepId]),
      toggleBypass: () =>
        store.edit((d) => {
          const s = d.steps.find((x) => x.id === stepId);
          return s ? updateStep(d, stepId, { bypass: s.bypass !== true }) : d;
        }),
      duplicate: () => {
        const doc = store.getState().doc;
        const s = doc.steps.find((x) => x.id === stepId);
        if (!s) return;
        // The copy goes below the step (or the nearest free spot), without its links.
        const sizes = stepSizes();
        const below = {
          x: s.position.x,
          y: s.position.y + (sizes[stepId] ?? STEP_BOX).height + MARGIN,
        };
        const p = freeSpot(doc, below, sizes);
        let ids: string[] = [];
        store.edit((d) => {
          const r = duplicateSteps(d, [stepId], { x: p.x - s.position.x, y: p.y - s.position.y });
          ids = r.stepIds;
          return r.doc;
        });
        store.select(ids, []);
      },
      rename: (label) => store.edit((d) => updateStep(d, stepId, { label })),
      remove: () => store.edit((d) => removeElements(d, [stepId], [])),
    }),
    [store, runner, stepSizes],
  );
}
