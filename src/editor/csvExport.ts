/**
 * Arrow IPC stream → CSV text (RFC 4180: comma separated, CRLF line ends, fields with a comma,
 * quote or line break quoted, quotes doubled). Nulls become empty fields; dates and
 * timestamps ISO 8601 in UTC.
 */
import { tableFromIPC } from 'apache-arrow';

function field(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s: string;
  if (v instanceof Date) s = v.toISOString();
  else if (typeof v === 'object')
    s = JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
  else s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV text of an Arrow IPC stream, header first. */
export function arrowToCsv(bytes: Uint8Array): string {
  const table = tableFromIPC(bytes);
  const names = table.schema.fields.map((f) => f.name);
  const cols = names.map((_, i) => table.getChildAt(i));
  const lines = [names.map(field).join(',')];
  for (let r = 0; r < table.numRows; r += 1) {
    lines.push(cols.map((c) => field(c?.get(r))).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
