/**
 * Arrow IPC stream → CSV text for the editor's downloads: the runtime's sink (RFC 4180: comma
 * separated, CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled;
 * nulls empty; dates and timestamps ISO 8601 with the column's zone).
 */
import { tableFromIPC } from 'apache-arrow';
import { tableToCsv } from '../runtime/sinks';

/** The CSV text of an Arrow IPC stream, header first. */
export function arrowToCsv(bytes: Uint8Array): string {
  return tableToCsv(tableFromIPC(bytes));
}
