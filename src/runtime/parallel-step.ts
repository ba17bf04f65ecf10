/**
 * The leading worker of a streamable ABI 2 step run on several workers. It runs the first
 * record batch in an instance of its own, so that a small input pays for nothing more; at the
 * second it asks the main thread for shards (one fewer than the run's parallelism; none when it
 * allows no parallelism: then it runs everything itself) and deals the record batches out
 * round robin to the shards and to its own instance, which takes its turn last (at most
 * {@link SHARD_WINDOW} unanswered per shard), each shard started on its first batch with the
 * schema and every dictionary batch so far; later dictionary batches go to its own instance
 * and every started shard. Outputs go downstream in input order, with the output schema once.
 * The leading worker computing its share saves a worker (an isolate, a module memory and the
 * garbage buffers it holds until its next GC) per parallel step.
 *
 * As with one instance, a streamable module's output for a batch depends on that batch (and
 * the dictionaries before it) alone, so dealing batches out gives the same rows in the same
 * order (`modules/sdk/ABI.md` §11.2).
 */
import type { EdgeReceiver, ReceivedMessage } from './edge';
import { SHARD_WINDOW, type ShardRequest, type WasmStepSpec } from './protocol';
import type { ReactorInstance } from './reactor-host';
import { createInstance, guarded, readSchemas } from './reactor-step';
import { OrderedResults, ShardLink, type RequestShards } from './shard-link';
import { releaseBuffer } from './release';
import { StepError, type StepOutputs } from './step-outputs';
import { paramsBytes } from './step-params';
import { BatchStarts } from './row-words';
import type { InvokeHooks } from './wasm-step';

/** Record batches the leading worker runs itself before it asks for shards. */
const LOCAL_BATCHES = 1;

/** A shard and whether it has been started (`begin`). */
type Shard = { link: ShardLink; started: boolean };

/** Runs the step across its own instance and `shards`; resolves with the instances started. */
export async function runParallelStep(
  spec: WasmStepSpec,
  receiver: EdgeReceiver,
  outputs: StepOutputs,
  requestShards: RequestShards,
  hooks: InvokeHooks,
): Promise<number> {
  const [schema] = await readSchemas([{ index: 0, type: 'arrow', receiver }]);
  if (schema === undefined) throw new StepError('input 0: no schema');
  const params = await paramsBytes(spec, schema.bytes);
  const results = new OrderedResults(spec.outputs, outputs);
  const own = guarded(hooks, () => createInstance(spec, hooks));
  results.add(Promise.resolve(guarded(hooks, () => own.begin(params))));
  results.add(Promise.resolve(guarded(hooks, () => own.push(0, schema.bytes).outputs)));
  let shards: Shard[] | undefined;
  const dictionaries: Uint8Array[] = [];
  let batches = 0;
  const ownStarts = new BatchStarts();
  while (!outputs.abandoned) {
    const message = await receiver.next();
    if (message === null) break;
    receiver.ack();
    if (batches >= LOCAL_BATCHES && message.kind === 'batch' && shards === undefined) {
      const ports = await requestShards();
      shards = ports.map((port) => ({ link: new ShardLink(port), started: false }));
    }
    // Round robin over the shards, then this worker's own instance.
    const turn = shards?.length ? (batches - LOCAL_BATCHES) % (shards.length + 1) : -1;
    const shard = shards?.[turn];
    if (message.kind === 'batch') ownStarts.add(message.rows, shard === undefined);
    if (message.kind === 'dictionary') {
      for (const s of shards?.filter((s) => s.started) ?? []) {
        results.add(s.link.request(copiedPush(message.bytes)));
      }
    }
    if (message.kind === 'dictionary' || shard === undefined) {
      results.add(Promise.resolve(pushOwn(own, message, hooks, ownStarts)));
      if (shards?.length) await results.keepAtMost(shards.length * SHARD_WINDOW + 1);
      else await results.forwardAll();
    } else {
      if (!shard.started) start(shard, params, schema, dictionaries, results);
      while (shard.link.inFlight >= SHARD_WINDOW) await results.forwardOldest();
      await results.keepAtMost(shards!.length * SHARD_WINDOW + 1);
      const { buffer, byteOffset: offset, byteLength: length } = message.bytes;
      results.add(shard.link.request({ type: 'push', buffer, offset, length }, [buffer]));
    }
    if (message.kind === 'dictionary') dictionaries.push(message.bytes);
    else batches++;
  }
  if (outputs.abandoned) receiver.stop();
  results.add(Promise.resolve(guarded(hooks, () => own.finish())));
  for (const shard of shards ?? []) results.add(shard.link.request({ type: 'finish' }));
  await results.forwardAll();
  for (const shard of shards ?? []) shard.link.close();
  return 1 + (shards ?? []).filter((s) => s.started).length;
}

/** One message through the leading worker's own instance. */
function pushOwn(
  own: ReactorInstance,
  message: ReceivedMessage,
  hooks: InvokeHooks,
  starts: BatchStarts,
) {
  const outputs = guarded(hooks, () => own.push(0, message.bytes).outputs, starts);
  // Dictionaries are kept, to start later shards with.
  if (message.kind === 'batch') releaseBuffer(message.bytes.buffer);
  return outputs;
}

/** Starts `shard`: params, the input schema, then every dictionary batch so far. */
function start(
  shard: Shard,
  params: Uint8Array,
  schema: ReceivedMessage,
  dictionaries: readonly Uint8Array[],
  results: OrderedResults,
): void {
  shard.started = true;
  const begin = { type: 'begin', params: copy(params), schema: copy(schema.bytes) } as const;
  // The shard's begin output (its schema) is dropped by OrderedResults: the own instance's
  // schema went first.
  results.add(shard.link.request(begin));
  for (const dictionary of dictionaries) {
    results.add(shard.link.request(copiedPush(dictionary)));
  }
}

/** A copy of `bytes` in a buffer of its own. */
function copy(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/** A push of a copy of `bytes` (for a message that is also kept or sent elsewhere). */
function copiedPush(bytes: Uint8Array): ShardRequest {
  return { type: 'push', buffer: copy(bytes), offset: 0, length: bytes.byteLength };
}
