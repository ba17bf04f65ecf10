/**
 * One line saying how a collapsed group's steps did in the last run, since their own nodes are
 * hidden: e.g. `2 steps · running`, `2 steps · ✓ done`, `3 steps · ✗ 1 failed`.
 */
import type { RunView } from '../runState';

/** The summary of `stepIds` in `view` (a plain string, so a selector returning it is stable). */
export function groupRunSummary(view: Pick<RunView, 'steps'>, stepIds: readonly string[]): string {
  const count = `${stepIds.length} ${stepIds.length === 1 ? 'step' : 'steps'}`;
  const states = stepIds.map((id) => view.steps[id]?.state ?? 'idle');
  const failed = states.filter((s) => s === 'failed').length;
  if (failed > 0) return `${count} · ✗ ${failed} failed`;
  if (states.some((s) => s === 'running' || s === 'waiting')) return `${count} · running`;
  if (states.every((s) => s === 'done' || s === 'cached')) return `${count} · ✓ done`;
  if (states.some((s) => s === 'skipped')) return `${count} · skipped`;
  return `${count} inside`;
}
