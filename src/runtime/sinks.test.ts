import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { writeArrowStream, writeCsv } from './sinks';

describe('sinks', () => {
  const table = tableFromArrays({
    name: ['plain', 'with, comma', 'with "quote"', null],
    n: Float64Array.from([1, 2.5, -3, 4]),
  });
  const stream = tableToIPC(table, 'stream');

  it('writes RFC 4180 CSV: header, CRLF, quoting only where needed, null as empty', () => {
    expect(new TextDecoder().decode(writeCsv(stream))).toBe(
      'name,n\r\nplain,1\r\n"with, comma",2.5\r\n"with ""quote""",-3\r\n,4\r\n',
    );
  });

  it('writes an Arrow IPC stream as it is, refusing bytes that are not one', () => {
    expect(writeArrowStream(stream)).toBe(stream);
    expect(() => writeArrowStream(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow();
  });
});
