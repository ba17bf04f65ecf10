/**
 * Runs a pipeline: looks its steps up in the step-output cache when it has one
 * (`cache-plan.ts`), prepares every other step (`prepare.ts`: module compiled once, imports
 * inspected, source bytes resolved), wires one MessageChannel per edge (`wiring.ts`), replays
 * cached outputs into the steps that run (`cache-replay.ts`), starts one worker per step that
 * runs and follows their reports (`supervisor.ts`), ends the run, and only then stores what
 * they output (`RunResult.stored`; the next run with the same cache waits for it). A failing
 * step fails alone: its downstream steps are skipped, its upstream steps stop sending to it,
 * every other branch runs to its end.
 */
import { randomId } from '../pipeline/ids';
import type { PipelineDocument } from '../pipeline/types';
import { applyBypass, bypassedTargets } from './bypass';
import { runScope, type RunScope } from './run-scope';
import type { RunEvent } from './events';
import type { CacheEntryMeta, CachedPorts, StepCache } from './cache';
import { type CachePlan, planCache } from './cache-plan';
import { Replay } from './cache-replay';
import { cacheTaps } from './cache-taps';
import { END_OF_STREAM } from './ipc';
import { prepareStep, sharedCompileCache, type PrepareContext } from './prepare';
import { type StepState, Supervisor } from './supervisor';
import type { RunOptions, RunResult, StepResult } from './types';
import { splitPortKey, Wiring } from './wiring';
import { yieldToThread } from './yield';

export { PARQUET_BATCH_ROWS, STREAM_INVOCATION_ROWS } from './prepare';

/** The pipeline cannot start (invalid document); step failures never raise this. */
export class PipelineRunError extends Error {
  override name = 'PipelineRunError';
}

/** The stores still under way per cache, which the next run with that cache waits for. */
const storing = new WeakMap<StepCache, Promise<void>>();

/**
 * Runs `doc` and resolves when every step has finished, failed or been skipped. Rejects only
 * with {@link PipelineRunError} when the document does not validate against `opts.catalog` or
 * `opts.collect` names a step it does not have.
 */
export async function runPipeline(
  original: PipelineDocument,
  opts: RunOptions,
): Promise<RunResult> {
  const bypassed = applyBypass(original, opts.catalog);
  const { doc, passed, off } = bypassed;
  const targets = bypassedTargets(opts.targets, bypassed);
  const { order, blocked, runDoc } = runnableOrder(doc, { ...opts, targets, off });
  const runId = randomId('run');
  const t0 = performance.now();
  const emit = (event: RunEvent): void => opts.onEvent?.(event);
  // A run right after another must see the outputs the other is still storing.
  if (opts.cache) await storing.get(opts.cache);
  const plan = opts.cache
    ? await planCache(doc, order, opts.cache, opts, runId, opts.sampleRows)
    : null;
  const supervisor = new Supervisor(runDoc, order, opts.catalog, opts.pool, emit, opts.parallelism);
  emit({ type: 'run-started', runId, stepIds: order });
  const skippedBefore = new Map([
    ...[...blocked].map(([id, reason]): [string, string] => [
      id,
      off.has(id) ? reason : `cannot run: ${reason}`,
    ]),
    ...passed,
  ]);
  for (const [stepId, reason] of skippedBefore)
    emit({ type: 'step-skipped', stepId, causeStepId: null, reason });
  const onAbort = (): void => supervisor.cancel();
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Wire every edge (and every collected or tapped port) before any worker starts.
  const taps = plan ? cacheTaps(doc, [...supervisor.states.values()], plan, targets) : null;
  const wiring = new Wiring(
    runDoc,
    opts.collect ?? [],
    taps?.whole,
    opts.cache?.maxEntryBytes,
    taps?.endOnly,
  );
  const replays = plan ? serveCached(plan, supervisor, wiring, opts.sampleRows) : [];
  const context: PrepareContext = { doc, opts, cache: opts.compileCache ?? sharedCompileCache };
  void startAll([...supervisor.states.values()], context, supervisor, wiring);
  await supervisor.settled;
  await supervisor.replaysDone();
  opts.signal?.removeEventListener('abort', onAbort);

  const collected = await collect(wiring, supervisor);
  const steps = supervisor.results();
  for (const [stepId, message] of skippedBefore)
    steps[stepId] = { stepId, status: 'skipped', ms: 0, rowsByPort: {}, message };
  for (const [id, result] of Object.entries(steps)) {
    if (plan) result.fingerprint = plan.fingerprints[id]!;
  }
  // A step bypassed to pass its input through did what its switch asked: the run is still ok.
  const ok = Object.values(steps).every(
    (s) => s.status === 'finished' || s.status === 'cached' || passed.has(s.stepId),
  );
  const cancelled = opts.signal?.aborted ?? false;
  const ms = Math.round(performance.now() - t0);
  // The results are shown first: storing (and persisting) the outputs never delays them.
  emit({ type: 'run-finished', runId, ok, cancelled, ms });
  const cut = replays.map((r) => r.sampledRows).filter((rows) => rows !== null);
  // Outputs computed on a sample are no step's output: none is stored.
  const stored =
    plan && opts.cache && cut.length === 0
      ? storeLater(plan, opts.cache, wiring, steps)
      : Promise.resolve();
  const result: RunResult = { runId, ok, cancelled, ms, steps, collected, stored };
  if (cut.length > 0) result.sampledRows = Math.max(...cut);
  return result;
}

