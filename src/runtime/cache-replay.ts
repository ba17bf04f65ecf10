/**
 * Replaying a cached step's output on the main thread: its stored IPC stream is split into its
 * messages and sent, each in a buffer of its own, over the same channels (and with the same
 * credit) a running step would use, so a consumer cannot tell a replay from a run. A replay
 * may be cut to a sample (`RunOptions.sampleRows`): the schema, the dictionaries and the whole
 * record batches within the first rows (at least one batch), then a normal end.
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
  /** Rows sent on the port cut the most, once a port was cut to a sample; else null. */
  sampledRows: number | null = null;

  /**
   * Starts sending `data` (by port) on `wires`; a port without data is ended at once. Each port
   * sends at most the whole record batches within its first `maxRows` rows (at least one).
   */
  constructor(data: CachedPorts, wires: readonly OutputWire[], maxRows = Infinity) {
    this.senders = wires.map((w) => new EdgeSender(w.edgeId, w.channel));
    const ports = new Set(wires.map((w) => w.port));
    this.done = Promise.all(
      [...ports].map(async (port) => {
        const senders = this.senders.filter((_, i) => wires[i]!.port === port);
        const cut = await sendPort(new PortFanout(port, senders), data[port], maxRows);
        if (cut !== null) this.sampledRows = Math.max(this.sampledRows ?? 0, cut);
      }),
    ).then(() => undefined);
  }

  /** The consumer of `edgeId` went away: stop sending to it. */
  detach(edgeId: string): void {
    for (const sender of this.senders) if (sender.edgeId === edgeId) sender.detach();
  }
}

/**
 * Sends one port's stream (its parts) message by message, then its end; stops before the
 * record batch that would take it past `maxRows` rows (unless it is the first). Resolves with
 * the rows sent when it stopped so, else null.
 */
async function sendPort(
  fanout: PortFanout,
  parts: readonly Uint8Array[] | undefined,
  maxRows: number,
): Promise<number | null> {
  let rows = 0;
  for (const part of parts ?? []) {
    for (const message of splitIpc(part)) {
      if (fanout.senders.every((s) => s.detached)) return null;
      if (message.kind === 'batch' && rows > 0 && rows + message.rows > maxRows) {
        fanout.end();
        return rows;
      }
      if (message.kind === 'batch') rows += message.rows;
      await fanout.send(message.kind, message.rows, ownBuffer(message.bytes));
    }
  }
  fanout.end();
  return null;
}
