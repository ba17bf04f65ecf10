/**
 * Runs a pipeline: prepares every step (module compiled once, imports inspected, source bytes
 * resolved), wires one MessageChannel per edge, starts one worker per step, and follows their
 * reports. A failing step fails alone: its downstream steps are skipped, its upstream steps stop
 * sending to it, every other branch runs to its end.
 */
import { CompileCache, moduleKey } from '../modules/compile-cache';
import { describeRefusal, inspectImports } from '../modules/imports';
import type { ModuleManifest } from '../modules/manifest';
import { topologicalOrder } from '../pipeline/graph';
import { randomId } from '../pipeline/ids';
import type { PipelineDocument, Step } from '../pipeline/types';
import { validatePipeline } from '../pipeline/validate';
import { EdgeReceiver } from './edge';
import type { WorkerHandle } from './env';
import { PREVIEW_ROWS, type RunEvent } from './events';
import { concatStream } from './ipc';
import type { InputWire, OutputWire, StepSpec } from './protocol';
import { PROTOCOL_VERSION } from './protocol';
import type { RunOptions, RunResult, StepResult } from './types';
import { memoryMaximumPages, withMemoryMaximum } from './wasm-binary';
import { formatOfName } from './sources/format';
import { columnsReadDownstream } from './projection';

/** Rows per record batch when a source decodes Parquet. */
export const PARQUET_BATCH_ROWS = 65536;

/**
 * Rows of consecutive batches a streamable module runs on per invocation (four Parquet
 * batches): each invocation pays for a fresh instance and memory, so small batches are grouped.
 */
export const STREAM_INVOCATION_ROWS = 262144;

/** The pipeline cannot start (invalid document); step failures never raise this. */
export class PipelineRunError extends Error {
  override name = 'PipelineRunError';
}

const sharedCache = new CompileCache();

type StepState = {
  step: Step;
  manifest: ModuleManifest;
  status: 'pending' | 'running' | 'finished' | 'failed' | 'skipped';
  worker?: WorkerHandle;
  startedAt?: number;
  result?: StepResult;
};

/**
 * Runs `doc` and resolves when every step has finished, failed or been skipped. Rejects only
 * with {@link PipelineRunError} when the document does not validate against `opts.catalog`.
 */