/** Starts {@link storeOutputs} after the run's end, and registers it for the next run. */
function storeLater(
  plan: CachePlan,
  cache: StepCache,
  wiring: Wiring,
  steps: Record<string, StepResult>,
): Promise<void> {
  // A cache must not reject (see StepCache.store); if one does, the entry is simply missing.
  const stored = storeOutputs(plan, cache, wiring, steps).catch(() => undefined);
  const before = storing.get(cache);
  const all = before ? Promise.all([before, stored]).then(() => undefined) : stored;
  storing.set(cache, all);
  void all.then(() => {
    if (storing.get(cache) === all) storing.delete(cache);
  });
  return stored;
}

/**
 * The steps of `doc` a run starts, in the order they are started (topological), and those it
 * skips (`run-scope.ts`). Throws {@link PipelineRunError} listing the validation errors that
 * stop the whole run, a cycle, or a collected port of a step `doc` does not have.
 */
function runnableOrder(
  doc: PipelineDocument,
  opts: RunOptions & { off: ReadonlyMap<string, string> },
): RunScope {
  let scope: RunScope;
  try {
    scope = runScope(doc, opts.catalog, opts);
  } catch (error) {
    throw new PipelineRunError((error as Error).message);
  }
  for (const key of opts.collect ?? []) {
    const { stepId } = splitPortKey(key);
    if (!doc.steps.some((s) => s.id === stepId))
      throw new PipelineRunError(`collect: no step "${stepId}"`);
  }
  return scope;
}

/**
 * Settles the cached steps of `plan`, replaying the data of those read by a running step (or
 * collected) on their wires into steps that run, each port cut to its first `sampleRows` rows
 * (whole batches). Returns the replays.
 */
function serveCached(
  plan: CachePlan,
  supervisor: Supervisor,
  wiring: Wiring,
  sampleRows?: number,
): Replay[] {
  const replays: Replay[] = [];
  for (const [id, cached] of plan.cached) {
    const state = supervisor.states.get(id);
    if (!state) continue;
    const read = wiring.outputsOf(id).filter((w) => {
      const consumer = wiring.consumerOf(w.edgeId);
      return (
        consumer === undefined || (supervisor.states.has(consumer) && !plan.cached.has(consumer))
      );
    });
    const replay =
      cached.data && read.length > 0 ? new Replay(cached.data, read, sampleRows) : undefined;
    if (replay) replays.push(replay);
    supervisor.serveCached(state, cached.meta, plan.fingerprints[id]!, replay);
  }
  return replays;
}

/**
 * Stores the output of every step that finished in this run, unless it is uncacheable or was
 * cut short by its consumers (a tap ended `partial`); data too big for one entry, raw bytes
 * (a CSV source: re-reading the file costs what a replay would), or the data of a step re-run
 * more cheaply from its kept input (`cache-taps.ts`) keep their meta only. A port's
 * data is kept as the parts its tap received (plus the end-of-stream marker), never joined: no
 * second copy of the output, no long copy on the main thread.
 */
async function storeOutputs(
  plan: CachePlan,
  cache: StepCache,
  wiring: Wiring,
  steps: Record<string, StepResult>,
): Promise<void> {
  const stores: Promise<void>[] = [];
  for (const [id, result] of Object.entries(steps)) {
    const fingerprint = plan.fingerprints[id]!;
    if (result.status !== 'finished' || plan.uncacheable.has(id)) continue;
    const taps = [...wiring.taps.entries()].filter(([, c]) => c.stepId === id);
    await Promise.all(taps.map(([, c]) => c.ended));
    if (taps.some(([, c]) => c.partial)) continue;
    let data: CachedPorts | null = {};
    for (const [key, c] of taps) {
      if (c.raw || c.overflow || c.endOnly) data = null;
      else if (data !== null) data[splitPortKey(key).port] = [...c.parts(), END_OF_STREAM];
    }
    const dataBytes = data === null ? null : cachedBytes(data);
    const meta: CacheEntryMeta = {
      fingerprint,
      stepId: id,
      rowsByPort: result.rowsByPort,
      bytesByPort: result.bytesByPort ?? {},
      ms: result.ms,
      preview: result.preview ?? {},
      storedAtMs: Date.now(),
      dataBytes,
    };
    stores.push(cache.store(meta, data));
  }
  await Promise.all(stores);
}

/** Bytes of data in `data`, over every port's parts. */
function cachedBytes(data: CachedPorts): number {
  let bytes = 0;
  for (const parts of Object.values(data)) for (const part of parts) bytes += part.byteLength;
  return bytes;
}

/**
 * Starts each step still pending, in order, each in a task of its own: the page answers input
 * between two steps' preparations (a module's bytes checked, a worker spawned, a spec posted),
 * which together held the editor's main thread for one long task of the Run click.
 */
async function startAll(
  states: readonly StepState[],
  context: PrepareContext,
  supervisor: Supervisor,
  wiring: Wiring,
): Promise<void> {
  for (const state of states) {
    if (state.status !== 'pending') continue;
    void start(state, context, supervisor, wiring);
    await yieldToThread();
  }
}

/**
 * Prepares one step and hands it to the supervisor; a preparation error fails the step. A
 * WebAssembly step reports that its module is loading (fetched and compiled on a first run).
 */
async function start(
  state: StepState,
  context: PrepareContext,
  supervisor: Supervisor,
  wiring: Wiring,
): Promise<void> {
  const { manifest } = state;
  if (manifest.kind !== 'host')
    supervisor.phase(state, { kind: 'loading-module', moduleId: manifest.id });
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
