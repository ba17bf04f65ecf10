/**
 * A shard: one more instance of a parallel streamable ABI 2 step, in a helper worker. It
 * answers each request of the step's leading worker with the output messages it produced, in
 * order; a failure is reported to the main thread, which fails the step.
 */
import type { ShardRequest, WasmStepSpec } from './protocol';
import { ReactorInstance, type ReactorOutput } from './reactor-host';
import { createInstance, guarded } from './reactor-step';
import { releaseBuffer } from './release';
import { reply } from './shard-link';
import type { InvokeHooks } from './wasm-step';

/** Serves `channel` until `finish`; `onEnd` gets the failure, if any. */
export function runShard(
  spec: WasmStepSpec,
  channel: MessagePort,
  hooks: InvokeHooks,
  onEnd: (error?: unknown) => void,
): void {
  let instance: ReactorInstance | undefined;
  const answer = (outputs: ReactorOutput[]): void => reply(channel, outputs);
  channel.onmessage = (event: MessageEvent<ShardRequest>) => {
    const request = event.data;
    try {
      if (request.type === 'begin') {
        instance = guarded(hooks, () => createInstance(spec, hooks));
        const live = instance;
        const begun = guarded(hooks, () => live.begin(new Uint8Array(request.params)));
        const pushed = guarded(hooks, () => live.push(0, new Uint8Array(request.schema)));
        answer([...begun, ...pushed.outputs]);
      } else if (instance === undefined && request.type === 'finish') {
        // Never given work (a small input): nothing to say.
        answer([]);
        channel.close();
        onEnd();
      } else if (instance === undefined) {
        throw new Error(`shard: "${request.type}" before "begin"`);
      } else if (request.type === 'push') {
        const live = instance;
        const bytes = new Uint8Array(request.buffer, request.offset, request.length);
        answer(guarded(hooks, () => live.push(0, bytes)).outputs);
        releaseBuffer(request.buffer);
      } else {
        const live = instance;
        answer(guarded(hooks, () => live.finish()));
        channel.close();
        onEnd();
      }
    } catch (error) {
      channel.close();
      onEnd(error);
    }
  };
}
