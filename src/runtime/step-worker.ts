/**
 * What a step worker does, free of any Worker API so that it can be tested in-thread: receive
 * a `run-step` request, read the step's input edges, run its module (`wasm-step.ts`) or its
 * host source, send the outputs on, and report progress, logs, previews and the outcome; or
 * serve as a shard of another worker's parallel step (`run-shard`), and pass on the main
 * thread's answer to a `want-shards`. The entry files only wire `onmessage`.
 */
import { DEFAULT_MAX_OUTPUT_MIB } from '../modules/manifest';
import { CallClockWriter } from './call-clock';
import { EdgeReceiver } from './edge';
import { WorkerModules } from './module-handoff';
import { StepError, StepOutputs } from './step-outputs';
import { readSource } from './sources/read';
import { runShard } from './shard';
import { runParquetShard } from './sources/parquet';
import { runWasmStep, withLogCap, type CappedHooks } from './wasm-step';
import { runJsStep } from './javascript/js-step';
import { runSqlStep } from './sql/sql-step';
import { runChartStep } from './chart/chart-step';
import type { FromWorker, PortPreview, StepSpec, ToWorker } from './protocol';
import { PROTOCOL_VERSION, serializeError } from './protocol';
import { describe as describeError } from './wasi-host';

/** Posts a message to the main thread. */
export type PostToMain = (message: FromWorker) => void;

/** The worker's state machine: one step at a time. */
export class StepWorker {
  private outputs: StepOutputs | null = null;
  /** Resolves the step's pending `want-shards` when the main thread answers. */
  private shardsAnswer: ((ports: MessagePort[]) => void) | null = null;
  /** Modules the main thread sent this worker, kept for its later steps. */
  private readonly modules = new WorkerModules();

  constructor(private readonly post: PostToMain) {}

  /** Handles one message from the main thread. */
  handle(message: ToWorker): void {
    if (message.protocol !== PROTOCOL_VERSION) {
      throw new Error(
        `step worker: protocol ${String(message.protocol)}, expected ${PROTOCOL_VERSION}`,
      );
    }
    if (message.type === 'detach-output') {
      this.outputs?.detach(message.edgeId);
      return;
    }
    if (message.type === 'run-shard') {
      this.shard(message);
      return;
    }
    if (message.type === 'shards') {
      this.shardsAnswer?.(message.ports);
      this.shardsAnswer = null;
      return;
    }
    void this.run(message);
  }

  /**
   * Calls into the module marked on the call clock shared with the main thread, or else
   * reported to it in messages (its timeouts); logs posted to it. The calls' time is added to
   * `busy.ms` (milliseconds inside the module, this worker only).
   */
  private hooks(
    requestId: number,
    stepId: string,
    clock: SharedArrayBuffer | undefined,
    busy = { ms: 0 },
  ): CappedHooks {
    const log = (stream: 'stdout' | 'stderr', line: string): void =>
      this.post({ type: 'log', requestId, stepId, stream, line });
    if (clock !== undefined) {
      const writer = new CallClockWriter(clock);
      return withLogCap({
        invokeStart: () => writer.start(),
        invokeEnd: () => {
          busy.ms += writer.end();
        },
        log,
      });
    }
    let startedAt = 0;
    return withLogCap({
      invokeStart: () => {
        startedAt = performance.now();
        this.post({ type: 'invoke-start', requestId, stepId });
      },
      invokeEnd: () => {
        busy.ms += performance.now() - startedAt;
        this.post({ type: 'invoke-end', requestId, stepId });
      },
      log,
    });
  }

  /** Helps a parallel step (an instance of its module, or a Parquet decoder) until finish. */
  private shard(request: Extract<ToWorker, { type: 'run-shard' }>): void {
    const { messageId: requestId } = request;
    const stepId = request.spec.stepId;
    const onEnd = (error?: unknown): void => {
      if (error === undefined) {
        this.post({ type: 'shard-done', requestId, stepId });
        return;
      }
      const tail = error instanceof StepError ? error.stderrTail : [];
      const message = describeError(error);
      this.post({ type: 'step-error', requestId, stepId, message, stderrTail: tail });
    };
    let spec: StepSpec;
    try {
      spec = this.modules.resolve(request.spec);
    } catch (error) {
      onEnd(error);
      return;
    }
    if (spec.kind === 'source') runParquetShard(spec, request.channel, onEnd);
    else if (spec.kind === 'wasm')
      runShard(spec, request.channel, this.hooks(requestId, stepId, request.clock), onEnd);
    else onEnd(new StepError(`a ${spec.kind} step has no shards`));
  }

