/**
 * Running a module step inside its worker. A streamable module (one arrow input) runs once per
 * group of consecutive record batches as they arrive (at least `spec.invocationRows` rows, or one
 * batch when unset), each instance reading the schema, the dictionaries so far and that group at
 * `/in/<port>.arrow`, and its outputs are sent in input order; any other module runs once on its
 * whole input. Every invocation is a fresh instance of the compiled module. That is ABI 1; an
 * ABI 2 module goes to `reactor-step.ts` (one instance) or, when streamable, to
 * `parallel-step.ts` (its own instance, and shards when it has more than one batch).
 */
import type { EdgeReceiver, ReceivedMessage } from './edge';
import { END_OF_STREAM, ownBuffer, splitIpc } from './ipc';
import { paramsBytes } from './step-params';
import type { WasmStepSpec } from './protocol';
import { REACTOR_EXPORTS } from '../modules/manifest';
import { StepData } from './module-data';
import { isReactor } from './reactor-host';
import { runParallelStep } from './parallel-step';
import { runReactorStep } from './reactor-step';
import { parallelizable, type RequestShards } from './shard-link';
import { StepError, type StepOutputs } from './step-outputs';
import { runWasiCommand, type WasiCommandResult } from './wasi-host';

/** Callbacks to the main thread around each invocation. */
export interface InvokeHooks {
  invokeStart(): void;
  invokeEnd(): void;
  /** One log line; false when no more lines are wanted (the rest goes to `unreported`). */
  log(stream: 'stdout' | 'stderr', line: string): unknown;
  /** Lines and bytes the module wrote that were counted, not shown. */
  unreported?(lines: number, bytes: number): void;
}

/** Most log lines forwarded per step; the rest are counted. */
const MAX_LOG_LINES = 200;
/** A group of batches stops growing past this many bytes, whatever its rows (wide tables). */
const MAX_GROUP_BYTES = 32 * 1024 * 1024;
/** Lines of stderr kept for a failure. */
const STDERR_TAIL_LINES = 20;

type Input = { port: string; receiver: EdgeReceiver };
/** Files of one invocation: bytes, or chunks read as one file. */
type InputFiles = Record<string, Uint8Array | Uint8Array[]>;

/**
 * Runs the step; resolves with the number of invocations. Throws {@link StepError}. A step
 * granted storage has its `/data` loaded first and, once it finished, its changes saved.
 */
export async function runWasmStep(
  spec: WasmStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
  requestShards: RequestShards = async () => [],
): Promise<number> {
  const data = spec.data === undefined ? undefined : await StepData.open(spec.data);
  const invocations = await runModule(spec, inputs, outputs, hooks, requestShards, data);
  if (data?.budget.exceeded) throw new StepError(data.capMessage());
  await data?.commit();
  return invocations;
}

