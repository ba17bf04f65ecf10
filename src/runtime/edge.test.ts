import { describe, expect, it } from 'vitest';
import { EdgeReceiver, EdgeSender, PortFanout } from './edge';
import { EDGE_CREDITS } from './protocol';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 20));

describe('edges', () => {
  it('keeps at most EDGE_CREDITS messages in flight until the consumer acknowledges', async () => {
    const channel = new MessageChannel();
    const sender = new EdgeSender('e', channel.port1);
    const receiver = new EdgeReceiver('e', channel.port2);
    let sent = 0;
    const producing = (async () => {
      for (let i = 0; i < 10; i++) {
        await sender.send('batch', 1, new ArrayBuffer(8));
        sent++;
      }
      sender.end();
    })();
    await tick();
    expect(sent).toBe(EDGE_CREDITS);
    const first = await receiver.next();
    expect(first?.rows).toBe(1);
    receiver.ack();
    await tick();
    expect(sent).toBe(EDGE_CREDITS + 1);
    let received = 1;
    for (let m = await receiver.next(); m !== null; m = await receiver.next()) {
      received++;
      receiver.ack();
    }
    await producing;
    expect(received).toBe(10);
  });

  it('stops waiting for a detached consumer', async () => {
    const channel = new MessageChannel();
    const sender = new EdgeSender('e', channel.port1);
    for (let i = 0; i < EDGE_CREDITS; i++) await sender.send('batch', 1, new ArrayBuffer(8));
    const blocked = sender.send('batch', 1, new ArrayBuffer(8));
    sender.detach();
    await expect(blocked).resolves.toBeUndefined();
    channel.port2.close();
  });

  it('fans out: a copy to each consumer but the last, the original transferred to the last', async () => {
    const a = new MessageChannel();
    const b = new MessageChannel();
    const fanout = new PortFanout('out', [
      new EdgeSender('a', a.port1),
      new EdgeSender('b', b.port1),
    ]);
    const buffer = new Uint8Array([1, 2, 3]).buffer;
    await fanout.send('batch', 3, buffer);
    fanout.end();
    expect(buffer.byteLength).toBe(0);
    const [ma, mb] = await Promise.all([
      new EdgeReceiver('a', a.port2).next(),
      new EdgeReceiver('b', b.port2).next(),
    ]);
    expect([...(ma?.bytes ?? [])]).toEqual([1, 2, 3]);
    expect([...(mb?.bytes ?? [])]).toEqual([1, 2, 3]);
    expect(fanout.rows).toBe(3);
  });

  it('sends a message inside a larger buffer without a copy to the last consumer, its bytes alone to the others', async () => {
    const a = new MessageChannel();
    const b = new MessageChannel();
    const fanout = new PortFanout('out', [
      new EdgeSender('a', a.port1),
      new EdgeSender('b', b.port1),
    ]);
    const buffer = new Uint8Array([9, 9, 1, 2, 3, 9]).buffer;
    await fanout.send('batch', 3, buffer, 2, 3);
    fanout.end();
    expect(buffer.byteLength).toBe(0);
    const [ma, mb] = await Promise.all([
      new EdgeReceiver('a', a.port2).next(),
      new EdgeReceiver('b', b.port2).next(),
    ]);
    expect([...(ma?.bytes ?? [])]).toEqual([1, 2, 3]);
    expect(ma?.bytes.buffer.byteLength).toBe(3);
    expect([...(mb?.bytes ?? [])]).toEqual([1, 2, 3]);
    expect(mb?.bytes.buffer.byteLength).toBe(6);
    expect(fanout.bytes).toBe(3);
  });
});
