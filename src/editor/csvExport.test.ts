import { describe, expect, it } from 'vitest';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { arrowToCsv } from './csvExport';

describe('arrowToCsv', () => {
  it('writes RFC 4180 CSV: header, quoted commas/quotes/newlines, empty nulls', () => {
    const table = tableFromArrays({
      name: ['plain', 'a,b', 'say "hi"', 'two\nlines', null],
      n: Float64Array.from([1, 2.5, -3, 0, 4]),
    });
    const csv = arrowToCsv(tableToIPC(table, 'stream'));
    expect(csv).toBe(
      'name,n\r\nplain,1\r\n"a,b",2.5\r\n"say ""hi""",-3\r\n"two\nlines",0\r\n,4\r\n',
    );
  });
});
