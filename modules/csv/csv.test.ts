/**
 * The csv module end to end (wasm built from source, run by the runtime's WASI host, output
 * decoded by apache-arrow): dialect features, type inference and overrides, row errors and
 * the batch layout. Expected values are written by hand from the input text.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { conformanceDir, rawValues, runCsv, typesOf, type CsvRun } from './csv-harness';

/** Asserts a successful run and returns its table. */
function ok(run: CsvRun): NonNullable<CsvRun['table']> {
  expect(run.stderr.includes('error') ? run.stderr : '').toBe('');
  expect(run.exitCode).toBe(0);
  expect(run.table).toBeDefined();
  return run.table!;
}

/** Asserts a failed run and returns the error line of stderr. */
function failure(run: CsvRun): string {
  expect(run.exitCode).toBe(1);
  return run.stderr.trim().split('\n').at(-1) ?? '';
}

describe('csv module: dialect', () => {
  it('skips a UTF-8 byte-order mark', () => {
    const t = ok(runCsv('\uFEFFa,b\n1,x\n'));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(rawValues(t, 'a')).toEqual([1n]);
  });

  it('reads CRLF, LF and lone CR line ends alike', () => {
    for (const nl of ['\r\n', '\n', '\r']) {
      const t = ok(runCsv(`a,b${nl}1,x${nl}2,y${nl}`));
      expect(rawValues(t, 'a')).toEqual([1n, 2n]);
      expect(rawValues(t, 'b')).toEqual(['x', 'y']);
    }
  });

  it('keeps delimiters, doubled quotes and line breaks inside quoted fields', () => {
    const t = ok(runCsv('a,b\n"x, ""y""\nz",1\n"p\r\nq",2\n'));
    expect(rawValues(t, 'a')).toEqual(['x, "y"\nz', 'p\r\nq']);
    expect(rawValues(t, 'b')).toEqual([1n, 2n]);
  });

  it('supports backslash escapes, other delimiters and no quoting', () => {
    const esc = ok(runCsv('a;b\n"x\\"y;z";1\n', { delimiter: ';', escape: '\\' }));
    expect(rawValues(esc, 'a')).toEqual(['x"y;z']);
    const tsv = ok(runCsv('a\tb\n"x\t1\n', { delimiter: '\t', quote: '' }));
    expect(rawValues(tsv, 'a')).toEqual(['"x']);
    expect(rawValues(tsv, 'b')).toEqual([1n]);
    const single = ok(runCsv("a,b\n'x,y',2\n", { quote: "'" }));
    expect(rawValues(single, 'a')).toEqual(['x,y']);
    // An empty escape is the quote itself: doubled quotes, as by default.
    const doubled = ok(runCsv("a\n'x''y'\n", { quote: "'", escape: '' }));
    expect(rawValues(doubled, 'a')).toEqual(["x'y"]);
  });

  it('skips blank lines and keeps a quote inside an unquoted field', () => {
    const t = ok(runCsv('a,b\n\n1,x"y\n\r\n2,z\n\n'));
    expect(rawValues(t, 'a')).toEqual([1n, 2n]);
    expect(rawValues(t, 'b')).toEqual(['x"y', 'z']);
  });

  it('handles an empty file, a header-only file and a file without a header', () => {
    const empty = ok(runCsv(''));
    expect(empty.schema.fields).toHaveLength(0);
    expect(empty.numRows).toBe(0);
    const headerOnly = ok(runCsv('a,b\r\n'));
    expect(typesOf(headerOnly)).toEqual({ a: 'Utf8', b: 'Utf8' });
    expect(headerOnly.numRows).toBe(0);
    const noHeader = ok(runCsv('1,x\n2,y\n', { header: false }));
    expect(noHeader.schema.fields.map((f) => f.name)).toEqual(['column_1', 'column_2']);
    expect(rawValues(noHeader, 'column_1')).toEqual([1n, 2n]);
  });

  it('names empty and repeated header fields', () => {
    const t = ok(runCsv('a,a,,a_1,b\n1,2,3,4,5\n'));
    expect(t.schema.fields.map((f) => f.name)).toEqual(['a', 'a_1', 'column_3', 'a_1_1', 'b']);
  });

  it('replaces invalid UTF-8 with U+FFFD and says so', () => {
    const run = runCsv(new Uint8Array([0x61, 0x0a, 0x78, 0xff, 0x79, 0x0a]));
    expect(rawValues(ok(run), 'a')).toEqual(['x\uFFFDy']);
    expect(run.stderr).toContain('1 text fields held invalid UTF-8');
  });
});

