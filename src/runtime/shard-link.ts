/**
 * The leading worker's side of a parallel step: a link to each shard (requests out, one reply
 * each, in order) and the results of every request kept in the order they were made, forwarded
 * downstream oldest first with the output schema only once.
 */
import type { ShardOutput, ShardReply, ShardRequest, StepSpec } from './protocol';
import type { StepOutputs } from './step-outputs';

/** Asks the main thread for shard workers; resolves with a channel to each (maybe none). */
export type RequestShards = () => Promise<MessagePort[]>;

/**
 * Whether a step can run on several workers: a streamable ABI 2 module with one arrow input,
 * or a Parquet source whose file can be shared (a Blob or a path, not transferred bytes).
 */
export function parallelizable(spec: StepSpec): boolean {
  if (spec.kind === 'source') return spec.format === 'parquet' && spec.data.kind !== 'bytes';
  // A JavaScript step runs in one QuickJS runtime on its own worker.
  if (spec.kind === 'javascript') return false;
  // A SQL step reads its inputs whole into one DuckDB instance.
  if (spec.kind === 'sql') return false;
  // A chart step sums up its whole input in one place.
  if (spec.kind === 'chart') return false;
  // A step granted storage runs in one worker: its /data is one directory, never shared.
  return (
    spec.data === undefined &&
    spec.abi === 2 &&
    spec.streamable &&
    spec.inputs.length === 1 &&
    spec.inputs[0]?.type === 'arrow'
  );
}

/** One shard: requests out, replies back in the same order. */
export class ShardLink {
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

/** The shard's side: answers one request with its output messages, transferring their buffers. */
export function reply(channel: MessagePort, outputs: ShardOutput[]): void {
  const message: ShardReply = { type: 'outputs', outputs };
  channel.postMessage(message, [...new Set(outputs.map((o) => o.buffer))]);
}

/** Results in request order, sent on as they come due; a schema message goes out once. */
export class OrderedResults {
  private readonly pending: Promise<ShardOutput[]>[] = [];
  private schemaSent = false;

  /** @param ports the step's output port names, by index. */
  constructor(
    private readonly ports: readonly string[],
    private readonly outputs: Pick<StepOutputs, 'send'>,
  ) {}

  /** Queues the result of the latest request. */
  add(result: Promise<ShardOutput[]>): void {
    this.pending.push(result);
  }

  /**
   * Forwards the oldest results until at most `limit` wait: answered results hold their output
   * until sent, so without this bound fast shards and a slow consumer would pile them up.
   */
  async keepAtMost(limit: number): Promise<void> {
    while (this.pending.length > limit) await this.forwardOldest();
  }

  /** Waits for the oldest result and sends it on. */
  async forwardOldest(): Promise<void> {
    for (const o of (await this.pending.shift()) ?? []) {
      if (o.kind === 'schema' && this.schemaSent) continue;
      this.schemaSent ||= o.kind === 'schema';
      const port = this.ports[o.port] ?? '';
      await this.outputs.send(port, o.kind, o.rows, o.buffer, o.offset, o.length);
    }
  }

  /** Sends every result on, in order. */
  async forwardAll(): Promise<void> {
    while (this.pending.length > 0) await this.forwardOldest();
  }
}
