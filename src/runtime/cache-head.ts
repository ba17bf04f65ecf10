/**
 * Reading only the head of a cached port's Arrow IPC stream (a sampled run,
 * `RunOptions.sampleRows`): how many bytes to read for its first rows, and the whole messages
 * among the bytes read.
 */
import { ipcMessageExtent, splitIpc } from './ipc';

const MIB = 1024 * 1024;

/**
 * Bytes to read from the start of a stream of `totalBytes` bytes and `totalRows` rows so that
 * the whole record batches within its first `headRows` rows are most likely all there: the
 * rows' share of the bytes, a quarter more (batches differ in bytes per row), and 1 MiB for
 * the schema and dictionaries. Null when that is (about) the whole stream.
 */
export function headBytes(totalBytes: number, totalRows: number, headRows: number): number | null {
  if (totalRows <= headRows || totalRows === 0) return null;
  const bytes = Math.ceil(((totalBytes * headRows) / totalRows) * 1.25) + MIB;
  return bytes < totalBytes ? bytes : null;
}

/**
 * The longest prefix of `head` (the first bytes of an IPC stream) made of whole messages, or
 * null when it holds no record batch (too little was read: read the stream whole).
 */
export function wholeMessages(head: Uint8Array): Uint8Array | null {
  let end = 0;
  for (;;) {
    const { size } = ipcMessageExtent(head.subarray(end));
    if (size === null || size === 0 || end + size > head.byteLength) break;
    end += size;
  }
  const prefix = head.subarray(0, end);
  return splitIpc(prefix).some((m) => m.kind === 'batch') ? prefix : null;
}
