/**
 * Splitting Arrow IPC bytes into their encapsulated messages, without decoding any data.
 *
 * Format (https://arrow.apache.org/docs/format/Columnar.html#serialization-and-interprocess-communication-ipc):
 * a stream is a sequence of messages `0xFFFFFFFF | int32 metadataSize | Message flatbuffer
 * (padded to 8) | body (bodyLength bytes)`, ended by `0xFFFFFFFF 0x00000000` or the end of the
 * bytes. Pre-1.0 writers omit the 0xFFFFFFFF continuation. A file is `ARROW1\0\0`, the same
 * stream, a footer, `int32 footerSize`, `ARROW1`. Only the Message table's header type and
 * body length, and a record batch's row count, are read from the flatbuffers.
 */

/** What an IPC message carries. */
export type IpcMessageKind = 'schema' | 'dictionary' | 'batch';

/** One encapsulated message: a view over the bytes it was split from. */
export interface IpcMessage {
  kind: IpcMessageKind;
  bytes: Uint8Array;
  /** Rows of a record batch (or of a dictionary batch's values); 0 for a schema. */
  rows: number;
}

/** The 8-byte end-of-stream marker. */
export const END_OF_STREAM = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);

const CONTINUATION = 0xffffffff;
const FILE_MAGIC = 'ARROW1';
/** MessageHeader union tags (Message.fbs). */
const HEADER_SCHEMA = 1;
const HEADER_DICTIONARY = 2;
const HEADER_RECORD_BATCH = 3;

/** Reading one flatbuffer table: the position of field `index`, or -1 when absent. */
function fieldPos(view: DataView, table: number, index: number): number {
  const vtable = table - view.getInt32(table, true);
  const vtableSize = view.getUint16(vtable, true);
  const slot = 4 + 2 * index;
  if (slot >= vtableSize) return -1;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? -1 : table + offset;
}

/** The table a uoffset field at `pos` points to. */
function deref(view: DataView, pos: number): number {
  return pos + view.getUint32(pos, true);
}

/** An Arrow IPC framing problem, with the byte offset where it was found. */
export class IpcFormatError extends Error {
  override name = 'IpcFormatError';
}