async function runModule(
  spec: WasmStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
  requestShards: RequestShards,
  data: StepData | undefined,
): Promise<number> {
  if (spec.abi === 2) {
    checkReactor(spec);
    const input = inputs[0];
    if (parallelizable(spec) && input !== undefined) {
      return runParallelStep(spec, input.receiver, outputs, requestShards, hooks);
    }
    return runReactorStep(spec, inputs, outputs, hooks, data);
  }
  const paramsFor = (schemaMessage: Uint8Array | undefined): Promise<Uint8Array> =>
    paramsBytes(spec, schemaMessage);
  const invoke = (files: InputFiles): WasiCommandResult => {
    hooks.invokeStart();
    try {
      return runWasiCommand({
        module: spec.module,
        files,
        args: [spec.moduleId],
        clock: spec.permissions.clock === 'real' ? 'real' : 'deterministic',
        random: spec.permissions.random === 'real' ? 'real' : 'deterministic',
        maxMemoryMiB: spec.limits.maxMemoryMiB,
        ...commandOutputCap(spec, outputs.remainingBytes),
        onLine: hooks.log,
        onUnreported: (lines, bytes) => hooks.unreported?.(lines, bytes),
        ...(data === undefined ? {} : { data: dataPreopen(data) }),
      });
    } finally {
      hooks.invokeEnd();
    }
  };
  const first = spec.inputs[0];
  if (spec.streamable && spec.inputs.length === 1 && first?.type === 'arrow') {
    const input = inputs.find((i) => i.port === first.name);
    if (input === undefined) throw new StepError(`input port "${first.name}" is not connected`);
    return streamBatches(spec, first.name, input.receiver, outputs, invoke, paramsFor);
  }
  const files: Record<string, Uint8Array | Uint8Array[]> = {};
  let schemaMessage: Uint8Array | undefined;
  // Every port is drained at once: draining them one after the other would deadlock when one
  // upstream step feeds two of them (it would wait on the port not read yet).
  const drained = await Promise.all(
    spec.inputs.map((port) => {
      const input = inputs.find((i) => i.port === port.name);
      if (input === undefined) throw new StepError(`input port "${port.name}" is not connected`);
      return drain(input.receiver);
    }),
  );
  for (const [index, port] of spec.inputs.entries()) {
    const messages = drained[index] ?? [];
    // Chunked files: the messages are read in place, never joined into a second copy.
    if (port.type === 'bytes') {
      files[`/in/${port.name}.bytes`] = messages.map((m) => m.bytes);
    } else {
      files[`/in/${port.name}.arrow`] = [...messages.map((m) => m.bytes), END_OF_STREAM];
      schemaMessage ??= messages.find((m) => m.kind === 'schema')?.bytes;
    }
  }
  files['/params.json'] = await paramsFor(schemaMessage);
  await forward(check(invoke(files)), spec, outputs, true);
  return 1;
}

/**
 * One instance per group of consecutive record batches, each reading schema + dictionaries +
 * that group. A streamable module treats each batch on its own (manifest contract), so a group
 * gives the same rows as its batches one by one. A dictionary message between batches closes the
 * group first, so every batch is read with exactly the dictionaries that preceded it.
 */
async function streamBatches(
  spec: WasmStepSpec,
  port: string,
  receiver: EdgeReceiver,
  outputs: StepOutputs,
  invoke: (files: InputFiles) => WasiCommandResult,
  paramsFor: (schema: Uint8Array | undefined) => Promise<Uint8Array>,
): Promise<number> {
  const preamble: Uint8Array[] = [];
  const groupRows = spec.invocationRows ?? 1;
  let group: Uint8Array[] = [];
  let rows = 0;
  let bytes = 0;
  let params: Uint8Array | undefined;
  let invocations = 0;
  const flush = async (): Promise<void> => {
    if (group.length === 0) return;
    params ??= await paramsFor(preamble[0]);
    const files = {
      [`/in/${port}.arrow`]: [...preamble, ...group, END_OF_STREAM],
      '/params.json': params,
    };
    group = [];
    rows = 0;
    bytes = 0;
    const result = check(invoke(files));
    invocations++;
    await forward(result, spec, outputs, invocations === 1);
  };
  while (!outputs.abandoned) {
    const message = await receiver.next();
    if (message === null) break;
    // The group holds its messages' bytes, so credit goes back as soon as one is taken.
    receiver.ack();
    if (message.kind !== 'batch') {
      await flush();
      preamble.push(message.bytes);
      continue;
    }
    group.push(message.bytes);
    rows += message.rows;
    bytes += message.bytes.byteLength;
    if (rows >= groupRows || bytes >= MAX_GROUP_BYTES) await flush();
  }
  if (outputs.abandoned) receiver.stop();
  await flush();
  if (invocations === 0) {
    // No batch at all: one run on the schema alone, so that downstream still gets a schema.
    params ??= await paramsFor(preamble[0]);
    const files = { [`/in/${port}.arrow`]: [...preamble, END_OF_STREAM], '/params.json': params };
    await forward(check(invoke(files)), spec, outputs, true);
    invocations = 1;
  }
  return invocations;
}

/**
 * The output cap of one ABI 1 run: what is left of the step's output limit, and at most its
 * memory limit, since a command's `/out` files are held in the worker's memory until it exits
 * (an output "far larger than memory" must fail the step, not the worker).
 */
