/**
 * The editor's parts that the first screen does not show, each in its own chunk so that the
 * entry chunk stays small and the editor starts sooner (budget: scripts/check-bundle-size.mjs):
 * the inspector (its parameters form is @rjsf/core with markdown-to-jsx, a fifth of the editor's
 * script) and the output table (@tanstack/react-virtual). `prefetchAfterFirstPaint` fetches
 * them once the first screen is up, so a step's first click finds them loaded. Offline use is
 * unaffected: the service worker precaches every chunk (vite.config.ts, globPatterns).
 */
import { stepDisplayName } from '../pipeline/step-name';
import type { InspectorProps } from './Inspector';
import { lazyPart } from './lazyPart';

/** Where the inspector's heading will be: the step's name, while its chunk loads. */
function InspectorLoading({ step }: InspectorProps) {
  return (
    <div className="inspector" aria-busy="true">
      <h2>{stepDisplayName(step)}</h2>
      <p className="muted">Loading the step's settings…</p>
    </div>
  );
}

/** The step inspector of Inspector.tsx, same props. */
export const Inspector = lazyPart(
  'step inspector',
  () => import('./Inspector').then((m) => m.Inspector),
  InspectorLoading,
);

function TableLoading() {
  return (
    <p className="muted" aria-busy="true">
      Loading the table…
    </p>
  );
}

/** The output table of PreviewTable.tsx, same props. */
export const PreviewTable = lazyPart(
  'output table',
  () => import('./PreviewTable').then((m) => m.PreviewTable),
  TableLoading,
);

/**
 * Longest wait for an idle moment before prefetching anyway, in ms: short, since a busy main
 * thread (a loaded machine, the first live preview) may have no idle moment for seconds, and
 * a person's first click comes about half a second after the first screen at the earliest.
 */
const IDLE_TIMEOUT_MS = 300;

/**
 * Starts fetching every lazy part at the first idle moment after the next frame (or after
 * IDLE_TIMEOUT_MS if the main thread stays busy). A failed fetch is left to the part's first
 * use, which retries and reports it.
 */
export function prefetchAfterFirstPaint(): void {
  const fetchAll = () => {
    for (const part of [Inspector, PreviewTable]) part.preload().catch(() => undefined);
  };
  requestAnimationFrame(() => {
    if (typeof requestIdleCallback === 'function')
      requestIdleCallback(fetchAll, { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(fetchAll, 0);
  });
}
