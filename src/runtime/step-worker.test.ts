import { readFileSync } from 'node:fs';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { EdgeReceiver, EdgeSender, type ReceivedMessage } from './edge';
import { concatStream, ownBuffer, splitIpc } from './ipc';
import type { EdgeMessage, FromWorker } from './protocol';
import { PROTOCOL_VERSION } from './protocol';
import { StepWorker } from './step-worker';
import { builtModule } from '../../modules/sdk/reactor.testkit';

const filterModule = new WebAssembly.Module(readFileSync('public/modules/filter.wasm'));

/** Records every buffer a port transfers, to check it is detached after the post. */
function spyTransfers(port: MessagePort): ArrayBuffer[] {
  const transferred: ArrayBuffer[] = [];
  const post = port.postMessage.bind(port);
  port.postMessage = ((message: EdgeMessage, transfer: Transferable[]) => {
    post(message, transfer);
    if (message.type === 'ipc') transferred.push(message.buffer);
  }) as typeof port.postMessage;
  return transferred;
}

/**
 * A StepWorker whose reports go to `posted`; it is answered as the main thread of a run with
 * parallelism 1 would: a `want-shards` gets no shards.
 */
function inThreadWorker(posted: FromWorker[]): StepWorker {
  const worker: StepWorker = new StepWorker((m) => {
    posted.push(m);
    if (m.type !== 'want-shards') return;
    queueMicrotask(() =>
      worker.handle({ type: 'shards', protocol: PROTOCOL_VERSION, messageId: 0, ports: [] }),
    );
  });
  return worker;
}

async function drain(receiver: EdgeReceiver): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  for (let m = await receiver.next(); m !== null; m = await receiver.next()) {
    out.push(m);
    receiver.ack();
  }
  return out;
}

describe('StepWorker (in-thread, real filter module)', () => {
  it('transfers batches on edges (sender buffers detached) and copies only for all but the last consumer', async () => {
    const input = new MessageChannel();
    const toA = new MessageChannel();
    const toB = new MessageChannel();
    const posted: FromWorker[] = [];
    const worker = inThreadWorker(posted);
    const workerSent = spyTransfers(toA.port1);
    const workerSentB = spyTransfers(toB.port1);
    worker.handle({
      type: 'run-step',
      protocol: PROTOCOL_VERSION,
      messageId: 1,
      previewRows: 5,
      spec: {
        kind: 'wasm',
        stepId: 'f',
        moduleId: 'filter',
        abi: 2,
        module: filterModule,
        params: { expression: 'x >= 500' },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 10000, maxMemoryMiB: 64 },
        streamable: true,
        inputs: [{ name: 'in', type: 'arrow' }],
        outputs: ['out'],
      },
      inputs: [{ port: 'in', edgeId: 'e-in', channel: input.port2 }],
      outputs: [
        { port: 'out', edgeId: 'a', channel: toA.port1 },
        { port: 'out', edgeId: 'b', channel: toB.port1 },
      ],
    });

    // Three batches of 400 rows: x = 0..1199.
    const table = [0, 1, 2]
      .map((b) => tableFromArrays({ x: Int32Array.from({ length: 400 }, (_, i) => b * 400 + i) }))
      .reduce((a, t) => a.concat(t));
    const sender = new EdgeSender('e-in', input.port1);
    const ours: ArrayBuffer[] = [];
    for (const m of splitIpc(tableToIPC(table, 'stream'))) {
      const buffer = ownBuffer(m.bytes);
      ours.push(buffer);
      await sender.send(m.kind, m.rows, buffer);
    }
    sender.end();
    const [a, b] = await Promise.all([
      drain(new EdgeReceiver('a', toA.port2)),
      drain(new EdgeReceiver('b', toB.port2)),
    ]);

    // Our sends were transferred, not cloned: every buffer we posted is detached.
    expect(ours.map((buffer) => buffer.byteLength)).toEqual(ours.map(() => 0));
    // The worker's sends too, on both consumers' edges.
    expect(workerSent.length).toBe(4); // schema + 3 batches
    expect(workerSent.every((buffer) => buffer.byteLength === 0)).toBe(true);
    expect(workerSentB.every((buffer) => buffer.byteLength === 0)).toBe(true);
    // Both consumers got the same data, in distinct buffers (one of them a copy).
    expect(a.map((m) => [m.kind, m.rows])).toEqual([
      ['schema', 0],
      ['batch', 0],
      ['batch', 300],
      ['batch', 400],
    ]);
    expect(b.map((m) => Array.from(m.bytes))).toEqual(a.map((m) => Array.from(m.bytes)));
    expect(a[2]?.bytes.buffer).not.toBe(b[2]?.bytes.buffer);
    const x = tableFromIPC(concatStream(a.map((m) => m.bytes)))
      .getChild('x')
      ?.toArray();
    expect([...(x ?? [])]).toEqual([...Array(700).keys()].map((i) => i + 500));

    const done = posted.find((m) => m.type === 'step-done');
    // The committed filter is an ABI 2 reactor: one instance serves the three batches.
    expect(done).toMatchObject({ rowsByPort: { out: 700 }, invocations: 1 });
    expect(done?.type === 'step-done' && done.preview.out?.rows).toEqual(
      [500, 501, 502, 503, 504].map((v) => ({ x: v })),
    );
  });
});

describe('StepWorker: an ABI 1 streamable module, batches grouped per invocation', () => {
  it('runs consecutive batches together up to invocationRows and keeps their order', async () => {
    const filterV1 = builtModule('filter', 1);
    const input = new MessageChannel();
    const output = new MessageChannel();
    const posted: FromWorker[] = [];
    const worker = inThreadWorker(posted);
    worker.handle({
      type: 'run-step',
      protocol: PROTOCOL_VERSION,
      messageId: 1,
      previewRows: 0,
      spec: {
        kind: 'wasm',
        stepId: 'f',
        moduleId: 'filter',
        abi: 1,
        module: filterV1,
        params: { expression: 'x % 3 != 0' },
        permissions: { storage: 'none', clock: 'none', random: 'none' },
        limits: { timeoutMs: 10000, maxMemoryMiB: 64 },
        streamable: true,
        invocationRows: 1000,
        inputs: [{ name: 'in', type: 'arrow' }],
        outputs: ['out'],
      },
      inputs: [{ port: 'in', edgeId: 'e-in', channel: input.port2 }],
      outputs: [{ port: 'out', edgeId: 'o', channel: output.port1 }],
    });

    // Seven batches of 400 rows, x descending so that any reordering shows.
    const values = Array.from({ length: 2800 }, (_, i) => 2800 - i);
    const table = [0, 1, 2, 3, 4, 5, 6]
      .map((b) => tableFromArrays({ x: Int32Array.from(values.slice(b * 400, (b + 1) * 400)) }))
      .reduce((a, t) => a.concat(t));
    const sender = new EdgeSender('e-in', input.port1);
    for (const m of splitIpc(tableToIPC(table, 'stream'))) {
      await sender.send(m.kind, m.rows, ownBuffer(m.bytes));
    }
    sender.end();
    const received = await drain(new EdgeReceiver('o', output.port2));
    const x = tableFromIPC(concatStream(received.map((m) => m.bytes)))
      .getChild('x')
      ?.toArray();
    expect([...(x ?? [])]).toEqual(values.filter((v) => v % 3 !== 0));
    // 1200 rows reach the target: batches 1-3, 4-6, then 7 alone at the end.
    const done = posted.find((m) => m.type === 'step-done');
    expect(done).toMatchObject({ invocations: 3 });
  });
});
