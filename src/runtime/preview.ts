/**
 * The preview of an output port: its schema and first rows as plain JSON, gathered while the
 * batches stream past (before they are transferred away), decoded with apache-arrow.
 */
import { tableFromIPC } from 'apache-arrow';
import { fromArrowSchema } from '../pipeline/arrow-schema';
import { concatStream, type IpcMessageKind } from './ipc';
import type { PortPreview } from './protocol';

/** A JSON-safe value: int64 as a number when exact, else a string; dates as ISO strings. */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value !== null && typeof value === 'object') {
    const maybeJson = value as { toJSON?: () => unknown };
    return typeof maybeJson.toJSON === 'function' ? maybeJson.toJSON() : String(value);
  }
  return value;
}

/** Collects the first `limitRows` rows of one port. */
export class PreviewCollector {
  private preamble: Uint8Array[] = [];
  private rows: Record<string, unknown>[] = [];
  private schemaSeen: PortPreview['schema'] | null = null;
  private sealed = false;

  constructor(readonly limitRows: number) {}

  /** Whether more rows are wanted (so that later batches are not decoded at all). */
  get wantsMore(): boolean {
    return !this.sealed && (this.schemaSeen === null || this.rows.length < this.limitRows);
  }

  /**
   * Takes the whole preview from `messages` (an IPC stream's schema, dictionaries and batches)
   * and ignores every message added later: a Parquet source that decodes only some columns
   * still previews all of them this way.
   */
  fillFrom(messages: readonly { kind: IpcMessageKind; bytes: Uint8Array }[]): void {
    for (const m of messages) this.add(m.kind, m.bytes);
    this.sealed = true;
  }

  /** Sees one message before it is sent on; decodes it only while rows are wanted. */
  add(kind: 'schema' | 'dictionary' | 'batch', bytes: Uint8Array): void {
    if (this.sealed) return;
    if (kind === 'schema') {
      if (this.schemaSeen !== null) return;
      this.preamble.push(bytes.slice());
      this.schemaSeen = fromArrowSchema(tableFromIPC(concatStream(this.preamble)).schema);
      return;
    }
    if (!this.wantsMore) return;
    if (kind === 'dictionary') {
      this.preamble.push(bytes.slice());
      return;
    }
    const table = tableFromIPC(concatStream([...this.preamble, bytes]));
    const names = table.schema.fields.map((f) => f.name);
    const take = Math.min(table.numRows, this.limitRows - this.rows.length);
    for (let i = 0; i < take; i++) {
      const row: Record<string, unknown> = {};
      for (const [c, name] of names.entries()) row[name] = toJsonValue(table.getChildAt(c)?.get(i));
      this.rows.push(row);
    }
  }

  /** The preview, or null when no schema went past. */
  result(): PortPreview | null {
    return this.schemaSeen === null ? null : { schema: this.schemaSeen, rows: this.rows };
  }
}
