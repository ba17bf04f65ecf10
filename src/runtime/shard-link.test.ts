import { describe, expect, it } from 'vitest';
import type { ShardOutput } from './protocol';
import { OrderedResults } from './shard-link';

/** One output message whose buffer holds `tag`, so the order of sends can be read back. */
const output = (kind: ShardOutput['kind'], tag: number): ShardOutput => ({
  port: 0,
  kind,
  rows: kind === 'batch' ? 1 : 0,
  buffer: Uint8Array.of(tag).buffer,
});

function recorder() {
  const sent: { port: string; kind: string; tag: number }[] = [];
  const outputs = {
    send: async (port: string, kind: string, _rows: number, buffer: ArrayBuffer) => {
      sent.push({ port, kind, tag: new Uint8Array(buffer)[0] ?? -1 });
    },
  };
  return { sent, outputs };
}

describe('OrderedResults', () => {
  it('sends results in the order they were added, whatever order they resolve in, the schema once', async () => {
    const { sent, outputs } = recorder();
    const results = new OrderedResults(['out'], outputs);
    let resolveFirst: (o: ShardOutput[]) => void = () => undefined;
    results.add(new Promise((resolve) => (resolveFirst = resolve)));
    results.add(Promise.resolve([output('schema', 9), output('batch', 2)]));
    setTimeout(() => resolveFirst([output('schema', 8), output('batch', 1)]), 10);
    await results.forwardAll();
    expect(sent).toEqual([
      { port: 'out', kind: 'schema', tag: 8 },
      { port: 'out', kind: 'batch', tag: 1 },
      { port: 'out', kind: 'batch', tag: 2 },
    ]);
  });

  // Regression: answered results used to wait until the end of the input when shards outran
  // the consumer, so a parallel step's memory grew with its input.
  it('keeps at most `limit` results waiting, sending the oldest first', async () => {
    const { sent, outputs } = recorder();
    const results = new OrderedResults(['out'], outputs);
    for (let tag = 1; tag <= 5; tag++) results.add(Promise.resolve([output('batch', tag)]));
    await results.keepAtMost(2);
    expect(sent.map((s) => s.tag)).toEqual([1, 2, 3]);
    await results.forwardAll();
    expect(sent.map((s) => s.tag)).toEqual([1, 2, 3, 4, 5]);
  });
});