export async function runPipeline(doc: PipelineDocument, opts: RunOptions): Promise<RunResult> {
  const errors = validatePipeline(doc, opts.catalog).filter((i) => i.severity === 'error');
  const topo = topologicalOrder(doc);
  if (errors.length > 0 || !('order' in topo)) {
    const lines = errors.map((e) => e.message);
    if (!('order' in topo)) lines.push(`the pipeline has a cycle: ${topo.cycle.join(' → ')}`);
    throw new PipelineRunError(`the pipeline cannot run:\n${lines.join('\n')}`);
  }
  const runId = randomId('run');
  const t0 = performance.now();
  const emit = (event: RunEvent): void => opts.onEvent?.(event);
  const cache = opts.compileCache ?? sharedCache;
  const states = new Map<string, StepState>();
  for (const id of topo.order) {
    const step = doc.steps.find((s) => s.id === id);
    const manifest = step && opts.catalog.get(step.moduleId);
    if (step && manifest) states.set(id, { step, manifest, status: 'pending' });
  }
  emit({ type: 'run-started', runId, stepIds: topo.order });

  let settle: () => void = () => undefined;
  const allSettled = new Promise<void>((resolve) => (settle = resolve));
  const unsettled = new Set(states.keys());
  // Collected outputs; `raw` for a bytes port, whose data is not an IPC stream.
  const collectors = new Map<
    string,
    { receiver: EdgeReceiver; parts: Uint8Array[]; raw: boolean; done: boolean }
  >();

  const markSettled = (id: string): void => {
    unsettled.delete(id);
    if (unsettled.size === 0) settle();
  };
  const detachInputs = (id: string): void => {
    for (const edge of doc.edges) {
      if (edge.to.step !== id) continue;
      const producer = states.get(edge.from.step);
      if (producer?.status === 'running' && producer.worker) {
        producer.worker.post(
          { type: 'detach-output', protocol: PROTOCOL_VERSION, messageId: 0, edgeId: edge.id },
          [],
        );
      }
    }
  };
  const skipDownstream = (causeId: string | null, from: string, reason: string): void => {
    for (const edge of doc.edges) {
      if (edge.from.step !== from) continue;
      const target = states.get(edge.to.step);
      if (!target || (target.status !== 'pending' && target.status !== 'running')) continue;
      settleSkipped(target, causeId, reason);
      skipDownstream(causeId, target.step.id, reason);
    }
  };
  const release = (state: StepState, healthy: boolean): void => {
    if (!state.worker) return;
    if (healthy) opts.pool.release(state.worker);
    else opts.pool.discard(state.worker);
    delete state.worker;
  };
  const elapsed = (state: StepState): number =>
    state.startedAt === undefined ? 0 : Math.round(performance.now() - state.startedAt);
  const settleSkipped = (state: StepState, causeId: string | null, reason: string): void => {
    const id = state.step.id;
    release(state, false);
    state.status = 'skipped';
    state.result = { stepId: id, status: 'skipped', ms: 0, rowsByPort: {}, message: reason };
    emit({ type: 'step-skipped', stepId: id, causeStepId: causeId, reason });
    detachInputs(id);
    markSettled(id);
  };
  const fail = (state: StepState, message: string, stderrTail: string[] = []): void => {
    if (state.status !== 'pending' && state.status !== 'running') return;
    const id = state.step.id;
    const ms = elapsed(state);
    release(state, false);
    state.status = 'failed';
    state.result = { stepId: id, status: 'failed', ms, rowsByPort: {}, message };
    emit({ type: 'step-failed', stepId: id, message, stderrTail, ms });
    detachInputs(id);
    skipDownstream(id, id, `skipped: step "${id}" failed`);
    markSettled(id);
  };

  const onAbort = (): void => {
    for (const state of states.values()) {
      if (state.status === 'pending' || state.status === 'running') {
        settleSkipped(state, null, 'the run was cancelled');
      }
    }
  };
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  // Wire every edge (and every collected port) before any worker starts.
  const inputs = new Map<string, InputWire[]>();
  const outputs = new Map<string, OutputWire[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    map.set(key, [...(map.get(key) ?? []), value]);
  };
  for (const edge of doc.edges) {
    const channel = new MessageChannel();
    push(outputs, edge.from.step, {
      port: edge.from.port,
      edgeId: edge.id,
      channel: channel.port1,
    });
    push(inputs, edge.to.step, { port: edge.to.port, edgeId: edge.id, channel: channel.port2 });
  }
  for (const key of opts.collect ?? []) {
    const dot = key.lastIndexOf('.');
    const [stepId, port] = [key.slice(0, dot), key.slice(dot + 1)];
    if (!states.has(stepId)) throw new PipelineRunError(`collect: no step "${stepId}"`);
    const channel = new MessageChannel();
    const edgeId = `collect:${key}`;
    push(outputs, stepId, { port, edgeId, channel: channel.port1 });
    const collector = {
      receiver: new EdgeReceiver(edgeId, channel.port2),
      parts: [] as Uint8Array[],
      raw: false,
      done: false,
    };
    collectors.set(key, collector);
    void (async () => {
      for (;;) {
        const message = await collector.receiver.next();
        if (message === null) break;
        collector.parts.push(message.bytes);
        collector.raw ||= message.kind === 'bytes';
        collector.receiver.ack();
      }
      collector.done = true;
    })();
  }

  const prepare = async (
    state: StepState,
  ): Promise<{ spec: StepSpec; transfer: Transferable[] }> => {
    const { step, manifest } = state;
    if (manifest.kind === 'host') {
      const uri = String(step.params.uri ?? '');
      const resolved = await opts.resolveSource(uri);
      const format =
        (step.params.format as 'csv' | 'arrow' | 'parquet' | undefined) ??
        formatOfName(resolved.name);
      if (format === null)
        throw new Error(
          `${resolved.name}: unknown file format (expected .csv, .tsv, .arrow or .parquet)`,
        );
      const bytes = ownedBuffer(resolved.bytes);
      const spec: StepSpec = {
        kind: 'source',
        stepId: step.id,
        name: resolved.name,
        bytes,
        format,
        batchRows: PARQUET_BATCH_ROWS,
      };
      if (format === 'parquet') {
        if (!opts.loadParquetWasm)
          throw new Error('Parquet is not supported here (no parquet-wasm loader)');
        const load = opts.loadParquetWasm;
        const read = opts.projectColumns
          ? columnsReadDownstream(doc, step.id, 'out', opts.collect)
          : null;
        if (read !== null && read.size > 0) spec.columns = [...read];
        spec.parquetModule = await cache.get('parquet-wasm', () => load());
      }
      return { spec, transfer: [bytes] };
    }
    const maxPages = memoryMaximumPages(step.limits.maxMemoryMiB);
    const key = `${moduleKey(manifest.id, manifest.version)}#max${maxPages}`;
    const module = await cache.get(key, async () => {
      const rewritten = withMemoryMaximum(await opts.loadModule(manifest.id), maxPages);
      if (!rewritten.ok)
        throw new Error(
          `memory limit of ${step.limits.maxMemoryMiB} MiB exceeded: ${rewritten.message}`,
        );
      return rewritten.bytes;
    });
    const inspection = inspectImports(module, step.permissions);
    if (!inspection.ok) throw new Error(describeRefusal(inspection.refused));
    const spec: StepSpec = {
      kind: 'wasm',
      stepId: step.id,
      moduleId: manifest.id,
      module,
      params: step.params,
      permissions: step.permissions,
      limits: step.limits,
      streamable: manifest.streamable,
      invocationRows: STREAM_INVOCATION_ROWS,
      inputs: manifest.inputs.map((p) => ({ name: p.name, type: p.type })),
      outputs: manifest.outputs.map((p) => p.name),
    };
    return { spec, transfer: [] };
  };

  const start = async (state: StepState): Promise<void> => {
    let prepared;
    try {
      prepared = await prepare(state);
    } catch (error) {
      fail(state, error instanceof Error ? error.message : String(error));
      return;
    }
    if (state.status !== 'pending') return;
    const id = state.step.id;
    let worker: WorkerHandle;
    try {
      worker = opts.pool.acquire();
    } catch (error) {
      fail(
        state,
        `no worker for the step: ${error instanceof Error ? error.message : String(error)}`,
      );
      return;
    }
    state.worker = worker;
    state.status = 'running';
    state.startedAt = performance.now();
    let active = false;
    worker.onCrash((error) => fail(state, `the step's worker crashed: ${error.message}`));
    worker.onMessage((message) => {
      if (state.status !== 'running') return;
      switch (message.type) {
        case 'invoke-start':
          if (!active) state.startedAt = performance.now();
          active = true;
          opts.pool.arm(worker, state.step.limits.timeoutMs, () => {
            delete state.worker;
            fail(state, `timed out after ${state.step.limits.timeoutMs} ms`);
          });
          return;
        case 'invoke-end':
          opts.pool.disarm(worker);
          return;
        case 'progress':
          emit({ type: 'step-progress', stepId: id, rows: message.rows, bytes: message.bytes });
          return;
        case 'log':
          emit({ type: 'log', stepId: id, stream: message.stream, line: message.line });
          return;
        case 'step-error':
          fail(state, message.message, message.stderrTail);
          return;
        case 'step-done': {
          const ms = elapsed(state);
          release(state, true);
          state.status = 'finished';
          for (const [port, p] of Object.entries(message.preview)) {
            emit({ type: 'preview', stepId: id, port, schema: p.schema, rows: p.rows });
          }
          const rowsOut = Object.values(message.rowsByPort).reduce((a, b) => a + b, 0);
          state.result = {
            stepId: id,
            status: 'finished',
            ms,
            rowsByPort: message.rowsByPort,
            bytesByPort: message.bytesByPort,
            invocations: message.invocations,
            preview: message.preview,
          };
          emit({ type: 'step-finished', stepId: id, rowsOut, rowsByPort: message.rowsByPort, ms });
          markSettled(id);
          return;
        }
      }
    });
    const stepInputs = inputs.get(id) ?? [];
    // Edges into steps that already failed or were skipped are not given to the producer:
    // nobody would ever give it credit on them.
    const consumerGone = (edgeId: string): boolean => {
      const consumer = states.get(doc.edges.find((e) => e.id === edgeId)?.to.step ?? '');
      return consumer?.status === 'failed' || consumer?.status === 'skipped';
    };
    const stepOutputs = (outputs.get(id) ?? []).filter((w) => !consumerGone(w.edgeId));
    emit({ type: 'step-started', stepId: id });
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
  };

  for (const state of states.values()) void start(state);
  if (states.size === 0) settle();
  await allSettled;
  opts.signal?.removeEventListener('abort', onAbort);
  // Collected data arrives on its own channel; let the last messages land.
  await waitFor(() =>
    [...collectors.entries()].every(([key, c]) => c.done || !finished(states, key)),
  );

  const steps: Record<string, StepResult> = {};
  for (const [id, state] of states) {
    steps[id] = state.result ?? { stepId: id, status: 'skipped', ms: 0, rowsByPort: {} };
  }
  const collected: Record<string, Uint8Array> = {};
  for (const [key, c] of collectors) {
    if (c.done) collected[key] = c.raw ? joinParts(c.parts) : concatStream(c.parts);
    // A failed producer never ends its collection: close it, or Node would stay alive.
    else c.receiver.close();
  }
  const ok = Object.values(steps).every((s) => s.status === 'finished');
  const cancelled = opts.signal?.aborted ?? false;
  const ms = Math.round(performance.now() - t0);
  emit({ type: 'run-finished', runId, ok, cancelled, ms });
  return { runId, ok, cancelled, ms, steps, collected };
}

let nextMessageId = 1;

function finished(states: Map<string, StepState>, key: string): boolean {
  return states.get(key.slice(0, key.lastIndexOf('.')))?.status === 'finished';
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

/** The bytes in an ArrayBuffer of their own (no copy when they already are). */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}

/** Raw bytes of a bytes port, joined. */
function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