describe('csv module: types', () => {
  it('infers bool, int64, float64, date32, timestamp and utf8', () => {
    const text =
      'b,i,f,d,ts,tz,s\n' +
      'true,1,1.5,2020-01-02,2020-01-02T03:04:05.123456,2020-01-02T03:04:05Z,x\n' +
      'FALSE,-9223372036854775808,-2e3,1970-01-01,2020-01-02 03:04,2020-01-02 05:04:05+02:00,007\n';
    const run = runCsv(text);
    const t = ok(run);
    expect(typesOf(t)).toEqual({
      b: 'Bool',
      i: 'Int64',
      f: 'Float64',
      d: 'Date32<DAY>',
      ts: 'Timestamp<MICROSECOND>',
      tz: 'Timestamp<MICROSECOND, UTC>',
      s: 'Utf8',
    });
    expect(run.stdout).toContain(
      'csv: columns: b: bool, i: int64, f: float64, d: date32, ts: timestamp, tz: timestamp with time zone, s: utf8\n',
    );
    expect(rawValues(t, 'b')).toEqual([true, false]);
    expect(rawValues(t, 'i')).toEqual([1n, -9223372036854775808n]);
    expect(rawValues(t, 'f')).toEqual([1.5, -2000]);
    expect(rawValues(t, 'd')).toEqual([Date.UTC(2020, 0, 2) / 86_400_000, 0]);
    const us = (ms: number, extra = 0): bigint => BigInt(ms) * 1000n + BigInt(extra);
    expect(rawValues(t, 'ts')).toEqual([
      us(Date.UTC(2020, 0, 2, 3, 4, 5, 123), 456),
      us(Date.UTC(2020, 0, 2, 3, 4)),
    ]);
    expect(rawValues(t, 'tz')).toEqual([
      us(Date.UTC(2020, 0, 2, 3, 4, 5)),
      us(Date.UTC(2020, 0, 2, 3, 4, 5)),
    ]);
    // A leading zero marks an identifier, kept as text.
    expect(rawValues(t, 's')).toEqual(['x', '007']);
  });

  it('reads float64 text exactly as JavaScript does (correct rounding)', () => {
    // Deterministic xorshift, so a failure reproduces.
    let seed = 0x9e3779b9;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 2 ** 32;
    };
    const texts: string[] = [
      '0.1',
      '-0',
      '5e-324',
      '2.2250738585072014e-308',
      '1.7976931348623157e308',
    ];
    texts.push('9007199254740993', '123456789012345678901234567890', '0.30000000000000004441');
    for (let i = 0; i < 3000; i++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 600 - 300);
      texts.push(
        String(x),
        x.toExponential(Math.floor(next() * 25)),
        x.toPrecision(1 + Math.floor(next() * 21)),
      );
    }
    const t = ok(runCsv(`x\n${texts.join('\n')}\n`, { columnTypes: { x: 'float64' } }));
    const got = rawValues(t, 'x') as number[];
    const bad = texts.findIndex((text, i) => !Object.is(got[i], Number(text)));
    expect(bad, `${texts[bad]} read as ${got[bad]}`).toBe(-1);
  });

  it("reads dates and zoned timestamps as JavaScript's Date.parse does, and rejects impossible dates", () => {
    let seed = 12345;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const pad = (v: number, w: number): string => String(v).padStart(w, '0');
    const dates: string[] = ['0001-01-01', '1969-12-31', '2000-02-29', '9999-12-31'];
    const stamps: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const day = `${pad(1 + next(9999), 4)}-${pad(1 + next(12), 2)}-${pad(1 + next(28), 2)}`;
      dates.push(day);
      const zone =
        next(3) === 0 ? 'Z' : `${next(2) ? '+' : '-'}${pad(next(15), 2)}:${pad(next(4) * 15, 2)}`;
      stamps.push(
        `${day}T${pad(next(24), 2)}:${pad(next(60), 2)}:${pad(next(60), 2)}.${pad(next(1000), 3)}${zone}`,
      );
    }
    const t = ok(
      runCsv(
        `d,ts\n${dates
          .slice(0, 2000)
          .map((d, i) => `${d},${stamps[i]}`)
          .join('\n')}\n`,
      ),
    );
    expect(typesOf(t)).toEqual({ d: 'Date32<DAY>', ts: 'Timestamp<MICROSECOND, UTC>' });
    expect(rawValues(t, 'd')).toEqual(dates.slice(0, 2000).map((d) => Date.parse(d) / 86_400_000));
    expect(rawValues(t, 'ts')).toEqual(stamps.map((s) => BigInt(Date.parse(s)) * 1000n));
    for (const impossible of [
      '2021-02-29',
      '1900-02-29',
      '2020-04-31',
      '2020-13-01',
      '2020-00-10',
    ]) {
      expect(typesOf(ok(runCsv(`d\n2020-01-01\n${impossible}\n`)))).toEqual({ d: 'Utf8' });
    }
  });

  it('mixes int64 and float64 into float64, date32 and timestamp into timestamp', () => {
    const t = ok(runCsv('a,b\n1,2020-01-01\n2.5,2020-01-01T12:00\n9223372036854775808,\n'));
    expect(typesOf(t)).toEqual({ a: 'Float64', b: 'Timestamp<MICROSECOND>' });
    expect(rawValues(t, 'a')).toEqual([1, 2.5, 9223372036854775808]);
    expect(rawValues(t, 'b')).toEqual([
      BigInt(Date.UTC(2020, 0, 1)) * 1000n,
      BigInt(Date.UTC(2020, 0, 1, 12)) * 1000n,
      null,
    ]);
  });

  it('fixes types after inferRows rows: a later value that does not fit is a row error', () => {
    // As DuckDB's read_csv after its sample: the error names line, column, value and type,
    // and says how to avoid it.
    expect(failure(runCsv('a,b\n1,x\n2,y\n3.5,z\n', { inferRows: 2 }))).toBe(
      'error: csv: line 4, column 1 (field 1 "a"): "3.5" is not a valid int64, the type ' +
        'inferred from the first 2 rows (raise inferRows, 0 = all rows, or set columnTypes)',
    );
    // Sampling every row (inferRows 0) widens instead; so does a forced type.
    const all = ok(runCsv('a\n1\n2\n3.5\n', { inferRows: 0 }));
    expect(typesOf(all)).toEqual({ a: 'Float64' });
    expect(rawValues(all, 'a')).toEqual([1, 2, 3.5]);
    const forced = ok(runCsv('a\n1\n2\nx\n', { inferRows: 1, columnTypes: { a: 'utf8' } }));
    expect(rawValues(forced, 'a')).toEqual(['1', '2', 'x']);
    // Skip mode drops and counts such rows, keeping the inferred type.
    const skipped = runCsv('a,b\n1.50,1\n2,2\nx,3\n', { inferRows: 1, onError: 'skip' });
    expect(typesOf(ok(skipped))).toEqual({ a: 'Float64', b: 'Int64' });
    expect(rawValues(skipped.table!, 'b')).toEqual([1n, 2n]);
    expect(skipped.stderr).toContain('csv: skipped 1 malformed rows');
    // A sample shorter than inferRows is the whole input.
    const short = ok(runCsv('a,b\n1.50,1\n2,2\nx,3\n'));
    expect(typesOf(short)).toEqual({ a: 'Utf8', b: 'Int64' });
    expect(rawValues(short, 'a')).toEqual(['1.50', '2', 'x']);
    // A column null throughout the sample is utf8 (DuckDB: VARCHAR), so later values fit.
    const late = ok(runCsv('a\n\n\nNA\n2020-05-01\n', { inferRows: 1 }));
    expect(typesOf(late)).toEqual({ a: 'Utf8' });
    expect(rawValues(late, 'a')).toEqual([null, '2020-05-01']);
  });

  it('reads null tokens in unquoted fields only', () => {
    const t = ok(runCsv('a,b\n1,NA\n,null\nNULL,"NA"\n'));
    expect(rawValues(t, 'a')).toEqual([1n, null, null]);
    expect(rawValues(t, 'b')).toEqual([null, null, 'NA']);
    const custom = ok(runCsv('a,b\n-,NA\n"",x\n', { nullTokens: ['-'] }));
    expect(rawValues(custom, 'a')).toEqual([null, '']);
    expect(rawValues(custom, 'b')).toEqual(['NA', 'x']);
  });

  it('applies forced column types', () => {
    const t = ok(
      runCsv('a,b,c\n1,007,2020-01-01T10:00+01:00\n', {
        columnTypes: { a: 'float64', b: 'int64', c: 'timestamp' },
      }),
    );
    expect(typesOf(t)).toEqual({ a: 'Float64', b: 'Int64', c: 'Timestamp<MICROSECOND>' });
    expect(rawValues(t, 'b')).toEqual([7n]);
    expect(rawValues(t, 'c')).toEqual([BigInt(Date.UTC(2020, 0, 1, 9)) * 1000n]);
    const text = ok(runCsv('a\n1\n2\n', { columnTypes: { a: 'utf8' } }));
    expect(rawValues(text, 'a')).toEqual(['1', '2']);
  });

  it('fails on a value that does not parse as its forced type, naming line, column and value', () => {
    const run = runCsv('a,b\n1,x\n2,y\nz,w\n', { columnTypes: { a: 'int64' } });
    expect(failure(run)).toBe(
      'error: csv: line 4, column 1 (field 1 "a"): "z" is not a valid int64',
    );
    const unknown = runCsv('a\n1\n', { columnTypes: { nope: 'int64' } });
    expect(failure(unknown)).toContain('columnTypes names column "nope"');
    expect(failure(runCsv('a\n1\n', { columnTypes: { a: 'int32' } }))).toContain(
      "columnTypes['a'] must be one of int64, float64, bool, date32, timestamp, utf8",
    );
    expect(failure(runCsv('a\n1\n', { bogus: 1 }))).toBe("error: csv: unknown parameter 'bogus'");
    expect(failure(runCsv('a\n1\n', { delimiter: '"' }))).toContain('the delimiter must differ');
  });
});

