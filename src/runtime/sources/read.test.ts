/**
 * The host source read in-thread, its sends recorded: Parquet row groups decoded once each, with
 * only the projected columns, the preview still whole; CSV sent in slices; paths opened by the
 * registered opener, with errors naming the file.
 */
import { readFileSync } from 'node:fs';
import { RecordBatchFileWriter, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm/esm';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { concatStream, splitIpc } from '../ipc';
import { PreviewCollector, toJsonValue } from '../preview';
import type { SourceData, SourceStepSpec } from '../protocol';
import { setPathOpener } from './open';
import { openFileBlob } from './open-node';
import { readSource, type SourceOutputs } from './read';

const DATA = 'node_modules/vega-datasets/data';
const FLIGHTS = `${DATA}/flights-3m.parquet`;
const WEATHER = `${DATA}/seattle-weather.csv`;
const PREVIEW_ROWS = 100;

/** A Blob of `bytes`. */
const blobOf = (bytes: Uint8Array): Blob => new Blob([bytes as Uint8Array<ArrayBuffer>]);

type Sent = { port: string; kind: string; rows: number; bytes: Uint8Array };

/** Outputs that record every message sent, with a preview of `out`. */
function recorder(): SourceOutputs & { sent: Sent[] } {
  const sent: Sent[] = [];
  return {
    sent,
    abandoned: false,
    previews: new Map([['out', new PreviewCollector(PREVIEW_ROWS)]]),
    send: async (port, kind, rows, buffer, offset = 0, length = buffer.byteLength) => {
      sent.push({ port, kind, rows, bytes: new Uint8Array(buffer, offset, length) });
    },
  };
}

let parquetModule: WebAssembly.Module;
beforeAll(async () => {
  parquetModule = await WebAssembly.compile(
    readFileSync('node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm'),
  );
  setPathOpener(openFileBlob);
});
afterEach(() => vi.restoreAllMocks());

function spec(
  name: string,
  data: SourceData,
  format: SourceStepSpec['format'],
  extra: Partial<SourceStepSpec> = {},
): SourceStepSpec {
  return {
    kind: 'source',
    stepId: 'source',
    name,
    data,
    format,
    parquetModule,
    batchRows: 65536,
    chunkBytes: 4 * 1024 * 1024,
    ...extra,
  };
}

describe('readSource, Parquet', () => {
  const flights = (columns?: string[]): SourceStepSpec =>
    spec('flights-3m.parquet', { kind: 'path', path: FLIGHTS }, 'parquet', {
      ...(columns && { columns }),
    });

  /** Reads flights-3m.parquet, counting file opens and row-group reads. */
  async function readCounting(columns?: string[]) {
    const opens = vi.spyOn(ParquetFile, 'fromFile');
    const reads = vi.spyOn(ParquetFile.prototype, 'read');
    const out = recorder();
    await readSource(flights(columns), out);
    const options = reads.mock.calls.map(([o]) => o ?? {});
    return {
      out,
      opens: opens.mock.calls.length,
      groupReads: options.filter((o) => o.limit === undefined),
      previewReads: options.filter((o) => o.limit !== undefined),
    };
  }

  it('parses the file once and decodes each row group exactly once', async () => {
    const { out, opens, groupReads, previewReads } = await readCounting();
    expect(opens).toBe(1);
    expect(groupReads.map((o) => o.rowGroups)).toEqual(Array.from({ length: 11 }, (_, g) => [g]));
    expect(groupReads.every((o) => o.columns === undefined)).toBe(true);
    expect(previewReads).toEqual([]);
    const batches = out.sent.filter((m) => m.kind === 'batch');
    expect(batches.reduce((n, m) => n + m.rows, 0)).toBe(3_000_000);
    expect(out.sent.filter((m) => m.kind === 'schema')).toHaveLength(1);
    // Each batch is sent in the buffer it was decoded into (after its schema), not a copy.
    expect(batches.every((m) => m.bytes.byteOffset > 0)).toBe(true);
    expect(new Set(batches.map((m) => m.bytes.buffer)).size).toBe(batches.length);
  });

  it('decodes each row group once with only the projected columns; the preview keeps all', async () => {
    const { out, opens, groupReads, previewReads } = await readCounting(['origin', 'delay']);
    expect(opens).toBe(1);
    expect(groupReads.map((o) => [o.rowGroups, o.columns])).toEqual(
      Array.from({ length: 11 }, (_, g) => [[g], ['delay', 'origin']]),
    );
    expect(previewReads).toEqual([{ limit: PREVIEW_ROWS, batchSize: PREVIEW_ROWS }]);
    const sent = tableFromIPC(concatStream(out.sent.map((m) => m.bytes)));
    expect(sent.schema.fields.map((f) => f.name)).toEqual(['delay', 'origin']);
    expect(sent.numRows).toBe(3_000_000);
    const preview = out.previews.get('out')?.result();
    expect(preview?.schema.fields.map((f) => f.name)).toEqual([
      'date',
      'delay',
      'distance',
      'origin',
      'destination',
    ]);
    expect(preview?.rows).toHaveLength(PREVIEW_ROWS);
    // The preview's rows are the file's first rows: they match what was sent.
    expect(preview?.rows.map((r) => [r.delay, r.origin])).toEqual(
      sent
        .slice(0, PREVIEW_ROWS)
        .toArray()
        .map((r) => [toJsonValue(r.delay), r.origin]),
    );
  });

  it('fails naming the file when it is not Parquet', async () => {
    const data: SourceData = { kind: 'blob', blob: new Blob(['not parquet at all']) };
    await expect(readSource(spec('bad.parquet', data, 'parquet'), recorder())).rejects.toThrow(
      /^bad\.parquet: not a readable Parquet file: /,
    );
  });
});

describe('readSource, CSV', () => {
  const weather = readFileSync(WEATHER);

  it('sends a file larger than one chunk in several chunks of at most chunkBytes', async () => {
    const chunkBytes = 16 * 1024;
    const out = recorder();
    const data: SourceData = { kind: 'path', path: WEATHER };
    await readSource(spec('seattle-weather.csv', data, 'csv', { chunkBytes }), out);
    expect(out.sent.length).toBe(Math.ceil(weather.byteLength / chunkBytes));
    expect(out.sent.length).toBeGreaterThan(1);
    expect(out.sent.every((m) => m.port === 'bytes' && m.kind === 'bytes')).toBe(true);
    expect(out.sent.every((m) => m.bytes.byteLength <= chunkBytes)).toBe(true);
    expect(Buffer.concat(out.sent.map((m) => m.bytes)).equals(weather)).toBe(true);
  });

  it('reads a Blob in slices too, and sends an empty file as one empty message', async () => {
    const out = recorder();
    const data: SourceData = { kind: 'blob', blob: new Blob([weather]) };
    await readSource(spec('w.csv', data, 'csv', { chunkBytes: 20_000 }), out);
    expect(out.sent.map((m) => m.bytes.byteLength)).toEqual([20_000, 20_000, 8_219]);
    const empty = recorder();
    await readSource(spec('e.csv', { kind: 'blob', blob: new Blob([]) }, 'csv'), empty);
    expect(empty.sent.map((m) => m.bytes.byteLength)).toEqual([0]);
  });

  it('fails naming the file and the path when the path cannot be opened', async () => {
    const data: SourceData = { kind: 'path', path: '/nonexistent/gone.csv' };
    await expect(readSource(spec('gone.csv', data, 'csv'), recorder())).rejects.toThrow(
      'gone.csv: cannot read /nonexistent/gone.csv: ENOENT',
    );
  });
});

describe('readSource, Arrow IPC', () => {
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  const whole = (bytes: Uint8Array) =>
    splitIpc(bytes).map((m) => ({ kind: m.kind, rows: m.rows, bytes: hex(m.bytes) }));
  const sentOf = (out: { sent: Sent[] }) =>
    out.sent.map((m) => ({ kind: m.kind, rows: m.rows, bytes: hex(m.bytes) }));

  it('reads an IPC file or stream one message at a time, each sent in its own buffer', async () => {
    const path = `${DATA}/flights-200k.arrow`;
    const out = recorder();
    await readSource(spec('flights-200k.arrow', { kind: 'path', path }, 'arrow'), out);
    expect(out.sent.every((m) => m.port === 'out')).toBe(true);
    expect(sentOf(out)).toEqual(whole(readFileSync(path)));
    // Several batches and a dictionary (apache-arrow dictionary-encodes strings).
    const t = tableFromArrays({ s: ['a', 'b', 'a'], x: Int32Array.from([1, 2, 3]) });
    const stream = tableToIPC(t.concat(t), 'stream');
    const many = recorder();
    await readSource(spec('t.arrows', { kind: 'blob', blob: blobOf(stream) }, 'arrow'), many);
    expect(many.sent.map((m) => m.kind)).toEqual(['schema', 'dictionary', 'batch', 'batch']);
    expect(sentOf(many)).toEqual(whole(stream));
  });

  it("reads an IPC file whose schema is only in its footer (apache-arrow's file writer)", async () => {
    const t = tableFromArrays({ s: ['a', 'b', 'a'], x: Int32Array.from([1, 2, 3]) });
    const file = RecordBatchFileWriter.writeAll(t.concat(t)).toUint8Array(true);
    expect(splitIpc(file)[0]!.kind).not.toBe('schema');
    const out = recorder();
    await readSource(spec('t.arrow', { kind: 'blob', blob: blobOf(file) }, 'arrow'), out);
    expect(out.sent.map((m) => m.kind)).toEqual(['schema', 'dictionary', 'batch', 'batch']);
    const back = tableFromIPC(concatStream(out.sent.map((m) => m.bytes)));
    expect(back.toArray().map((r) => r.toJSON())).toEqual(
      t
        .concat(t)
        .toArray()
        .map((r) => r.toJSON()),
    );
  });

  it('names the file and the offset of a truncated message', async () => {
    const a = tableFromArrays({ x: Int32Array.from([1, 2, 3]) });
    const stream = tableToIPC(a.concat(a), 'stream');
    const cut = blobOf(stream.subarray(0, stream.byteLength - 20));
    const second = splitIpc(stream)[2]?.bytes.byteOffset;
    await expect(
      readSource(spec('cut.arrows', { kind: 'blob', blob: cut }, 'arrow'), recorder()),
    ).rejects.toThrow(
      `cut.arrows: not a readable Arrow IPC file: Arrow IPC: message at byte ${second} is truncated`,
    );
  });
});
