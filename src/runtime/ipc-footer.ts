/**
 * The schema of an Arrow IPC file from its footer, as an IPC schema message. The Arrow spec
 * has a file repeat its schema as the first message after the magic, but apache-arrow's JS
 * `RecordBatchFileWriter` writes it only in the footer; readers that go message by message
 * (the source step) then find record batches without a schema. This builds the missing
 * message without decoding anything: a new Message flatbuffer (Message.fbs: version,
 * header_type = Schema, header, bodyLength 0) whose `header` points at the Schema table inside
 * a verbatim copy of the footer placed after it, so every offset of the footer stays valid.
 */
import { IpcFormatError } from './ipc';

/** MessageHeader union tag of a Schema (Message.fbs). */
const HEADER_SCHEMA = 1;
/** MetadataVersion V5, used when the footer states none. */
const METADATA_V5 = 4;

/** Position of field `index` of the flatbuffer table at `table`, or -1 when absent. */
function fieldPos(view: DataView, table: number, index: number): number {
  const vtable = table - view.getInt32(table, true);
  const slot = 4 + 2 * index;
  if (slot >= view.getUint16(vtable, true)) return -1;
  const offset = view.getUint16(vtable + slot, true);
  return offset === 0 ? -1 : table + offset;
}

/**
 * An encapsulated IPC schema message (`0xFFFFFFFF`, int32 metadata size, Message flatbuffer
 * padded to 8, no body) carrying the schema of `footer`, the Footer flatbuffer bytes of an IPC
 * file (Footer.fbs: version, schema, dictionaries, recordBatches). Throws
 * {@link IpcFormatError} when the footer is malformed or has no schema.
 */
export function schemaMessageFromFooter(footer: Uint8Array): Uint8Array<ArrayBuffer> {
  const src = new DataView(footer.buffer, footer.byteOffset, footer.byteLength);
  let schema: number;
  let version = METADATA_V5;
  try {
    const root = src.getUint32(0, true);
    const schemaField = fieldPos(src, root, 1);
    if (schemaField < 0) throw new IpcFormatError('the IPC file footer has no schema');
    schema = schemaField + src.getUint32(schemaField, true);
    const versionField = fieldPos(src, root, 0);
    if (versionField >= 0) version = src.getInt16(versionField, true);
    if (schema >= footer.byteLength) throw new RangeError('schema offset');
  } catch (e) {
    if (e instanceof IpcFormatError) throw e;
    throw new IpcFormatError('the IPC file footer is malformed', { cause: e });
  }
  // Layout: [0] root uoffset → table at 16; [4] vtable (3 fields); [16] table: soffset,
  // header uoffset, version, header_type; [32] the footer, verbatim.
  const TABLE = 16;
  const FOOTER = 32;
  const metadataSize = FOOTER + footer.byteLength + ((8 - (footer.byteLength % 8)) % 8);
  const out = new Uint8Array(8 + metadataSize);
  const view = new DataView(out.buffer, 8);
  new DataView(out.buffer).setUint32(0, 0xffffffff, true);
  new DataView(out.buffer).setInt32(4, metadataSize, true);
  view.setUint32(0, TABLE, true);
  view.setUint16(4, 10, true); // vtable bytes: 4 + 2 × 3 fields
  view.setUint16(6, 12, true); // table bytes
  view.setUint16(8, 8, true); // field 0, version: table + 8
  view.setUint16(10, 10, true); // field 1, header_type: table + 10
  view.setUint16(12, 4, true); // field 2, header: table + 4
  view.setInt32(TABLE, TABLE - 4, true); // soffset to the vtable at 4
  view.setUint32(TABLE + 4, FOOTER + schema - (TABLE + 4), true);
  view.setInt16(TABLE + 8, version, true);
  view.setUint8(TABLE + 10, HEADER_SCHEMA);
  out.set(footer, 8 + FOOTER);
  return out;
}