function commandOutputCap(
  spec: WasmStepSpec,
  remainingBytes: number,
): { maxOutputBytes: number; outputLimitMessage?: string } {
  const memoryBytes = spec.limits.maxMemoryMiB * 1024 * 1024;
  if (remainingBytes <= memoryBytes) return { maxOutputBytes: remainingBytes };
  return {
    maxOutputBytes: memoryBytes,
    outputLimitMessage:
      `output exceeded ${spec.limits.maxMemoryMiB} MiB in one run: an ABI 1 command's ` +
      `/out files are held in memory, so the step's memory limit bounds them`,
  };
}

/** The `/data` preopen of an ABI 1 command. */
function dataPreopen(data: StepData) {
  return {
    dir: data.dir,
    writable: data.spec.writable,
    budget: data.budget,
    limitMessage: data.capMessage(),
  };
}

/** Throws unless the module of an ABI 2 step has the reactor exports. */
function checkReactor(spec: WasmStepSpec): void {
  if (!isReactor(spec.module)) {
    const names = REACTOR_EXPORTS.join(', ');
    throw new StepError(
      `the manifest says ABI 2 but the module lacks the reactor exports (${names})`,
    );
  }
}

/** {@link InvokeHooks} whose log is capped, and the line saying what the cap dropped. */
export interface CappedHooks extends InvokeHooks {
  /** Logs how many lines (and characters) were not shown, if any; call once, at the end. */
  summarize(): void;
}

/**
 * The hooks with at most {@link MAX_LOG_LINES} log lines forwarded; past them the captures only
 * count lines and bytes (no decoding: a flood of log costs about its copy), and
 * `summarize` says at the end how much was not shown.
 */
export function withLogCap(hooks: InvokeHooks): CappedHooks {
  let shown = 0;
  let droppedLines = 0;
  let droppedBytes = 0;
  const log = (stream: 'stdout' | 'stderr', line: string): boolean => {
    if (shown < MAX_LOG_LINES) {
      shown++;
      hooks.log(stream, line);
    } else {
      droppedLines++;
      droppedBytes += new TextEncoder().encode(line).byteLength + 1;
    }
    return shown < MAX_LOG_LINES;
  };
  const unreported = (lines: number, bytes: number): void => {
    droppedLines += lines;
    droppedBytes += bytes;
  };
  const summarize = (): void => {
    if (droppedLines === 0 && droppedBytes === 0) return;
    const mib = (droppedBytes / 1048576).toFixed(1);
    hooks.log(
      'stderr',
      `[log capped: ${droppedLines} more lines (${droppedBytes} bytes, ${mib} MiB) not shown; ` +
        `${MAX_LOG_LINES} shown]`,
    );
  };
  return { ...hooks, log, unreported, summarize };
}

/** All messages of an input, acknowledging each (the whole input is held anyway). */
async function drain(receiver: EdgeReceiver): Promise<ReceivedMessage[]> {
  const messages: ReceivedMessage[] = [];
  for (;;) {
    const message = await receiver.next();
    if (message === null) return messages;
    messages.push(message);
    receiver.ack();
  }
}

/** Throws a {@link StepError} for a failed run, with the message users should see. */
function check(result: WasiCommandResult): WasiCommandResult {
  const failure = result.failure;
  if (failure === undefined) return result;
  const tail = result.stderr
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-STDERR_TAIL_LINES);
  const lastLine = tail[tail.length - 1];
  const message =
    failure.kind === 'exit' && lastLine !== undefined
      ? `${lastLine} (${failure.message})`
      : failure.message;
  throw new StepError(message, tail);
}

/** Splits each output file into messages and sends them on; the schema only the first time. */
async function forward(
  result: WasiCommandResult,
  spec: WasmStepSpec,
  outputs: StepOutputs,
  withSchema: boolean,
): Promise<void> {
  for (const port of spec.outputs) {
    const file = result.outputs[`/out/${port}.arrow`];
    if (file === undefined) throw new StepError(`the module did not write /out/${port}.arrow`);
    let messages;
    try {
      messages = splitIpc(file);
    } catch (error) {
      const reason = (error as Error).message;
      throw new StepError(`/out/${port}.arrow is not an Arrow IPC stream: ${reason}`);
    }
    for (const message of messages) {
      if (message.kind === 'schema' && !withSchema) continue;
      await outputs.send(port, message.kind, message.rows, ownBuffer(message.bytes));
    }
  }
}
