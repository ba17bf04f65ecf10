/**
 * Running an ABI v2 module step inside its worker (`modules/sdk/ABI.md` §11): one instance
 * for the whole step. The schema of every arrow input is read first (the params' expression is
 * compiled against the first), then `qv_begin`, one `qv_push` per schema, then every further
 * message of each input, one port after the other: the ports that hold their input (a join's
 * build side) first, then the others in manifest order; and `qv_finish`. After each call the
 * module's output messages go downstream. When the module says it is done (a satisfied limit),
 * or when every consumer of this step has gone, the inputs are stopped upstream.
 *
 * Several inputs and backpressure: a port not being read yet *spills* (its messages are
 * credited on arrival and wait in the worker), so its producer never waits for this step. Else
 * two inputs fed by one upstream step (a self-join, a union of two filters of one source)
 * would deadlock: the upstream step blocks on the port read later, and so never ends the port
 * read first. The port being read has the usual credit (`EDGE_CREDITS`), so a streamed probe
 * side flows with bounded memory once the held side has ended.
 */
import { BatchStarts, wordStepError } from './row-words';
import type { EdgeReceiver, ReceivedMessage } from './edge';
import type { StepData } from './module-data';
import { GuardedPreopenDirectory } from './wasi-fs';
import type { WasmStepSpec } from './protocol';
import { ReactorError, ReactorInstance, type ReactorOutput } from './reactor-host';
import { releaseBuffer } from './release';
import { StepError, type StepOutputs } from './step-outputs';
import { paramsBytes } from './step-params';
import type { InvokeHooks } from './wasm-step';

type Input = { port: string; receiver: EdgeReceiver };
/** An input port of the step with its receiver. */
export type Port = {
  index: number;
  type: 'arrow' | 'bytes';
  /** The module keeps this port's whole input (manifest `holdsInput`). */
  holds?: boolean;
  receiver: EdgeReceiver;
};

/** Runs the step; resolves with the number of instances (1). Throws {@link StepError}. */
export async function runReactorStep(
  spec: WasmStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
  data?: StepData,
): Promise<number> {
  const ports = connectedPorts(spec, inputs);
  if (ports.length > 1) for (const port of ports) port.receiver.spill(true);
  const schemas = await readSchemas(ports);
  const params = await paramsBytes(spec, schemas[0]?.bytes);
  const send = async (messages: ReactorOutput[]): Promise<void> => {
    for (const m of messages) {
      const port = spec.outputs[m.port] ?? '';
      await outputs.send(port, m.kind, m.rows, m.buffer);
    }
  };
  const instance = guarded(hooks, () => createInstance(spec, hooks, data));
  await send(guarded(hooks, () => instance.begin(params)));
  let done = false;
  for (const [i, schema] of schemas.entries()) {
    const index = ports.filter((p) => p.type === 'arrow')[i]?.index ?? 0;
    const pushed = guarded(hooks, () => instance.push(index, schema.bytes));
    await send(pushed.outputs);
    done ||= pushed.status === 'done';
  }
  // Rows are counted for a one-input step only: its row faults name the input row.
  const starts = ports.length === 1 ? new BatchStarts() : undefined;
  for (const port of readingOrder(ports)) {
    port.receiver.spill(false);
    while (!done && !outputs.abandoned) {
      const message = await port.receiver.next();
      if (message === null) break;
      if (message.kind === 'batch') starts?.add(message.rows);
      const pushed = guarded(hooks, () => instance.push(port.index, message.bytes), starts);
      releaseBuffer(message.bytes.buffer);
      port.receiver.ack();
      await send(pushed.outputs);
      done = pushed.status === 'done';
    }
  }
  if (done || outputs.abandoned) for (const port of ports) port.receiver.stop();
  await send(guarded(hooks, () => instance.finish()));
  return 1;
}

/** Every input port of the manifest with its receiver, in manifest order. */
function connectedPorts(spec: WasmStepSpec, inputs: Input[]): Port[] {
  return spec.inputs.map((p, index) => {
    const input = inputs.find((i) => i.port === p.name);
    if (input === undefined) throw new StepError(`input port "${p.name}" is not connected`);
    return { index, type: p.type, holds: p.holds === true, receiver: input.receiver };
  });
}

/** The order the ports' data is pushed in: ports that hold their input first, each group in
 * manifest order. */
export function readingOrder(ports: readonly Port[]): Port[] {
  return [...ports.filter((p) => p.holds), ...ports.filter((p) => !p.holds)];
}

/** The schema message that opens each arrow input, in port order. */
export async function readSchemas(ports: Port[]): Promise<ReceivedMessage[]> {
  const schemas: ReceivedMessage[] = [];
  for (const port of ports) {
    if (port.type !== 'arrow') continue;
    const first = await port.receiver.next();
    if (first?.kind !== 'schema') {
      throw new StepError(`input ${port.index}: the stream does not start with a schema`);
    }
    port.receiver.ack();
    schemas.push(first);
  }
  return schemas;
}

/** A new instance of the step's module, with its grants and memory cap. */
export function createInstance(
  spec: WasmStepSpec,
  hooks: InvokeHooks,
  data?: StepData,
): ReactorInstance {
  const preopens =
    data === undefined
      ? []
      : [new GuardedPreopenDirectory('/data', data.dir, data.spec.writable, data.budget)];
  return new ReactorInstance({
    preopens,
    module: spec.module,
    outputs: spec.outputs.length,
    args: [spec.moduleId],
    clock: spec.permissions.clock === 'real' ? 'real' : 'deterministic',
    random: spec.permissions.random === 'real' ? 'real' : 'deterministic',
    maxMemoryMiB: spec.limits.maxMemoryMiB,
    onLine: (stream, line) => hooks.log(stream, line),
    onUnreported: (lines, bytes) => hooks.unreported?.(lines, bytes),
  });
}

/** Runs one synchronous call into the module inside the step's time budget. */
export function guarded<T>(hooks: InvokeHooks, call: () => T, starts?: BatchStarts): T {
  hooks.invokeStart();
  try {
    return call();
  } catch (error) {
    if (error instanceof ReactorError) {
      throw new StepError(wordStepError(error.message, starts), error.stderrTail);
    }
    throw error;
  } finally {
    hooks.invokeEnd();
  }
}
