/**
 * Wiring a run before any worker starts: one MessageChannel per edge (the producer's end among
 * its step's outputs, the consumer's among its step's inputs), one per collected port and one
 * per port tapped for the step-output cache, whose other ends stay on the main thread in a
 * {@link Collector}.
 */
import type { PipelineDocument } from '../pipeline/types';
import { EdgeReceiver } from './edge';
import { concatStream } from './ipc';
import type { InputWire, OutputWire } from './protocol';

/** The channels of one run, by step. */
export class Wiring {
  private readonly inputs = new Map<string, InputWire[]>();
  private readonly outputs = new Map<string, OutputWire[]>();
  /** The consuming step of each edge, by edge id (collections have none). */
  private readonly consumers = new Map<string, string>();
  /** Collected ports by `"<stepId>.<port>"`. */
  readonly collectors = new Map<string, Collector>();
  /** Ports tapped for the cache by `"<stepId>.<port>"`. */
  readonly taps = new Map<string, Collector>();

  /**
   * Wires every edge of `doc`, every port named in `collect` (`"<stepId>.<port>"`), and every
   * port in `tap` (same form), whose collector keeps at most `tapBytes` bytes.
   */
  constructor(
    doc: PipelineDocument,
    collect: readonly string[],
    tap: readonly string[] = [],
    tapBytes = Infinity,
  ) {
    for (const edge of doc.edges) {
      const channel = new MessageChannel();
      add(this.outputs, edge.from.step, {
        port: edge.from.port,
        edgeId: edge.id,
        channel: channel.port1,
      });
      add(this.inputs, edge.to.step, {
        port: edge.to.port,
        edgeId: edge.id,
        channel: channel.port2,
      });
      this.consumers.set(edge.id, edge.to.step);
    }
    for (const key of collect) {
      const { stepId, port } = splitPortKey(key);
      const channel = new MessageChannel();
      const edgeId = `collect:${key}`;
      add(this.outputs, stepId, { port, edgeId, channel: channel.port1 });
      this.collectors.set(key, new Collector(stepId, new EdgeReceiver(edgeId, channel.port2)));
    }
    for (const key of tap) {
      const { stepId, port } = splitPortKey(key);
      const channel = new MessageChannel();
      const edgeId = `cache:${key}`;
      add(this.outputs, stepId, { port, edgeId, channel: channel.port1, tap: true });
      const receiver = new EdgeReceiver(edgeId, channel.port2);
      this.taps.set(key, new Collector(stepId, receiver, tapBytes));
    }
  }

  /** The input wires of `stepId` (the consumer ends of the edges into it). */
  inputsOf(stepId: string): InputWire[] {
    return this.inputs.get(stepId) ?? [];
  }

  /** The output wires of `stepId` (the producer ends of its edges and collections). */
  outputsOf(stepId: string): OutputWire[] {
    return this.outputs.get(stepId) ?? [];
  }

  /** The step consuming `edgeId`, or undefined for a collection. */
  consumerOf(edgeId: string): string | undefined {
    return this.consumers.get(edgeId);
  }
}

/**
 * The main thread's end of a collected port: takes every message as it arrives, giving the
 * producer credit for the next.
 */
export class Collector {
  private readonly received: Uint8Array[] = [];
  /** A bytes port's data is raw bytes, not an IPC stream. */
  raw = false;
  /** More than `maxBytes` arrived: the parts were dropped. */
  overflow = false;
  private keptBytes = 0;
  private endedFlag = false;
  /** Resolves once the producer ended the data; never if it fails or the run is cancelled. */
  readonly ended: Promise<void>;

  constructor(
    /** The producing step. */
    readonly stepId: string,
    private readonly receiver: EdgeReceiver,
    /** Most bytes kept; past it every part is dropped and {@link overflow} set. */
    private readonly maxBytes = Infinity,
  ) {
    this.ended = this.drain();
  }

  /** The producer ended its data early (it was stopped by its consumers). */
  get partial(): boolean {
    return this.receiver.partial;
  }

  /** Whether the producer ended the data. */
  get done(): boolean {
    return this.endedFlag;
  }

  /** The messages received (none after an overflow). */
  parts(): readonly Uint8Array[] {
    return this.received;
  }

  /** The whole data: one Arrow IPC stream, or a bytes port's bytes joined. */
  data(): Uint8Array {
    return this.raw ? joinParts(this.received) : concatStream(this.received);
  }

  /** Stops receiving (the producer will never end: it failed or was skipped). */
  close(): void {
    this.receiver.close();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const message = await this.receiver.next();
      if (message === null) break;
      this.keptBytes += message.bytes.byteLength;
      if (this.keptBytes > this.maxBytes) this.overflow = true;
      if (this.overflow) this.received.length = 0;
      else this.received.push(message.bytes);
      this.raw ||= message.kind === 'bytes';
      this.receiver.ack();
    }
    this.endedFlag = true;
  }
}

/** `"<stepId>.<port>"` → its step and port (a step id may contain dots; a port name not). */
export function splitPortKey(key: string): { stepId: string; port: string } {
  const dot = key.lastIndexOf('.');
  return { stepId: key.slice(0, dot), port: key.slice(dot + 1) };
}

/** Appends `value` to the list at `key`. */
function add<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Raw bytes of a bytes port, joined. */
function joinParts(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}
