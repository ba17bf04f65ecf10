/**
 * The leading worker of a streamable ABI 2 step run on several workers: it reads the input,
 * deals record batches out to its shards (round robin, at most {@link SHARD_WINDOW} unanswered
 * per shard), sends every dictionary batch to every shard so that each decodes what follows,
 * and forwards the shards' outputs downstream in input order, with the output schema once.
 *
 * As with one instance, a streamable module's output for a batch depends on that batch (and
 * the dictionaries before it) alone, so dealing batches out gives the same rows in the same
 * order (`modules/sdk/ABI.md` §11.2).
 */
import type { EdgeReceiver } from './edge';
import { SHARD_WINDOW, type WasmStepSpec } from './protocol';
import { readSchemas } from './reactor-step';
import { OrderedResults, ShardLink } from './shard-link';
import { StepError, type StepOutputs } from './step-outputs';
import { paramsBytes } from './step-params';

/** Runs the step across `shards`; resolves with the number of instances. */
export async function runParallelStep(
  spec: WasmStepSpec,
  receiver: EdgeReceiver,
  outputs: StepOutputs,
  shards: MessagePort[],
): Promise<number> {
  const links = shards.map((port) => new ShardLink(port));
  const [schema] = await readSchemas([{ index: 0, type: 'arrow', receiver }]);
  if (schema === undefined) throw new StepError('input 0: no schema');
  const params = await paramsBytes(spec, schema.bytes);
  const results = new OrderedResults(spec.outputs, outputs);
  for (const link of links) {
    results.add(link.request({ type: 'begin', params: copy(params), schema: copy(schema.bytes) }));
  }
  let next = 0;
  while (!outputs.abandoned) {
    const message = await receiver.next();
    if (message === null) break;
    receiver.ack();
    if (message.kind === 'dictionary') {
      for (const link of links)
        results.add(link.request({ type: 'push', buffer: copy(message.bytes) }));
    } else {
      const link = links[next++ % links.length]!;
      while (link.inFlight >= SHARD_WINDOW) await results.forwardOldest();
      const buffer = message.bytes.buffer;
      results.add(link.request({ type: 'push', buffer }, [buffer]));
    }
  }
  if (outputs.abandoned) receiver.stop();
  for (const link of links) results.add(link.request({ type: 'finish' }));
  await results.forwardAll();
  for (const link of links) link.close();
  return links.length;
}

/** A copy of `bytes` in a buffer of its own. */
function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
