/**
 * The outputs of a running step (one fan-out per port, with its preview) and the error a step
 * fails with inside its worker.
 */
import { EdgeSender, PortFanout } from './edge';
import type { OutputWire } from './protocol';
import { PreviewCollector } from './preview';

const MIB = 1024 * 1024;

/** A step failure raised inside the worker, with the module's last stderr lines. */
export class StepError extends Error {
  override name = 'StepError';
  constructor(
    message: string,
    readonly stderrTail: string[] = [],
  ) {
    super(message);
  }
}

/** Outputs of a running step, by port; what the module and source code write to. */
export class StepOutputs {
  readonly fanouts = new Map<string, PortFanout>();
  readonly previews = new Map<string, PreviewCollector>();
  /**
   * When progress was last reported (ms since the epoch). It starts at the step's start, so that
   * a step shorter than the interval posts no progress at all: its counts come with its end.
   */
  private lastProgressMs = Date.now();
  private totalBytes = 0;

  /**
   * @param maxOutputBytes cap on the bytes sent over all ports together; past it, `send`
   *   throws a {@link StepError} naming the cap in MiB.
   */
  constructor(
    ports: readonly string[],
    wires: readonly OutputWire[],
    previewRows: number,
    private readonly progress: (rows: number, bytes: number) => void,
    private readonly maxOutputBytes = Infinity,
  ) {
    for (const port of ports) {
      const senders = wires
        .filter((w) => w.port === port)
        .map((w) => new EdgeSender(w.edgeId, w.channel, w.tap ?? false));
      this.fanouts.set(port, new PortFanout(port, senders));
      this.previews.set(port, new PreviewCollector(previewRows));
    }
  }

  /**
   * Sends one message on `port`, feeding the preview first: the `length` bytes at byte
   * `offset` of `buffer`, a buffer no other message uses (transferred).
   */
  async send(
    port: string,
    kind: 'schema' | 'dictionary' | 'batch' | 'bytes',
    rows: number,
    buffer: ArrayBuffer,
    offset = 0,
    length = buffer.byteLength,
  ): Promise<void> {
    const fanout = this.fanouts.get(port);
    if (fanout === undefined)
      throw new StepError(`the step wrote to an unknown output port "${port}"`);
    this.totalBytes += length;
    if (this.totalBytes > this.maxOutputBytes) {
      const mib = Math.round((this.maxOutputBytes / MIB) * 100) / 100;
      throw new StepError(`output limit of ${mib} MiB exceeded`);
    }
    if (kind !== 'bytes')
      this.previews.get(port)?.add(kind, new Uint8Array(buffer, offset, length));
    await fanout.send(kind, rows, buffer, offset, length);
    const now = Date.now();
    if (now - this.lastProgressMs >= 100) {
      this.lastProgressMs = now;
      this.reportProgress();
    }
  }

  /** Reports rows and bytes so far, summed over ports. */
  reportProgress(): void {
    let rows = 0;
    let bytes = 0;
    for (const f of this.fanouts.values()) {
      rows += f.rows;
      bytes += f.bytes;
    }
    this.progress(rows, bytes);
  }

  /** Bytes the step may still send before its output cap. */
  get remainingBytes(): number {
    return this.maxOutputBytes - this.totalBytes;
  }

  /**
   * True once every consumer of every port has gone (stopped, failed or skipped): the step can
   * stop early. Never true for a step that had no consumer at all (its output is previewed).
   * The cache's taps are no consumers: they never keep a step running.
   */
  get abandoned(): boolean {
    const senders = [...this.fanouts.values()].flatMap((f) => f.senders).filter((s) => !s.tap);
    return senders.length > 0 && senders.every((s) => s.detached);
  }

  /** Stops sending to the consumer of `edgeId`. */
  detach(edgeId: string): void {
    for (const fanout of this.fanouts.values()) {
      for (const sender of fanout.senders) if (sender.edgeId === edgeId) sender.detach();
    }
  }

  /** The step failed: close every output without an end (the main thread skips downstream). */
  abandon(): void {
    for (const fanout of this.fanouts.values())
      for (const sender of fanout.senders) sender.detach();
  }

  /**
   * Ends the data on every output; a step whose consumers all stopped it ends it as partial,
   * so the cache never keeps an output cut short.
   */
  end(): void {
    const partial = this.abandoned;
    for (const fanout of this.fanouts.values()) fanout.end(partial);
  }
}