describe('csv module: malformed rows', () => {
  it('fails on a row with too many fields, naming line and column', () => {
    const run = runCsv('a,b\n1,2\n3,4,5\n');
    expect(failure(run)).toBe(
      'error: csv: line 3, column 5: expected 2 fields, found 3 (field 3 starts here)',
    );
  });

  it('fails on a row with too few fields, naming where the record ends', () => {
    const run = runCsv('a,b,c\n"x\ny",2\n');
    expect(failure(run)).toBe(
      'error: csv: line 3, column 5 (record starts on line 2): expected 3 fields, found 2 (the record ends here)',
    );
  });

  it('fails on an unterminated quote and on text after a closing quote', () => {
    expect(failure(runCsv('a,b\n1,"abc\n'))).toBe(
      'error: csv: line 2, column 3: quoted field is not closed before the end of the file',
    );
    expect(failure(runCsv('a\n"x"y\n'))).toContain(
      'line 2, column 4: unexpected text after a closing quote',
    );
  });

  it('skips malformed rows in skip mode, logging them and their count', () => {
    const run = runCsv('a,b\n1,2\n3\n4,5\n6,7,8\n"x"y,1\nq,9\n10,11\n', {
      onError: 'skip',
      columnTypes: { a: 'int64' },
    });
    const t = ok(run);
    expect(rawValues(t, 'a')).toEqual([1n, 4n, 10n]);
    expect(rawValues(t, 'b')).toEqual([2n, 5n, 11n]);
    expect(run.stderr).toContain('csv: skipped row: line 3, column 2: expected 2 fields, found 1');
    expect(run.stderr).toContain(
      'csv: skipped row: line 7, column 1 (field 1 "a"): "q" is not a valid int64',
    );
    expect(run.stderr).toContain('csv: skipped 4 malformed rows');
  });
});

