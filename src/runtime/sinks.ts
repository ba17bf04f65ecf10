/**
 * Sinks on the host: an output collected as an Arrow IPC stream, written as CSV (RFC 4180:
 * comma, CRLF line ends, fields quoted when they hold a comma, a quote or a line break) or as
 * the Arrow IPC stream itself (Parquet: parquet-sink.ts). Used by the command line's `--output`
 * and the editor's downloads.
 */
import { type Table, tableFromIPC } from 'apache-arrow';
import { toJsonValue } from './preview';
import { temporalText } from './temporal-text';

/** CSV text of `table`, header first; nulls are empty fields, dates and timestamps ISO 8601
 * (with the column's zone, see temporal-text.ts). */
export function tableToCsv(table: Table): string {
  const names = table.schema.fields.map((f) => f.name);
  const lines = [names.map(csvField).join(',')];
  const columns = names.map((_, i) => table.getChildAt(i));
  const temporal = columns.map((column) => (column ? temporalText(column) : undefined));
  for (let row = 0; row < table.numRows; row++) {
    lines.push(
      columns
        .map((column, c) => csvField(temporal[c] ? temporal[c](row) : column?.get(row)))
        .join(','),
    );
  }
  return lines.join('\r\n') + '\r\n';
}

function csvField(value: unknown): string {
  const plain = toJsonValue(value);
  if (plain === null || plain === undefined) return '';
  const text = typeof plain === 'object' ? JSON.stringify(plain) : String(plain);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** CSV bytes (UTF-8) of an Arrow IPC stream. */
export function writeCsv(ipcStream: Uint8Array): Uint8Array {
  return new TextEncoder().encode(tableToCsv(tableFromIPC(ipcStream)));
}

/** Arrow IPC stream bytes of an Arrow IPC stream: checked readable, returned as they are. */
export function writeArrowStream(ipcStream: Uint8Array): Uint8Array {
  tableFromIPC(ipcStream);
  return ipcStream;
}
