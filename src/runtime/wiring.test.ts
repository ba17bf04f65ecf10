import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EdgeSender } from './edge';
import { splitIpc } from './ipc';
import { EDGE_CREDITS } from './protocol';
import { edge, pipeline, step } from './testkit';
import { splitPortKey, Wiring } from './wiring';

/** source → a, source → b, a → c: with one port collected per producer. */
function diamond() {
  return pipeline(
    [step('source', 'source'), step('a', 'filter'), step('b', 'limit'), step('c', 'sort')],
    [edge('source', 'a'), edge('source', 'b'), edge('a', 'c')],
  );
}

/** Sends `parts` on a collected port's producer end, then ends the data. */
async function produce(wiring: Wiring, stepId: string, port: string, parts: Uint8Array[]) {
  const wire = wiring
    .outputsOf(stepId)
    .find((w) => w.port === port && w.edgeId.startsWith('collect:'));
  if (!wire) throw new Error(`no collected wire for ${stepId}.${port}`);
  const sender = new EdgeSender(wire.edgeId, wire.channel);
  for (const part of parts) await sender.send('bytes', 0, part.slice().buffer);
  sender.end();
}

describe('Wiring', () => {
  it('gives each edge one channel: its producer an output wire, its consumer an input wire', () => {
    const wiring = new Wiring(diamond(), ['c.out']);
    expect(wiring.outputsOf('source').map((w) => w.edgeId)).toEqual(['source-a', 'source-b']);
    expect(wiring.inputsOf('c').map((w) => [w.edgeId, w.port])).toEqual([['a-c', 'in']]);
    expect(wiring.outputsOf('c').map((w) => w.edgeId)).toEqual(['collect:c.out']);
    expect(wiring.inputsOf('source')).toEqual([]);
    expect(wiring.consumerOf('source-b')).toBe('b');
    expect(wiring.consumerOf('collect:c.out')).toBeUndefined();
    for (const c of wiring.collectors.values()) c.close();
  });

  it('splits a port key at its last dot', () => {
    expect(splitPortKey('csv-1.out')).toEqual({ stepId: 'csv-1', port: 'out' });
    expect(splitPortKey('a.b.bytes')).toEqual({ stepId: 'a.b', port: 'bytes' });
  });

  it('resolves a collector once its producer ends the data, with every message joined', async () => {
    const wiring = new Wiring(diamond(), ['source.bytes']);
    const collector = wiring.collectors.get('source.bytes');
    const parts = Array.from({ length: EDGE_CREDITS * 3 }, (_, i) =>
      new TextEncoder().encode(`line ${i}\n`),
    );
    await Promise.all([produce(wiring, 'source', 'bytes', parts), collector?.ended]);
    expect(collector?.done).toBe(true);
    const expected = parts.map((p) => new TextDecoder().decode(p)).join('');
    expect(new TextDecoder().decode(collector?.data())).toBe(expected);
  });

  it('joins a collected Arrow port into one IPC stream', async () => {
    const wiring = new Wiring(diamond(), ['a.out']);
    const collector = wiring.collectors.get('a.out');
    const table = tableFromArrays({ x: Int32Array.from([1, 2, 3]) });
    const wire = wiring.outputsOf('a').find((w) => w.edgeId === 'collect:a.out');
    if (!wire || !collector) throw new Error('a.out is not collected');
    const sender = new EdgeSender(wire.edgeId, wire.channel);
    for (const message of splitIpc(tableToIPC(table.concat(table), 'stream'))) {
      await sender.send(message.kind, message.rows, message.bytes.slice().buffer);
    }
    sender.end();
    await collector.ended;
    const out = tableFromIPC(collector.data());
    expect([...(out.getChild('x')?.toArray() ?? [])]).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it('is not done while its producer has not ended the data', async () => {
    const wiring = new Wiring(diamond(), ['b.out']);
    const collector = wiring.collectors.get('b.out');
    let ended = false;
    void collector?.ended.then(() => (ended = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([ended, collector?.done]).toEqual([false, false]);
    collector?.close();
  });
});
