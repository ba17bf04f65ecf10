/**
 * Running a chart step inside its worker: every input batch is decoded and added to the
 * summary (`aggregate.ts`); at the end the chart table (at most CHART_MAX_ROWS rows) is sent
 * on port `chart` as one record batch. Vega never runs here: the editor and the CLI draw it.
 */
import { tableFromIPC, tableFromJSON, tableToIPC } from 'apache-arrow';
import type { EdgeReceiver } from '../edge';
import { END_OF_STREAM, ownBuffer, splitIpc } from '../ipc';
import type { ChartStepSpec } from '../protocol';
import { StepError, type StepOutputs } from '../step-outputs';
import type { InvokeHooks } from '../wasm-step';
import { ChartAccumulator, type ChartRow } from './aggregate';

type Input = { port: string; receiver: EdgeReceiver };

/** Runs the step; resolves with the number of batches summarized. Throws StepError. */
export async function runChartStep(
  spec: ChartStepSpec,
  inputs: Input[],
  outputs: StepOutputs,
  hooks: InvokeHooks,
): Promise<number> {
  const input = inputs.find((i) => i.port === 'in');
  if (input === undefined) throw new StepError('input port "in" is not connected');
  const summary = new ChartAccumulator(spec.params);
  const preamble: Uint8Array[] = [];
  let batches = 0;
  while (!outputs.abandoned) {
    const message = await input.receiver.next();
    if (message === null) break;
    input.receiver.ack();
    if (message.kind !== 'batch') {
      preamble.push(message.bytes);
      continue;
    }
    const table = tableFromIPC([...preamble, message.bytes, END_OF_STREAM]);
    hooks.invokeStart();
    try {
      for (const batch of table.batches) summary.add(batch);
    } catch (error) {
      throw new StepError(error instanceof Error ? error.message : String(error));
    } finally {
      hooks.invokeEnd();
    }
    batches++;
  }
  if (outputs.abandoned) input.receiver.stop();
  await sendRows(outputs, summary.rows());
  return batches;
}

/** Sends the chart table on `chart` (a table with no columns when there is nothing to draw). */
async function sendRows(outputs: StepOutputs, rows: ChartRow[]): Promise<void> {
  const table = tableFromJSON(rows as Record<string, unknown>[]);
  for (const m of splitIpc(tableToIPC(table, 'stream'))) {
    await outputs.send('chart', m.kind, m.rows, ownBuffer(m.bytes));
  }
}
