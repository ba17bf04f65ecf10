/**
 * Runs a pipeline: prepares every step (`prepare.ts`: module compiled once, imports inspected,
 * source bytes resolved), wires one MessageChannel per edge (`wiring.ts`), starts one worker per
 * step and follows their reports (`supervisor.ts`). A failing step fails alone: its downstream
 * steps are skipped, its upstream steps stop sending to it, every other branch runs to its end.
 */
import { CompileCache } from '../modules/compile-cache';
import type { ModuleCatalog } from '../modules/catalog';
import { topologicalOrder } from '../pipeline/graph';
import { randomId } from '../pipeline/ids';
import type { PipelineDocument } from '../pipeline/types';
import { validatePipeline } from '../pipeline/validate';
import type { RunEvent } from './events';
import { prepareStep, type PrepareContext } from './prepare';
import { type StepState, Supervisor } from './supervisor';
import type { RunOptions, RunResult } from './types';
import { splitPortKey, Wiring } from './wiring';

export { PARQUET_BATCH_ROWS, STREAM_INVOCATION_ROWS } from './prepare';

/** The pipeline cannot start (invalid document); step failures never raise this. */
export class PipelineRunError extends Error {
  override name = 'PipelineRunError';
}

const sharedCache = new CompileCache();

/**
 * Runs `doc` and resolves when every step has finished, failed or been skipped. Rejects only
 * with {@link PipelineRunError} when the document does not validate against `opts.catalog` or
 * `opts.collect` names a step it does not have.
 */
export async function runPipeline(doc: PipelineDocument, opts: RunOptions): Promise<RunResult> {
  const order = runnableOrder(doc, opts.catalog, opts.collect ?? []);
  const runId = randomId('run');
  const t0 = performance.now();
  const emit = (event: RunEvent): void => opts.onEvent?.(event);
  const supervisor = new Supervisor(doc, order, opts.catalog, opts.pool, emit, opts.parallelism);
  emit({ type: 'run-started', runId, stepIds: order });
  const onAbort = (): void => supervisor.cancel();
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Wire every edge (and every collected port) before any worker starts.
  const wiring = new Wiring(doc, opts.collect ?? []);
  const context: PrepareContext = { doc, opts, cache: opts.compileCache ?? sharedCache };
  for (const state of supervisor.states.values()) void start(state, context, supervisor, wiring);
  await supervisor.settled;
  opts.signal?.removeEventListener('abort', onAbort);

  const collected = await collect(wiring, supervisor);
  const steps = supervisor.results();
  const ok = Object.values(steps).every((s) => s.status === 'finished');
  const cancelled = opts.signal?.aborted ?? false;
  const ms = Math.round(performance.now() - t0);
  emit({ type: 'run-finished', runId, ok, cancelled, ms });
  return { runId, ok, cancelled, ms, steps, collected };
}

/**
 * The steps of `doc` in the order they are started (topological). Throws
 * {@link PipelineRunError} listing every validation error, a cycle, or a collected port of a
 * step `doc` does not have.
 */
function runnableOrder(
  doc: PipelineDocument,
  catalog: ModuleCatalog,
  collect: readonly string[],
): string[] {
  const errors = validatePipeline(doc, catalog).filter((i) => i.severity === 'error');
  const topo = topologicalOrder(doc);
  if (errors.length > 0 || !('order' in topo)) {
    const lines = errors.map((e) => e.message);
    if (!('order' in topo)) lines.push(`the pipeline has a cycle: ${topo.cycle.join(' → ')}`);
    throw new PipelineRunError(`the pipeline cannot run:\n${lines.join('\n')}`);
  }
  for (const key of collect) {
    const { stepId } = splitPortKey(key);
    if (!doc.steps.some((s) => s.id === stepId))
      throw new PipelineRunError(`collect: no step "${stepId}"`);
  }
  return topo.order;
}

/** Prepares one step and hands it to the supervisor; a preparation error fails the step. */
async function start(
  state: StepState,
  context: PrepareContext,
  supervisor: Supervisor,
  wiring: Wiring,
): Promise<void> {
  let prepared;
  try {
    prepared = await prepareStep(state.step, state.manifest, context);
  } catch (error) {
    supervisor.fail(state, error instanceof Error ? error.message : String(error));
    return;
  }
  supervisor.launch(state, prepared, wiring);
}

/**
 * The collected ports' data, once every step has settled. The data of a finished step arrives
 * on its own channel and may still be in flight: it is awaited. A failed or skipped producer
 * never ends its collection: that one is closed, or Node would stay alive.
 */
async function collect(
  wiring: Wiring,
  supervisor: Supervisor,
): Promise<Record<string, Uint8Array>> {
  const collectors = [...wiring.collectors.entries()];
  await Promise.all(
    collectors.filter(([, c]) => supervisor.finished(c.stepId)).map(([, c]) => c.ended),
  );
  const collected: Record<string, Uint8Array> = {};
  for (const [key, c] of collectors) {
    if (c.done) collected[key] = c.data();
    else c.close();
  }
  return collected;
}
