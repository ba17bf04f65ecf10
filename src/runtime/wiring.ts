/**
 * Wiring a run before any worker starts: one MessageChannel per edge (the producer's end among
 * its step's outputs, the consumer's among its step's inputs) and one per collected port, whose
 * other end stays on the main thread in a {@link Collector}.
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

  /** Wires every edge of `doc` and every port named in `collect` (`"<stepId>.<port>"`). */
  constructor(doc: PipelineDocument, collect: readonly string[]) {
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
  private readonly parts: Uint8Array[] = [];
  /** A bytes port's data is raw bytes, not an IPC stream. */
  private raw = false;
  private endedFlag = false;
  /** Resolves once the producer ended the data; never if it fails or the run is cancelled. */
  readonly ended: Promise<void>;

  constructor(
    /** The producing step. */
    readonly stepId: string,
    private readonly receiver: EdgeReceiver,
  ) {
    this.ended = this.drain();
  }

  /** Whether the producer ended the data. */
  get done(): boolean {
    return this.endedFlag;
  }

  /** The whole data: one Arrow IPC stream, or a bytes port's bytes joined. */
  data(): Uint8Array {
    return this.raw ? joinParts(this.parts) : concatStream(this.parts);
  }

  /** Stops receiving (the producer will never end: it failed or was skipped). */
  close(): void {
    this.receiver.close();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const message = await this.receiver.next();
      if (message === null) break;
      this.parts.push(message.bytes);
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
