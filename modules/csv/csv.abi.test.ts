/**
 * The csv module's two builds agree: the v1 command (the SDK's v1 driver hands it the whole
 * file as one chunk) and the shipped v2 reactor fed chunks of 1, 7, 4,093 and 1 MiB bytes
 * (cut inside quoted fields, CRLFs and UTF-8 characters) give the same exit code, the same
 * log and a byte-identical Arrow IPC stream, on real files and on made-up hard cases,
 * successes and failures alike. Also: only the v2 build streams its input.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot, runCsv } from './csv-harness';

const vega = (f: string): string => join(repoRoot, 'node_modules', 'vega-datasets', 'data', f);
const spectrum = join(repoRoot, 'node_modules', 'csv-spectrum', 'csvs');

interface Case {
  name: string;
  input: Uint8Array;
  params: Record<string, unknown>;
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const lateMisfit = `n,s\n${Array.from({ length: 300 }, (_, i) => `${i},s${i}`).join('\n')}\n1.5,x\n7,y\n`;

const cases: Case[] = [
  ...readdirSync(spectrum).map((f) => ({
    name: `csv-spectrum ${f}`,
    input: new Uint8Array(readFileSync(join(spectrum, f))),
    params: {},
  })),
  ...['seattle-weather.csv', 'github.csv', 'birdstrikes.csv'].map((f) => ({
    name: f,
    input: new Uint8Array(readFileSync(vega(f))),
    params: {},
  })),
  {
    name: 'unemployment.tsv',
    input: new Uint8Array(readFileSync(vega('unemployment.tsv'))),
    params: { delimiter: '\t', batchSizeRows: 1000 },
  },
  {
    name: 'BOM, CRLF, quotes, UTF-8',
    input: text('\uFEFFid,name\r\n1,"a ""q"" b"\r\n\r\n2,"two\r\nlines"\r\n3,ünï 😀\r\n'),
    params: {},
  },
  { name: 'lone CR line ends', input: text('a,b\r1,x\r\r2,"y\rz"\r'), params: {} },
  { name: 'misfit after the sample (fail)', input: text(lateMisfit), params: { inferRows: 100 } },
  {
    name: 'misfit after the sample (skip)',
    input: text(lateMisfit),
    params: { inferRows: 100, onError: 'skip', batchSizeRows: 64 },
  },
  {
    name: 'no header, ragged',
    input: text('1,2\n3\n4,5\n'),
    params: { header: false, onError: 'skip' },
  },
  { name: 'unterminated quote', input: text('a,b\n1,"open\n2,x\n'), params: {} },
  { name: 'bad header', input: text('"a"x,b\n1,2\n'), params: {} },
  { name: 'empty input', input: text(''), params: {} },
];

describe('csv module: v1 and v2 builds agree', () => {
  it.each(cases)('$name', ({ input, params }) => {
    const v1 = runCsv(input, params, { abi: 1, decode: false });
    const chunkSizes = input.length <= 64 * 1024 ? [1, 7, 4093, 1 << 20] : [7, 4093, 1 << 20];
    for (const chunkBytes of chunkSizes) {
      const v2 = runCsv(input, params, { abi: 2, chunkBytes, decode: false });
      const what = `pushed in chunks of ${chunkBytes} bytes`;
      expect(v2.exitCode, what).toBe(v1.exitCode);
      expect(v2.stderr, what).toBe(v1.stderr);
      expect(v2.stdout, what).toBe(v1.stdout);
      expect(v2.output === undefined, what).toBe(v1.output === undefined);
      if (v1.output && v2.output) {
        expect(Buffer.from(v2.output).equals(Buffer.from(v1.output)), what).toBe(true);
      }
    }
  });

  it('streams only in v2: the v1 driver hands over the whole file', () => {
    const rows = Array.from({ length: 800_000 }, (_, i) => `${i},"row ${i}",${i / 4}`);
    const input = text(`id,label,quarter\n${rows.join('\n')}\n`); // about 23 MB
    const v2 = runCsv(input, {}, { abi: 2, chunkBytes: 1 << 20, decode: false });
    const v1 = runCsv(input, {}, { abi: 1, decode: false });
    expect(v2.exitCode).toBe(0);
    expect(v1.exitCode).toBe(0);
    expect(v2.memoryBytes).toBeLessThan(input.length / 2);
    expect(v1.memoryBytes).toBeGreaterThan(input.length);
  });
});
