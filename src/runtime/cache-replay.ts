/**
 * Replaying a cached step's output on the main thread: its stored IPC stream is split into its
 * messages and sent, each in a buffer of its own, over the same channels (and with the same
 * credit) a running step would use, so a consumer cannot tell a replay from a run.
 */
import { EdgeSender, PortFanout } from './edge';
import { ownBuffer, splitIpc } from './ipc';
import type { CachedPorts } from './cache';
import type { OutputWire } from './protocol';

/** The replay of one cached step into its wires. */
export class Replay {
  private readonly senders: EdgeSender[];
  /** Resolves once every port was sent and ended, or every consumer went away. */
  readonly done: Promise<void>;

  /** Starts sending `data` (by port) on `wires`; a port without data is ended at once. */
  constructor(data: CachedPorts, wires: readonly OutputWire[]) {
    this.senders = wires.map((w) => new EdgeSender(w.edgeId, w.channel));
    const ports = new Set(wires.map((w) => w.port));
    this.done = Promise.all(
      [...ports].map((port) => {
        const senders = this.senders.filter((_, i) => wires[i]!.port === port);
        return sendPort(new PortFanout(port, senders), data[port]);
      }),
    ).then(() => undefined);
  }

  /** The consumer of `edgeId` went away: stop sending to it. */
  detach(edgeId: string): void {
    for (const sender of this.senders) if (sender.edgeId === edgeId) sender.detach();
  }
}

/** Sends one port's stream (its parts) message by message, then its end. */
async function sendPort(
  fanout: PortFanout,
  parts: readonly Uint8Array[] | undefined,
): Promise<void> {
  for (const part of parts ?? []) {
    for (const message of splitIpc(part)) {
      if (fanout.senders.every((s) => s.detached)) return;
      await fanout.send(message.kind, message.rows, ownBuffer(message.bytes));
    }
  }
  fanout.end();
}
