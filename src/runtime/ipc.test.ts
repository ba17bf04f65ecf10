import { readFileSync } from 'node:fs';
import { tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { concatStream, isArrowFile, splitIpc } from './ipc';

const flights = new Uint8Array(readFileSync('node_modules/vega-datasets/data/flights-200k.arrow'));

describe('splitIpc', () => {
  it('splits an Arrow file into schema, dictionaries and batches with apache-arrow row counts', () => {
    expect(isArrowFile(flights)).toBe(true);
    const messages = splitIpc(flights);
    const table = tableFromIPC(flights);
    expect(messages[0]?.kind).toBe('schema');
    const batches = messages.filter((m) => m.kind === 'batch');
    expect(batches.map((m) => m.rows)).toEqual(table.batches.map((b) => b.numRows));
    // Re-assembled as a stream, apache-arrow reads the same table.
    const again = tableFromIPC(concatStream(messages.map((m) => m.bytes)));
    expect(again.numRows).toBe(table.numRows);
    expect(again.getChild('delay')?.get(12345)).toBe(table.getChild('delay')?.get(12345));
  });

  it('splits a multi-batch stream', () => {
    const a = tableFromArrays({ x: Int32Array.from([1, 2, 3]) });
    const b = tableFromArrays({ x: Int32Array.from([4, 5]) });
    const stream = tableToIPC(a.concat(b), 'stream');
    const messages = splitIpc(stream);
    expect(messages.map((m) => [m.kind, m.rows])).toEqual([
      ['schema', 0],
      ['batch', 3],
      ['batch', 2],
    ]);
  });

  it('names the offset of a truncated message', () => {
    const stream = tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'stream');
    const cut = stream.subarray(0, stream.byteLength - 20);
    expect(() => splitIpc(cut)).toThrow(/message at byte \d+ is truncated/);
  });
});