/** Whether `bytes` start with the Arrow file magic `ARROW1`. */
export function isArrowFile(bytes: Uint8Array): boolean {
  if (bytes.byteLength < 8) return false;
  for (let i = 0; i < FILE_MAGIC.length; i++) {
    if (bytes[i] !== FILE_MAGIC.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Splits an Arrow IPC stream, or an Arrow IPC file (its messages in order, footer skipped),
 * into messages. Throws {@link IpcFormatError} naming the offset of a truncated or unknown
 * message (tensors are not supported).
 */
export function splitIpc(bytes: Uint8Array): IpcMessage[] {
  try {
    return splitMessages(bytes);
  } catch (error) {
    // A flatbuffer offset pointing outside the bytes (hostile or corrupt data).
    if (error instanceof RangeError) {
      throw new IpcFormatError(`Arrow IPC: malformed message metadata (${error.message})`);
    }
    throw error;
  }
}

function splitMessages(bytes: Uint8Array): IpcMessage[] {
  let start = 0;
  let end = bytes.byteLength;
  if (isArrowFile(bytes)) {
    const tail = new DataView(bytes.buffer, bytes.byteOffset + end - 10, 4);
    const footerSize = tail.getInt32(0, true);
    start = 8;
    end = end - 10 - footerSize;
    if (end < start) throw new IpcFormatError('Arrow file: footer size larger than the file');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const messages: IpcMessage[] = [];
  let pos = start;
  while (pos + 4 <= end) {
    const at = pos;
    let metadataSize = view.getUint32(pos, true);
    pos += 4;
    if (metadataSize === CONTINUATION) {
      if (pos + 4 > end) break;
      metadataSize = view.getUint32(pos, true);
      pos += 4;
    }
    if (metadataSize === 0) break;
    if (pos + metadataSize > end) {
      throw new IpcFormatError(`Arrow IPC: message at byte ${at} is truncated`);
    }
    const message = pos + view.getUint32(pos, true);
    const typePos = fieldPos(view, message, 1);
    const headerType = typePos < 0 ? 0 : view.getUint8(typePos);
    const bodyPos = fieldPos(view, message, 3);
    const bodyLength = bodyPos < 0 ? 0 : Number(view.getBigInt64(bodyPos, true));
    const headerPos = fieldPos(view, message, 2);
    const total = pos - at + metadataSize + bodyLength;
    if (at + total > end) throw new IpcFormatError(`Arrow IPC: message at byte ${at} is truncated`);
    const slice = bytes.subarray(at, at + total);
    if (headerType === HEADER_SCHEMA) {
      messages.push({ kind: 'schema', bytes: slice, rows: 0 });
    } else if (headerType === HEADER_RECORD_BATCH && headerPos >= 0) {
      messages.push({
        kind: 'batch',
        bytes: slice,
        rows: batchLength(view, deref(view, headerPos)),
      });
    } else if (headerType === HEADER_DICTIONARY && headerPos >= 0) {
      const dict = deref(view, headerPos);
      const dataPos = fieldPos(view, dict, 1);
      const rows = dataPos < 0 ? 0 : batchLength(view, deref(view, dataPos));
      messages.push({ kind: 'dictionary', bytes: slice, rows });
    } else {
      throw new IpcFormatError(
        `Arrow IPC: message at byte ${at} has unsupported header type ${headerType}`,
      );
    }
    pos = at + total;
  }
  return messages;
}

/** RecordBatch.length (field 0, int64). */
function batchLength(view: DataView, recordBatch: number): number {
  const lengthPos = fieldPos(view, recordBatch, 0);
  return lengthPos < 0 ? 0 : Number(view.getBigInt64(lengthPos, true));
}

/** Concatenates messages (views or buffers) and an end-of-stream marker into one IPC stream. */
export function concatStream(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let size = END_OF_STREAM.byteLength;
  for (const part of parts) size += part.byteLength;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  out.set(END_OF_STREAM, offset);
  return out;
}

/** A copy of `view` in an ArrayBuffer of its own, so that it can be transferred alone. */
export function ownBuffer(view: Uint8Array): ArrayBuffer {
  return view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer;
}

/** Where the message at the start of some bytes ends, as far as those bytes tell. */
export interface IpcMessageExtent {
  /** Bytes of its prefix and metadata; 0 at an end-of-stream marker. */
  metadataEnd: number;
  /** Bytes of the whole message (prefix, metadata, body); null until the metadata is there. */
  size: number | null;
}

/**
 * The extent of the message `head` starts with, so that a reader can fetch one message at a
 * time: `head` needs {@link IPC_PREFIX_BYTES} bytes (fewer only at the end of the data) for
 * `metadataEnd`, and `metadataEnd` bytes for `size`.
 */
export function ipcMessageExtent(head: Uint8Array): IpcMessageExtent {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  if (head.byteLength < 4) return { metadataEnd: 0, size: 0 };
  let prefix = 4;
  let metadataSize = view.getUint32(0, true);
  if (metadataSize === CONTINUATION) {
    metadataSize = head.byteLength < 8 ? 0 : view.getUint32(4, true);
    prefix = 8;
  }
  if (metadataSize === 0) return { metadataEnd: 0, size: 0 };
  const metadataEnd = prefix + metadataSize;
  if (head.byteLength < metadataEnd) return { metadataEnd, size: null };
  const bodyPos = fieldPos(view, prefix + view.getUint32(prefix, true), 3);
  const body = bodyPos < 0 ? 0 : Number(view.getBigInt64(bodyPos, true));
  return { metadataEnd, size: metadataEnd + body };
}

/** Bytes before a message's metadata: the continuation marker and the metadata size. */
export const IPC_PREFIX_BYTES = 8;
