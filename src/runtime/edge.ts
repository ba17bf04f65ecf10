/**
 * The two ends of an edge: a sender that transfers one IPC message per postMessage (its byte
 * range in a buffer it owns alone, so a message decoded beside others is sent without a copy)
 * and waits
 * for credit (at most {@link EDGE_CREDITS} messages unacknowledged), and a receiver that
 * queues what arrives and hands credit back once the consumer is done with a message.
 * A port's fan-out copies a message for every consumer but the last, which gets the original.
 */
import type { IpcMessageKind } from './ipc';
import { EDGE_CREDITS, type EdgeCredit, type EdgeMessage, type EdgeUpstream } from './protocol';

/** The producing end of one edge. */
export class EdgeSender {
  private credits = EDGE_CREDITS;
  private waiters: (() => void)[] = [];
  private detachedFlag = false;

  constructor(
    readonly edgeId: string,
    private readonly channel: MessagePort,
    /** The main thread's copy for the cache, not a consumer (see `OutputWire.tap`). */
    readonly tap: boolean | 'end' = false,
  ) {
    channel.onmessage = (event: MessageEvent<EdgeUpstream>) => {
      if (event.data.type === 'stop') {
        this.detach();
        return;
      }
      this.credits += event.data.count;
      this.wake();
    };
  }

  /** Whether the consumer is gone; sends are then dropped. */
  get detached(): boolean {
    return this.detachedFlag;
  }

  /** The consumer went away (failed or skipped): stop waiting for it. */
  detach(): void {
    this.detachedFlag = true;
    this.wake();
    this.channel.close();
  }

  /**
   * Sends one message, the `length` bytes at byte `offset` of `buffer`, transferring `buffer`
   * (which nothing else may use afterwards), once the consumer has credit for it.
   */
  async send(
    kind: IpcMessageKind | 'bytes',
    rows: number,
    buffer: ArrayBuffer,
    offset = 0,
    length = buffer.byteLength,
  ): Promise<void> {
    while (this.credits <= 0 && !this.detachedFlag) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    if (this.detachedFlag) return;
    this.credits -= 1;
    const message: EdgeMessage = { type: 'ipc', kind, rows, buffer, offset, length };
    this.channel.postMessage(message, [buffer]);
  }

  /** Sends the end of the data (`partial`: the step stopped early) and closes this end. */
  end(partial = false): void {
    if (this.detachedFlag) return;
    const message: EdgeMessage = partial ? { type: 'end', partial } : { type: 'end' };
    this.channel.postMessage(message);
    this.channel.close();
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = [];
    for (const resolve of waiting) resolve();
  }
}

/**
 * One received IPC message: `bytes` views its range of a buffer that no other message uses,
 * so the consumer may release or transfer `bytes.buffer` once done with the message.
 */
export interface ReceivedMessage {
  kind: IpcMessageKind | 'bytes';
  rows: number;
  bytes: Uint8Array<ArrayBuffer>;
}

/**
 * The consuming end of one edge: an async queue of messages. While it *spills*, every message
 * gets its credit back as it arrives, so the producer never waits for this consumer; a
 * multi-input step spills the ports it is not reading yet (see `reactor-step.ts`).
 */
export class EdgeReceiver {
  private queue: (ReceivedMessage | null)[] = [];
  private waiter: (() => void) | null = null;
  private spilling = false;
  /** Messages whose credit went back on arrival (spilled), not yet acknowledged by the consumer. */
  private preCredited = 0;
  /** The producer ended its data early (`EdgeMessage` `partial`). */
  partial = false;

  constructor(
    readonly edgeId: string,
    private readonly channel: MessagePort,
  ) {
    channel.onmessage = (event: MessageEvent<EdgeMessage>) => {
      const message = event.data;
      if (message.type === 'end' && message.partial === true) this.partial = true;
      this.queue.push(
        message.type === 'end'
          ? null
          : {
              kind: message.kind,
              rows: message.rows,
              bytes: new Uint8Array(message.buffer, message.offset, message.length),
            },
      );
      if (this.spilling && message.type !== 'end') this.credit(1);
      const wake = this.waiter;
      this.waiter = null;
      wake?.();
    };
  }

  /** The next message, or null at the end of the data. */
  async next(): Promise<ReceivedMessage | null> {
    while (this.queue.length === 0) {
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
    const message = this.queue.shift() ?? null;
    if (message === null) this.channel.close();
    return message;
  }

  /**
   * Starts or stops spilling. Starting gives credit at once for every message already queued;
   * stopping leaves the credited ones queued and the next arrivals wait for {@link ack}.
   */
  spill(on: boolean): void {
    this.spilling = on;
    if (!on) return;
    const uncredited = this.queue.filter((m) => m !== null).length - this.preCredited;
    if (uncredited > 0) this.credit(uncredited);
  }

  /** Stops receiving (the step failed). */
  close(): void {
    this.channel.close();
  }

  /** Tells the producer that no more data is wanted, and stops receiving. */
  stop(): void {
    const stop: EdgeUpstream = { type: 'stop' };
    this.channel.postMessage(stop);
    this.channel.close();
  }

  /** Gives the producer credit for one more message (unless it had it when it was spilled). */
  ack(): void {
    if (this.preCredited > 0) {
      this.preCredited--;
      return;
    }
    const credit: EdgeCredit = { type: 'credit', count: 1 };
    this.channel.postMessage(credit);
  }

  /** Credit for `count` messages, sent before the consumer takes them. */
  private credit(count: number): void {
    this.preCredited += count;
    const credit: EdgeCredit = { type: 'credit', count };
    this.channel.postMessage(credit);
  }
}

/** All consumers of one output port. */
export class PortFanout {
  rows = 0;
  bytes = 0;

  constructor(
    readonly port: string,
    readonly senders: EdgeSender[],
  ) {}

  /**
   * Sends the message at `offset`, `length` bytes, of `buffer` (owned by the caller,
   * transferred) to every live consumer: copies of the message alone to all but the last, the
   * original buffer to the last.
   */
  async send(
    kind: IpcMessageKind | 'bytes',
    rows: number,
    buffer: ArrayBuffer,
    offset = 0,
    length = buffer.byteLength,
  ): Promise<void> {
    const consumers = this.senders.filter((s) => !s.tap);
    // Once every consumer has gone, nothing crosses the port any more and nothing is counted
    // (the step is about to stop; a cache tap alone keeps nothing going).
    if (consumers.length > 0 && consumers.every((s) => s.detached)) return;
    if (this.senders.length > 0 && this.senders.every((s) => s.detached)) return;
    // Taps first: they get the copies, a consumer the original buffer. A tap of the end alone
    // gets no data.
    const live = this.senders
      .filter((s) => !s.detached && s.tap !== 'end')
      .sort((a, b) => Number(b.tap === true) - Number(a.tap === true));
    if (kind === 'batch') this.rows += rows;
    this.bytes += length;
    const last = live.pop();
    const copy = (): ArrayBuffer => buffer.slice(offset, offset + length);
    await Promise.all(live.map((sender) => sender.send(kind, rows, copy())));
    await last?.send(kind, rows, buffer, offset, length);
  }

  /** Ends the data on every consumer (`partial`: the step stopped early). */
  end(partial = false): void {
    for (const sender of this.senders) sender.end(partial);
  }
}
