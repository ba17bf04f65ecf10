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
import { CallClockReader, createCallClock } from './call-clock';
import { postedSpec } from './module-handoff';
import type { WorkerHandle } from './env';
import { PREVIEW_ROWS, type RunEvent, type StepPhase } from './events';
import { CHART_MAX_ROWS } from './chart/params';
import type { WorkerPool } from './pool';
import type { PreparedStep } from './prepare';
import type { CacheEntryMeta } from './cache';
import type { Replay } from './cache-replay';
import { type FromWorker, PROTOCOL_VERSION, type StepSpec } from './protocol';
import { JAVASCRIPT_MODULE_ID, JS_TIMEOUT_GRACE_MS } from './javascript/prepare';
import { parallelizable } from './shard-link';
import type { StepResult } from './types';
import type { Wiring } from './wiring';

/** One step of a run, as the supervisor follows it. */
export interface StepState {
  step: Step;
  manifest: ModuleManifest;
  status: 'pending' | 'running' | 'finished' | 'cached' | 'failed' | 'skipped';
  /** The worker lent by the pool, while running. */
  worker?: WorkerHandle;
  /** What its worker runs (once launched). */
  spec?: StepSpec;
  /** Helper workers of a parallel step (streamable module or Parquet source). */
  shards?: WorkerHandle[];
  /** `performance.now()` at the start of its first invocation (ms). */
  startedAt?: number;
  /** Its worker's call clock, when one is shared (the start of its first call is read there). */
  clock?: CallClockReader;
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
  /** Cached steps replaying their output, by step id. */
  private readonly replays = new Map<string, Replay>();

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
    /** Workers a streamable ABI 2 step may run on (1: one instance in the step's worker). */
    private readonly parallelism = 1,
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

  /** Whether `stepId` finished or came from the cache. */
  finished(stepId: string): boolean {
    const status = this.states.get(stepId)?.status;
    return status === 'finished' || status === 'cached';
  }

  /**
   * Settles a pending step as served from the cache under `fingerprint` (its preview and
   * counts from `meta`), replaying its data with `replay` when a running step reads it.
   */
  serveCached(state: StepState, meta: CacheEntryMeta, fingerprint: string, replay?: Replay): void {
    if (state.status !== 'pending') return;
    const id = state.step.id;
    state.status = 'cached';
    if (replay) this.replays.set(id, replay);
    for (const [port, p] of Object.entries(meta.preview)) {
      this.emit({ type: 'preview', stepId: id, port, schema: p.schema, rows: p.rows });
    }
    const { rowsByPort, bytesByPort, ms, preview } = meta;
    const rowsOut = Object.values(rowsByPort).reduce((a, b) => a + b, 0);
    state.result = {
      stepId: id,
      status: 'cached',
      ms,
      rowsByPort,
      bytesByPort,
      preview,
      fingerprint,
    };
    this.emit({
      type: 'step-cached',
      stepId: id,
      rowsOut,
      rowsByPort,
      bytesByPort,
      ms,
      fingerprint,
    });
    this.markSettled(id);
  }