  private async run(request: Extract<ToWorker, { type: 'run-step' }>): Promise<void> {
    const { messageId: requestId } = request;
    const stepId = request.spec.stepId;
    let spec: StepSpec;
    try {
      spec = this.modules.resolve(request.spec);
    } catch (error) {
      this.post({
        type: 'step-error',
        requestId,
        stepId,
        message: describeError(error),
        stderrTail: [],
      });
      return;
    }
    const ports = outputPorts(spec);
    const maxOutputMiB =
      spec.kind === 'source' ? Infinity : (spec.limits.maxOutputMiB ?? DEFAULT_MAX_OUTPUT_MIB);
    const outputs = new StepOutputs(
      ports,
      request.outputs,
      request.previewRows,
      (rows, bytes) => this.post({ type: 'progress', requestId, stepId, rows, bytes }),
      maxOutputMiB * 1024 * 1024,
    );
    this.outputs = outputs;
    const inputs = request.inputs.map((w) => ({
      port: w.port,
      receiver: new EdgeReceiver(w.edgeId, w.channel),
    }));
    const busy = { ms: 0 };
    const hooks = this.hooks(requestId, stepId, request.clock, busy);
    const requestShards = (): Promise<MessagePort[]> =>
      new Promise((resolve) => {
        this.shardsAnswer = resolve;
        this.post({ type: 'want-shards', requestId, stepId });
      });
    try {
      let invocations = 1;
      if (spec.kind === 'javascript') {
        invocations = await runJsStep(spec, inputs, outputs, hooks);
      } else if (spec.kind === 'sql') {
        invocations = await runSqlStep(spec, inputs, outputs, hooks);
      } else if (spec.kind === 'chart') {
        invocations = await runChartStep(spec, inputs, outputs, hooks);
      } else if (spec.kind === 'wasm') {
        invocations = await runWasmStep(spec, inputs, outputs, hooks, requestShards);
      } else {
        // Timed like a module call, but not counted as busy (a source has no module).
        const timing = this.hooks(requestId, stepId, request.clock);
        timing.invokeStart();
        try {
          invocations = await readSource(spec, outputs, requestShards);
        } finally {
          timing.invokeEnd();
        }
      }
      hooks.summarize();
      outputs.end();
      const rowsByPort: Record<string, number> = {};
      const bytesByPort: Record<string, number> = {};
      const preview: Record<string, PortPreview> = {};
      for (const [port, fanout] of outputs.fanouts) {
        rowsByPort[port] = fanout.rows;
        bytesByPort[port] = fanout.bytes;
        const p = outputs.previews.get(port)?.result();
        if (p) preview[port] = p;
      }
      this.post({
        type: 'step-done',
        requestId,
        stepId,
        rowsByPort,
        bytesByPort,
        invocations,
        busyMs: Math.round(busy.ms * 10) / 10,
        preview,
      });
    } catch (error) {
      hooks.summarize();
      outputs.abandon();
      for (const input of inputs) input.receiver.close();
      const tail = error instanceof StepError ? error.stderrTail : [];
      const failed: FromWorker = {
        type: 'step-error',
        requestId,
        stepId,
        message: describeError(error),
        stderrTail: tail,
      };
      if (!(error instanceof StepError)) failed.error = serializeError(error);
      this.post(failed);
    } finally {
      this.outputs = null;
    }
  }
}

/** The output ports a step's worker writes. */
function outputPorts(spec: StepSpec): string[] {
  if (spec.kind === 'wasm') return spec.outputs;
  if (spec.kind === 'javascript') return ['out'];
  if (spec.kind === 'chart') return ['chart'];
  return ['bytes', 'out'];
}