describe('csv module: limits', () => {
  it('reads 16384 columns and refuses a header with more', () => {
    const names = (n: number): string => Array.from({ length: n }, (_, i) => `c${i}`).join(',');
    // Not decoded: apache-arrow needs seconds for 16384 columns; the module takes ~0.2 s.
    const wide = runCsv(`${names(16_384)}\n${'1,'.repeat(16_383)}1\n`, {}, { decode: false });
    expect(wide.exitCode).toBe(0);
    expect(wide.stdout).toContain('csv: 1 rows, 16384 columns, 1 record batches');
    expect(wide.outputSizeBytes).toBeGreaterThan(16_384 * 8);
    expect(failure(runCsv(`${names(16_385)}\n`))).toMatch(
      /^error: csv: header: line 1, column \d+: record has more than 16384 fields$/,
    );
  });
});

describe('csv module: hostile input', () => {
  it('exits 0, or 1 with a line-and-column error, on every conformance fuzz file (no trap)', () => {
    const dir = join(conformanceDir, 'fuzz');
    const files = readdirSync(dir).filter((f) => f.startsWith('clusterfuzz'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      for (const params of [{}, { onError: 'skip', inferRows: 1, batchSizeRows: 7 }]) {
        const run = runCsv(readFileSync(join(dir, file)), params);
        if (run.exitCode !== 0) {
          expect(failure(run), file).toMatch(/^error: csv: line \d+, column \d+/);
        }
      }
    }
  });
});

describe('csv module: batches', () => {
  it('streams a large file in record batches of batchSizeRows rows', () => {
    const n = 150_000;
    const lines = ['id,half,label'];
    for (let i = 0; i < n; i++) lines.push(`${i},${i / 2},"r${i % 7}"`);
    const run = runCsv(lines.join('\n'), { batchSizeRows: 65_536 });
    const t = ok(run);
    expect(t.numRows).toBe(n);
    expect(t.batches.map((b) => b.numRows)).toEqual([65_536, 65_536, n - 2 * 65_536]);
    const ids = rawValues(t, 'id') as bigint[];
    const halves = rawValues(t, 'half') as number[];
    expect(ids.reduce((a, b) => a + b, 0n)).toBe(BigInt((n * (n - 1)) / 2));
    expect(halves.every((h, i) => h === i / 2)).toBe(true);
    expect(rawValues(t, 'label')[100_000]).toBe(`r${100_000 % 7}`);
    expect(run.stdout).toContain(`csv: ${n} rows, 3 columns, 3 record batches`);
  });
});

describe('csv module: memory', () => {
  it('parses a 48 MB file under a 24 MiB memory cap: the file is never whole in memory', () => {
    // Flights-like rows (about 40 bytes each); a module holding the input would need more
    // than 48 MiB before parsing anything.
    const n = 1_250_000;
    const lines = ['date,delay,distance,origin,destination'];
    for (let i = 0; i < n; i++) {
      lines.push(
        `2001-01-${String(1 + (i % 28)).padStart(2, '0')} 00:${String(i % 60).padStart(2, '0')}:00,${(i % 97) - 20},${i % 3000},"SEA","L${i % 9}X"`,
      );
    }
    const bytes = new TextEncoder().encode(lines.join('\n'));
    expect(bytes.byteLength).toBeGreaterThan(48e6);
    const run = runCsv(bytes, {}, { decode: false, maxMemoryMiB: 24 });
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toContain(`csv: ${n} rows, 5 columns, 20 record batches`);
    expect(run.memoryBytes).toBeLessThanOrEqual(24 * 2 ** 20);
  });
});
