/**
 * Live preview while editing: when the selected step's params change and every step feeding it
 * shows a current result (cached or done, not outdated), the step alone is run again on its
 * cached inputs ("Run to here", which replays them from the step-output cache), after a quiet
 * time, so its output table follows the edit without a full Run. The data panel labels such an
 * output as a preview (`PreviewData.live`) until a Run.
 */
import { useEffect, useRef } from 'react';
import { canonicalJson } from '../pipeline/fingerprint';
import type { PipelineDocument, Step } from '../pipeline/types';
import { outdatedSteps } from './derived';
import type { RunStore } from './runState';
import type { Runner } from './runner';

/** Quiet time after a params edit before the preview runs (ms). */
export const LIVE_PREVIEW_DEBOUNCE_MS = 250;

/** Whether every producer of `stepId` shows a result that holds for `doc`. */
export function inputsReady(doc: PipelineDocument, stepId: string, runStore: RunStore): boolean {
  const view = runStore.getView();
  if (view.running) return false;
  const producers = doc.edges.filter((e) => e.to.step === stepId).map((e) => e.from.step);
  const outdated = outdatedSteps(doc, view);
  return (
    producers.length > 0 &&
    producers.every((id) => {
      const state = view.steps[id]?.state;
      return (state === 'cached' || state === 'done') && !outdated.has(id);
    })
  );
}

/** Re-runs the selected step when its params change and its inputs are ready. */
export function useLivePreview(
  doc: PipelineDocument,
  selected: Step | undefined,
  runner: Runner,
  runStore: RunStore,
): void {
  const seen = useRef<{ stepId: string; params: string } | null>(null);
  const params = selected ? canonicalJson(selected.params) : '';
  const stepId = selected?.id ?? '';
  const latest = useRef(doc);
  latest.current = doc;
  useEffect(() => {
    const before = seen.current;
    seen.current = { stepId, params };
    // A new selection, or no change of params: nothing to preview.
    if (stepId === '' || before?.stepId !== stepId || before.params === params) return;
    const timer = setTimeout(() => {
      const now = latest.current;
      if (inputsReady(now, stepId, runStore)) void runner.run(now, [stepId], true);
    }, LIVE_PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [stepId, params, runner, runStore]);
}
