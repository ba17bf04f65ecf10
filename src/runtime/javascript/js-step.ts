/**
 * Running a JavaScript step inside its worker: the input's record batches are decoded one by one
 * (with the schema and the dictionaries before them), handed to the user's function in QuickJS
 * (`sandbox.ts`), and each result is encoded as a record batch and sent on. The first result
 * fixes the output schema; a later batch whose columns differ fails the step, naming both. With
 * no batch at all the function runs once on an empty batch, so downstream still gets a schema.
 */
import { RecordBatch, Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import type { EdgeReceiver } from '../edge';
import { loadEngine, type PhaseReport } from '../engine-phase';
import { END_OF_STREAM, ownBuffer, splitIpc } from '../ipc';
import type { JsStepSpec } from '../protocol';
import { StepError, type StepOutputs } from '../step-outputs';
import type { InvokeHooks } from '../wasm-step';
import { loadQuickJS } from './quickjs';
import { JsSandbox, JsStepError } from './sandbox';
import { fromTransfer, toTransfer } from './transfer';

type Input = { port: string; receiver: EdgeReceiver };

/**
 * Runs the step; resolves with the number of batches the function ran on. QuickJS's loading is
 * reported to `report` as the `loading-engine` phase. Throws StepError.
 */
export async function runJsStep(
  spec: JsStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
  report: PhaseReport,
): Promise<number> {
  const input = inputs.find((i) => i.port === 'in');
  if (input === undefined) throw new StepError('input port "in" is not connected');
  const quickjs = await loadEngine('JavaScript', loadQuickJS, report);
  const sandbox = guarded(hooks, () => new JsSandbox(quickjs, spec.code, spec.mode, spec.limits));
  try {
    return await streamBatches(input.receiver, outputs, (batch) =>
      guarded(hooks, () => fromTransfer(sandbox.call(toTransfer(batch)), batch.schema)),
    );
  } finally {
    sandbox.dispose();
  }
}

/** Decodes each batch, runs it (`run`: in QuickJS, and back to Arrow), sends the result; returns the number of runs. */
async function streamBatches(
  receiver: EdgeReceiver,
  outputs: StepOutputs,
  run: (batch: RecordBatch) => RecordBatch,
): Promise<number> {
  const preamble: Uint8Array[] = [];
  let schema: Schema | undefined;
  let sent: Schema | undefined;
  let runs = 0;
  const process = async (batch: RecordBatch): Promise<void> => {
    const result = run(batch);
    runs++;
    sent = await send(outputs, result, sent, runs);
  };
  while (!outputs.abandoned) {
    const message = await receiver.next();
    if (message === null) break;
    receiver.ack();
    if (message.kind !== 'batch') {
      preamble.push(message.bytes);
      continue;
    }
    const table = tableFromIPC([...preamble, message.bytes, END_OF_STREAM]);
    schema = table.schema;
    for (const batch of table.batches) await process(batch);
  }
  if (outputs.abandoned) receiver.stop();
  if (runs === 0) {
    schema ??= preamble.length > 0 ? tableFromIPC([...preamble, END_OF_STREAM]).schema : undefined;
    await process(new RecordBatch(schema ?? new Schema([])));
  }
  return runs;
}

/** Sends `batch` (and, the first time, its schema); checks later batches against the first. */
async function send(
  outputs: StepOutputs,
  batch: RecordBatch,
  sent: Schema | undefined,
  run: number,
): Promise<Schema> {
  if (sent !== undefined && !sameFields(sent, batch.schema)) {
    throw new StepError(
      `batch ${run} returned columns ${describeSchema(batch.schema)}, but batch 1 returned ${describeSchema(sent)}`,
    );
  }
  const messages = splitIpc(tableToIPC(new Table(sent ?? batch.schema, [batch]), 'stream'));
  for (const m of messages) {
    if (m.kind === 'schema' && sent !== undefined) continue;
    await outputs.send('out', m.kind, m.rows, ownBuffer(m.bytes));
  }
  return sent ?? batch.schema;
}

function sameFields(a: Schema, b: Schema): boolean {
  return (
    a.fields.length === b.fields.length &&
    a.fields.every(
      (f, i) => f.name === b.fields[i]?.name && String(f.type) === String(b.fields[i]?.type),
    )
  );
}

function describeSchema(schema: Schema): string {
  return `(${schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ')})`;
}

/** Runs a synchronous call into QuickJS reported to the main thread as the step's busy time. */
function guarded<T>(hooks: InvokeHooks, call: () => T): T {
  hooks.invokeStart();
  try {
    return call();
  } catch (error) {
    if (error instanceof JsStepError) throw new StepError(error.message);
    if (error instanceof Error && !(error instanceof StepError)) throw new StepError(error.message);
    throw error;
  } finally {
    hooks.invokeEnd();
  }
}
