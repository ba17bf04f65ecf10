import { readFileSync } from 'node:fs';
import {
  DateDay,
  Dictionary,
  Int32,
  RecordBatchFileWriter,
  Table,
  Utf8,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { concatStream, END_OF_STREAM, splitIpc } from './ipc';
import { schemaMessageFromFooter } from './ipc-footer';

/** seattle-weather's first 200 rows: dates, floats, a dictionary-encoded string column. */
function weather(): Table {
  const lines = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n')
    .slice(1, 201)
    .map((l) => l.split(','));
  return new Table({
    date: vectorFromArray(
      lines.map((l) => new Date(`${l[0]}T00:00:00Z`)),
      new DateDay(),
    ),
    temp_max: vectorFromArray(lines.map((l) => Number(l[2]))),
    weather: vectorFromArray(
      lines.map((l) => l[5]!),
      new Dictionary(new Utf8(), new Int32()),
    ),
  });
}

/** The footer bytes of an IPC file. */
function footerOf(file: Uint8Array): Uint8Array {
  const size = new DataView(file.buffer, file.byteOffset).getInt32(file.byteLength - 10, true);
  return file.subarray(file.byteLength - 10 - size, file.byteLength - 10);
}

describe('an IPC file whose schema is only in its footer', () => {
  it("is what apache-arrow's RecordBatchFileWriter writes (no schema message first)", () => {
    const file = RecordBatchFileWriter.writeAll(weather()).toUint8Array(true);
    expect(splitIpc(file)[0]!.kind).not.toBe('schema');
  });

  it('reads equal to the table once the schema message is made from the footer', () => {
    const table = weather();
    const writer = new RecordBatchFileWriter();
    for (const b of table.slice(0, 120).batches) writer.write(b);
    for (const b of table.slice(120).batches) writer.write(b);
    const file = writer.finish().toUint8Array(true);
    const schema = schemaMessageFromFooter(footerOf(file));
    expect(splitIpc(schema).map((m) => m.kind)).toEqual(['schema']);
    const stream = concatStream([schema, ...splitIpc(file).map((m) => m.bytes), END_OF_STREAM]);
    const back = tableFromIPC(stream);
    expect(back.numRows).toBe(200);
    expect(back.toArray().map((r) => r.toJSON())).toEqual(table.toArray().map((r) => r.toJSON()));
    expect(String(back.schema.fields[2]!.type)).toBe(String(table.schema.fields[2]!.type));
  });

  it("gives the same schema message bytes' schema as a stream written normally", () => {
    const table = weather();
    const file = tableToIPC(table, 'file');
    const made = tableFromIPC(
      concatStream([schemaMessageFromFooter(footerOf(file)), END_OF_STREAM]),
    );
    expect(made.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(
      table.schema.fields.map((f) => `${f.name}:${String(f.type)}`),
    );
  });

  it('refuses a footer that is not one', () => {
    expect(() => schemaMessageFromFooter(new Uint8Array([1, 2, 3]))).toThrow(/footer is malformed/);
  });
});
