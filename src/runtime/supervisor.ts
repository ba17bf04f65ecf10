/**
 * Supervising a run's steps on the main thread: each step's state (pending → running →
 * finished | failed | skipped), the worker lent to it and its timeout, the worker's reports
 * turned into run events, and what a failure entails: the step's worker is terminated, its
 * upstream producers are told to detach the edges into it (so they stop waiting for its
 * credit), and its downstream steps are skipped. Every other branch runs to its end.
 */
import type { ModuleCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import type { Edge, PipelineDocument, Step } from '../pipeline/types';
import type { WorkerHandle } from './env';
import { PREVIEW_ROWS, type RunEvent } from './events';
import type { WorkerPool } from './pool';
import type { PreparedStep } from './prepare';
import { type FromWorker, PROTOCOL_VERSION } from './protocol';
import type { StepResult } from './types';
import type { Wiring } from './wiring';

/** One step of a run, as the supervisor follows it. */
export interface StepState {
  step: Step;
  manifest: ModuleManifest;
  status: 'pending' | 'running' | 'finished' | 'failed' | 'skipped';
  /** The worker lent by the pool, while running. */
  worker?: WorkerHandle;
  /** `performance.now()` at the start of its first invocation (ms). */
  startedAt?: number;
  result?: StepResult;
}

/** Ids of `run-step` requests, unique in this thread (workers outlive runs). */
let nextMessageId = 1;

/** The steps of one run and their workers. */
export class Supervisor {
  /** Step states in topological order. */
  readonly states = new Map<string, StepState>();
  /** Resolves once every step has finished, failed or been skipped. */
  readonly settled: Promise<void>;
  private settle: () => void = () => undefined;
  private readonly unsettled = new Set<string>();
  private readonly edgesInto = new Map<string, Edge[]>();
  private readonly edgesOutOf = new Map<string, Edge[]>();

  /**
   * Follows the steps of `doc` in `order` (a topological order; steps of unknown modules are
   * left out, as validation has already refused them), borrowing workers from `pool` and
   * reporting through `emit`.
   */
  constructor(
    doc: PipelineDocument,
    order: readonly string[],
    catalog: ModuleCatalog,
    private readonly pool: WorkerPool,
    private readonly emit: (event: RunEvent) => void,
  ) {
    this.settled = new Promise<void>((resolve) => (this.settle = resolve));
    const steps = new Map(doc.steps.map((s) => [s.id, s]));
    for (const id of order) {
      const step = steps.get(id);
      const manifest = step && catalog.get(step.moduleId);
      if (step && manifest) this.states.set(id, { step, manifest, status: 'pending' });
    }
    for (const edge of doc.edges) {
      append(this.edgesInto, edge.to.step, edge);
      append(this.edgesOutOf, edge.from.step, edge);
    }
    for (const id of this.states.keys()) this.unsettled.add(id);
    if (this.states.size === 0) this.settle();
  }

  /** The results of every step (a step never settled counts as skipped). */
  results(): Record<string, StepResult> {
    const steps: Record<string, StepResult> = {};
    for (const [id, state] of this.states) {
      steps[id] = state.result ?? { stepId: id, status: 'skipped', ms: 0, rowsByPort: {} };
    }
    return steps;
  }

  /** Whether `stepId` finished. */
  finished(stepId: string): boolean {
    return this.states.get(stepId)?.status === 'finished';
  }

  /** Skips every step not yet settled: the run was cancelled. */
  cancel(): void {
    for (const state of this.states.values()) {
      if (state.status === 'pending' || state.status === 'running') {
        this.settleSkipped(state, null, 'the run was cancelled');
      }
    }
  }

  /**
   * Fails a pending or running step with `message` (and the last lines of its stderr): its
   * worker is discarded, its producers detach from it, its downstream steps are skipped.
   */
  fail(state: StepState, message: string, stderrTail: string[] = []): void {
    if (state.status !== 'pending' && state.status !== 'running') return;
    const id = state.step.id;
    const ms = this.elapsed(state);
    this.release(state, false);
    state.status = 'failed';
    state.result = { stepId: id, status: 'failed', ms, rowsByPort: {}, message };
    this.emit({ type: 'step-failed', stepId: id, message, stderrTail, ms });
    this.detachInputs(id);
    this.skipDownstream(id, id, `skipped: step "${id}" failed`);
    this.markSettled(id);
  }

  /**
   * Gives a prepared step a worker and its channels from `wiring`, unless it was settled while
   * it was being prepared. Fails the step when the pool has no worker for it.
   */
  launch(state: StepState, prepared: PreparedStep, wiring: Wiring): void {
    if (state.status !== 'pending') return;
    const id = state.step.id;
    let worker: WorkerHandle;
    try {
      worker = this.pool.acquire();
    } catch (error) {
      this.fail(
        state,
        `no worker for the step: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    state.worker = worker;
    state.status = 'running';
    state.startedAt = performance.now();
    this.follow(state, worker);
    const stepInputs = wiring.inputsOf(id);
    // Edges into steps that already failed or were skipped are not given to the producer:
    // nobody would ever give it credit on them.
    const consumerGone = (edgeId: string): boolean => {
      const consumer = this.states.get(wiring.consumerOf(edgeId) ?? '');
      return consumer?.status === 'failed' || consumer?.status === 'skipped';
    };
    const stepOutputs = wiring.outputsOf(id).filter((w) => !consumerGone(w.edgeId));
    this.emit({ type: 'step-started', stepId: id });
    worker.post(
      {
        type: 'run-step',
        protocol: PROTOCOL_VERSION,
        messageId: nextMessageId++,
        spec: prepared.spec,
        inputs: stepInputs,
        outputs: stepOutputs,
        previewRows: PREVIEW_ROWS,
      },
      [
        ...prepared.transfer,
        ...stepInputs.map((w) => w.channel),
        ...stepOutputs.map((w) => w.channel),
      ],
    );
  }

  /** Listens to a running step's worker: crashes, timeouts, and its reports. */
  private follow(state: StepState, worker: WorkerHandle): void {
    const id = state.step.id;
    let active = false;
    let budgetMs = state.step.limits.timeoutMs;
    let callStartedAt = 0;
    worker.onCrash((error) => this.fail(state, `the step's worker crashed: ${error.message}`));
    worker.onMessage((message) => {
      if (state.status !== 'running') return;
      switch (message.type) {
        case 'invoke-start':
          if (!active) state.startedAt = performance.now();
          active = true;
          callStartedAt = performance.now();
          // The limit is on the time spent inside the module over the whole step.
          this.pool.arm(worker, Math.max(0, budgetMs), () => {
            delete state.worker;
            this.fail(state, `timed out after ${state.step.limits.timeoutMs} ms`);
          });
          return;
        case 'invoke-end':
          this.pool.disarm(worker);
          budgetMs -= performance.now() - callStartedAt;
          return;
        case 'progress':
          this.emit({
            type: 'step-progress',
            stepId: id,
            rows: message.rows,
            bytes: message.bytes,
          });
          return;
        case 'log':
          this.emit({ type: 'log', stepId: id, stream: message.stream, line: message.line });
          return;
        case 'step-error':
          this.fail(state, message.message, message.stderrTail);
          return;
        case 'step-done':
          this.finish(state, message);
          return;
      }
    });
  }

  /** A step's worker reported success: the worker goes back to the pool. */
  private finish(state: StepState, message: Extract<FromWorker, { type: 'step-done' }>): void {
    const id = state.step.id;
    const ms = this.elapsed(state);
    this.release(state, true);
    state.status = 'finished';
    for (const [port, p] of Object.entries(message.preview)) {
      this.emit({ type: 'preview', stepId: id, port, schema: p.schema, rows: p.rows });
    }
    const rowsOut = Object.values(message.rowsByPort).reduce((a, b) => a + b, 0);
    state.result = {
      stepId: id,
      status: 'finished',
      ms,
      rowsByPort: message.rowsByPort,
      invocations: message.invocations,
      preview: message.preview,
    };
    this.emit({ type: 'step-finished', stepId: id, rowsOut, rowsByPort: message.rowsByPort, ms });
    this.markSettled(id);
  }

  private markSettled(id: string): void {
    this.unsettled.delete(id);
    if (this.unsettled.size === 0) this.settle();
  }

  /** Tells the running producers of `id`'s inputs to stop sending to it. */
  private detachInputs(id: string): void {
    for (const edge of this.edgesInto.get(id) ?? []) {
      const producer = this.states.get(edge.from.step);
      if (producer?.status === 'running' && producer.worker) {
        producer.worker.post(
          { type: 'detach-output', protocol: PROTOCOL_VERSION, messageId: 0, edgeId: edge.id },
          [],
        );
      }
    }
  }

  /** Skips every unsettled step downstream of `from`, transitively. */
  private skipDownstream(causeId: string | null, from: string, reason: string): void {
    for (const edge of this.edgesOutOf.get(from) ?? []) {
      const target = this.states.get(edge.to.step);
      if (!target || (target.status !== 'pending' && target.status !== 'running')) continue;
      this.settleSkipped(target, causeId, reason);
      this.skipDownstream(causeId, target.step.id, reason);
    }
  }

  /** Returns a step's worker to the pool (`healthy`) or terminates it. */
  private release(state: StepState, healthy: boolean): void {
    if (!state.worker) return;
    if (healthy) this.pool.release(state.worker);
    else this.pool.discard(state.worker);
    delete state.worker;
  }

  /** Milliseconds since the step started, rounded; 0 if it never started. */
  private elapsed(state: StepState): number {
    return state.startedAt === undefined ? 0 : Math.round(performance.now() - state.startedAt);
  }

  private settleSkipped(state: StepState, causeId: string | null, reason: string): void {
    const id = state.step.id;
    this.release(state, false);
    state.status = 'skipped';
    state.result = { stepId: id, status: 'skipped', ms: 0, rowsByPort: {}, message: reason };
    this.emit({ type: 'step-skipped', stepId: id, causeStepId: causeId, reason });
    this.detachInputs(id);
    this.markSettled(id);
  }
}

/** Appends `value` to the list at `key`. */
function append<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