  /**
   * Resolves once every replay has sent all its data (to a collected port, too) or lost its
   * consumers; a consumer that fails or is skipped detaches from its replay, so this ends.
   */
  async replaysDone(): Promise<void> {
    await Promise.all([...this.replays.values()].map((r) => r.done));
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
   * Reports what a pending or running step is busy with, or (null) that it is over; nothing
   * once it has settled.
   */
  phase(state: StepState, phase: StepPhase | null): void {
    if (state.status !== 'pending' && state.status !== 'running') return;
    this.emit({ type: 'step-phase', stepId: state.step.id, phase });
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
    this.skipDownstream(id, id, `step "${id}" failed`);
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
    state.spec = prepared.spec;
    const clock = createCallClock();
    this.follow(state, worker, clock);
    const stepInputs = wiring.inputsOf(id);
    // Edges into steps that already failed or were skipped are not given to the producer:
    // nobody would ever give it credit on them.
    // Nor those into cached steps, which read nothing.
    const consumerGone = (edgeId: string): boolean => {
      const status = this.states.get(wiring.consumerOf(edgeId) ?? '')?.status;
      return status === 'failed' || status === 'skipped' || status === 'cached';
    };
    const stepOutputs = wiring.outputsOf(id).filter((w) => !consumerGone(w.edgeId));
    this.emit({ type: 'step-started', stepId: id });
    if (prepared.spec.kind === 'source')
      this.phase(state, { kind: 'reading', file: prepared.spec.name });
    worker.post(
      {
        type: 'run-step',
        protocol: PROTOCOL_VERSION,
        messageId: nextMessageId++,
        spec: postedSpec(worker, prepared.spec),
        inputs: stepInputs,
        outputs: stepOutputs,
        // A chart's preview is its whole chart table: the editor draws it.
        previewRows: prepared.spec.kind === 'chart' ? CHART_MAX_ROWS : PREVIEW_ROWS,
        ...(clock === undefined ? {} : { clock }),
      },
      [
        ...prepared.transfer,
        ...stepInputs.map((w) => w.channel),
        ...stepOutputs.map((w) => w.channel),
      ],
    );
  }

  /**
   * Answers a step's `want-shards`: when parallelism allows, helper workers sent `run-shard`
   * (one fewer than the parallelism: the step's own worker takes its share of the work), and
   * the channels to them for the step's own worker (which then deals its work out).
   */
  private sendShards(state: StepState, worker: WorkerHandle): void {
    const ports = state.spec === undefined ? [] : this.startShards(state, state.spec);
    const message = { type: 'shards', protocol: PROTOCOL_VERSION, messageId: 0, ports } as const;
    worker.post(message, ports);
  }

  private startShards(state: StepState, spec: StepSpec): MessagePort[] {
    if (this.parallelism < 2 || state.shards !== undefined || !parallelizable(spec)) return [];
    state.shards = [];
    const ports: MessagePort[] = [];
    for (let i = 1; i < this.parallelism; i++) {
      const worker = this.pool.acquire();
      const channel = new MessageChannel();
      const clock = createCallClock();
      state.shards.push(worker);
      this.followShard(state, worker, clock);
      const request = {
        protocol: PROTOCOL_VERSION,
        messageId: nextMessageId++,
        ...(clock === undefined ? {} : { clock }),
      } as const;
      const posted = postedSpec(worker, spec);
      worker.post({ type: 'run-shard', ...request, spec: posted, channel: channel.port2 }, [
        channel.port2,
      ]);
      ports.push(channel.port1);
    }
    return ports;
  }

  /** Listens to a shard's worker: its calls count against the step's limits, its failure fails the step. */
  private followShard(
    state: StepState,
    worker: WorkerHandle,
    clock: SharedArrayBuffer | undefined,
  ): void {
    const budget = this.callBudget(state, worker, clock);
    worker.onCrash((error) => this.fail(state, `a worker of the step crashed: ${error.message}`));
    worker.onMessage((message) => {
      if (message.type === 'shard-done') {
        state.shards = state.shards?.filter((w) => w !== worker);
        this.pool.release(worker);
        return;
      }
      if (state.status !== 'running') return;
      if (message.type === 'invoke-start') budget.start();
      else if (message.type === 'invoke-end') budget.end();
      else if (message.type === 'log') {
        this.emit({
          type: 'log',
          stepId: state.step.id,
          stream: message.stream,
          line: message.line,
        });
      } else if (message.type === 'step-error')
        this.fail(state, message.message, message.stderrTail);
    });
  }

  /**
   * The time limit of a step on one of its workers: it counts the time spent inside the module
   * over the whole step, and a call past it discards the worker and fails the step. With a call
   * clock, the pool watches the clock from now on; else the worker's `invoke-start` and
   * `invoke-end` messages call the returned `start` and `end`.
   */
  private callBudget(
    state: StepState,
    worker: WorkerHandle,
    clock: SharedArrayBuffer | undefined,
  ): { start(): void; end(): void } {
    const graceMs = state.step.moduleId === JAVASCRIPT_MODULE_ID ? JS_TIMEOUT_GRACE_MS : 0;
    let budgetMs = state.step.limits.timeoutMs + graceMs;
    const onTimeout = (): void => {
      if (state.worker === worker) delete state.worker;
      this.fail(state, `timed out after ${state.step.limits.timeoutMs} ms`);
    };
    if (clock !== undefined) {
      const reader = new CallClockReader(clock);
      this.pool.watch(worker, budgetMs, () => reader.usedMs(), onTimeout);
      return { start: () => undefined, end: () => undefined };
    }
    let callStartedAt = 0;
    return {
      start: () => {
        callStartedAt = performance.now();
        this.pool.arm(worker, Math.max(0, budgetMs), onTimeout);
      },
      end: () => {
        this.pool.disarm(worker);
        budgetMs -= performance.now() - callStartedAt;
      },
    };
  }

  /** Listens to a running step's worker: crashes, timeouts, and its reports. */
  private follow(
    state: StepState,
    worker: WorkerHandle,
    clock: SharedArrayBuffer | undefined,
  ): void {
    const id = state.step.id;
    let active = false;
    const budget = this.callBudget(state, worker, clock);
    if (clock !== undefined) state.clock = new CallClockReader(clock);
    worker.onCrash((error) => this.fail(state, `the step's worker crashed: ${error.message}`));
    worker.onMessage((message) => {
      if (state.status !== 'running') return;
      switch (message.type) {
        case 'invoke-start':
          if (!active) state.startedAt = performance.now();
          active = true;
          budget.start();
          return;
        case 'invoke-end':
          budget.end();
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
        case 'phase':
          this.phase(state, message.phase);
          return;
        case 'want-shards':
          this.sendShards(state, worker);
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
    // The final counts come with the end, not in a progress message of their own.
    const bytes = Object.values(message.bytesByPort).reduce((a, b) => a + b, 0);
    this.emit({ type: 'step-progress', stepId: id, rows: rowsOut, bytes });
    state.result = {
      stepId: id,
      status: 'finished',
      ms,
      rowsByPort: message.rowsByPort,
      bytesByPort: message.bytesByPort,
      invocations: message.invocations,
      busyMs: message.busyMs,
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
      this.replays.get(edge.from.step)?.detach(edge.id);
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

  /**
   * Returns a step's worker to the pool (`healthy`) or terminates it with its shards (a
   * healthy step's shards go back to the pool as each reports `shard-done`).
   */
  private release(state: StepState, healthy: boolean): void {
    if (!healthy) for (const shard of state.shards ?? []) this.pool.discard(shard);
    if (!healthy) delete state.shards;
    if (!state.worker) return;
    if (healthy) this.pool.release(state.worker);
    else this.pool.discard(state.worker);
    delete state.worker;
  }

  /** Milliseconds since the step started, rounded; 0 if it never started. */
  private elapsed(state: StepState): number {
    const startedAt = state.clock?.firstCallAt() ?? state.startedAt;
    return startedAt === undefined ? 0 : Math.round(performance.now() - startedAt);
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
