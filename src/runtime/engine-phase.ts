/**
 * A host step's engine (DuckDB-Wasm for SQL, QuickJS for JavaScript) loads inside its worker on
 * the first step of that kind the worker runs, which takes seconds on a first run: the step
 * says so, as a {@link StepPhase} the node shows ("loading SQL engine…"), ended once loaded.
 */
import type { StepEngine, StepPhase } from './events';

/** Reports what a step is busy with in its worker; null: that is over. */
export type PhaseReport = (phase: StepPhase | null) => void;

/**
 * Awaits `load()` between a `loading-engine` phase for `engine` and its end (also when the
 * load rejects, with the load's error).
 */
export async function loadEngine<T>(
  engine: StepEngine,
  load: () => Promise<T>,
  report: PhaseReport,
): Promise<T> {
  report({ kind: 'loading-engine', engine });
  try {
    return await load();
  } finally {
    report(null);
  }
}
