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
import {
  SHARD_WINDOW,
  type ShardOutput,
  type ShardReply,
  type ShardRequest,
  type WasmStepSpec,
} from './protocol';
import { readSchemas } from './reactor-step';
import { StepError, type StepOutputs } from './step-outputs';
import { paramsBytes } from './step-params';

/** One shard as the leading worker sees it: requests out, replies back in order. */
class ShardLink {
  private readonly waiting: ((outputs: ShardOutput[]) => void)[] = [];
  /** Requests not yet answered. */
  inFlight = 0;

  constructor(private readonly channel: MessagePort) {
    channel.onmessage = (event: MessageEvent<ShardReply>) => {
      this.inFlight--;
      this.waiting.shift()?.(event.data.outputs);
    };
  }

  /** Sends `request` (transferring `transfer`); resolves with the outputs it produced. */
  request(request: ShardRequest, transfer: ArrayBuffer[] = []): Promise<ShardOutput[]> {
    this.inFlight++;
    const answer = new Promise<ShardOutput[]>((resolve) => this.waiting.push(resolve));
    this.channel.postMessage(request, transfer);
    return answer;
  }

  close(): void {
    this.channel.close();
  }
}

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
  // Results in input order; the oldest is forwarded once the window is full.
  const pending: Promise<ShardOutput[]>[] = links.map((link) =>
    link.request({ type: 'begin', params: copy(params), schema: copy(schema.bytes) }),
  );
  let schemaSent = false;
  const forward = async (): Promise<void> => {
    for (const o of (await pending.shift()) ?? []) {
      if (o.kind === 'schema' && schemaSent) continue;
      schemaSent ||= o.kind === 'schema';
      await outputs.send(spec.outputs[o.port] ?? '', o.kind, o.rows, o.buffer);
    }
  };
  let next = 0;
  while (!outputs.abandoned) {
    const message = await receiver.next();
    if (message === null) break;
    receiver.ack();
    if (message.kind === 'dictionary') {
      for (const link of links)
        pending.push(link.request({ type: 'push', buffer: copy(message.bytes) }));
    } else {
      const link = links[next++ % links.length]!;
      while (link.inFlight >= SHARD_WINDOW) await forward();
      pending.push(
        link.request({ type: 'push', buffer: message.bytes.buffer }, [message.bytes.buffer]),
      );
    }
  }
  if (outputs.abandoned) receiver.stop();
  for (const link of links) pending.push(link.request({ type: 'finish' }));
  while (pending.length > 0) await forward();
  for (const link of links) link.close();
  return links.length;
}

/** A copy of `bytes` in a buffer of its own. */
function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}
