/**
 * The json module against DuckDB's read_json on real files: vega-datasets' cars, movies and
 * flights (arrays of objects, with nulls and ISO dates), the same rows as NDJSON (written by
 * DuckDB), nested objects flattened or kept as JSON text, and errors with line and column.
 * Types must be DuckDB's (BIGINT, DOUBLE, VARCHAR, DATE, ...); values equal, floats to 1e-9.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatStream } from '../../src/runtime/ipc';
import { ReactorError, ReactorInstance, type ReactorOutput } from '../../src/runtime/reactor-host';
import { rawValues } from '../csv/csv-harness';

const root = resolve(import.meta.dirname, '../..');
const vega = (f: string) => join(root, 'node_modules/vega-datasets/data', f);
const module = new WebAssembly.Module(readFileSync(join(root, 'public/modules/json.wasm')));
const tmp = (name: string) => join(tmpdir(), `quiver-json-${process.pid}-${name}`);

/** Runs the json module on `bytes` (fed in 4 KiB chunks); the table, or throws the error. */
function runJson(bytes: Uint8Array, params: Record<string, unknown> = {}): Table {
  const reactor = new ReactorInstance({ module, outputs: 1, args: ['json'], onLine: () => {} });
  const messages: Uint8Array[] = [];
  const keep = (outs: ReactorOutput[]) =>
    outs.forEach((o) => messages.push(new Uint8Array(o.buffer)));
  try {
    keep(reactor.begin(new TextEncoder().encode(JSON.stringify(params))));
    for (let at = 0; at < bytes.length; at += 4096)
      keep(reactor.push(0, bytes.subarray(at, at + 4096)).outputs);
    keep(reactor.finish());
  } catch (e) {
    if (e instanceof ReactorError) {
      throw new Error(e.stderrTail.join('\n') || e.message, { cause: e });
    }
    throw e;
  }
  return tableFromIPC(concatStream(messages));
}

const DUCK_TYPES: Record<string, string> = {
  Int64: 'BIGINT',
  Float64: 'DOUBLE',
  Bool: 'BOOLEAN',
  'Date32<DAY>': 'DATE',
  'Timestamp<MICROSECOND>': 'TIMESTAMP',
  Utf8: 'VARCHAR',
};

let conn: DuckDBConnection;
const ndjson = tmp('flights.ndjson');

beforeAll(async () => {
  conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(
    `COPY (SELECT * FROM read_json('${vega('flights-2k.json')}')) TO '${ndjson}' (FORMAT JSON)`,
  );
});
afterAll(() => {
  conn.closeSync();
  rmSync(ndjson, { force: true });
});

/** Checks our table against DuckDB's read_json of the same file: names, types, values. */
async function sameAsDuckDB(table: Table, source: string): Promise<void> {
  const described = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
  // DuckDB types mixed values as JSON (we give the same text as utf8) and sometimes picks
  // HUGEINT for integers (ours: int64): compared as VARCHAR and BIGINT.
  const same: Record<string, string> = { JSON: 'VARCHAR', HUGEINT: 'BIGINT' };
  const raw = described.getRows().map((r) => String(r[1]));
  const theirs = described.getRows().map((r) => [String(r[0]), same[String(r[1])] ?? String(r[1])]);
  const ours = table.schema.fields.map((f) => [
    f.name,
    DUCK_TYPES[String(f.type)] ?? String(f.type),
  ]);
  expect(ours).toEqual(theirs);
  const projections = theirs.map(([name, type], k) => {
    const q = `"${name}"`;
    if (raw[k] === 'JSON') return `${q}->>'$'`;
    return type === 'DATE'
      ? `(${q} - DATE '1970-01-01')::INTEGER`
      : type === 'TIMESTAMP'
        ? `epoch_us(${q})`
        : q;
  });
  const reader = await conn.runAndReadAll(`SELECT ${projections.join(', ')} FROM ${source}`);
  const want = reader.getColumnsJS();
  theirs.forEach(([name, type], k) => {
    const got = rawValues(table, name!);
    const exp = want[k]!;
    expect(got.length).toBe(exp.length);
    const bad = got.findIndex((v, i) =>
      type === 'DOUBLE' && v !== null && exp[i] !== null
        ? Math.abs((v as number) - (exp[i] as number)) > 1e-9 * Math.abs(exp[i] as number)
        : v !== exp[i],
    );
    expect(bad, `${name} row ${bad}: ${String(got[bad])} vs ${String(exp[bad])}`).toBe(-1);
  });
}

describe('json module vs DuckDB read_json', () => {
  it.each(['cars.json', 'movies.json', 'flights-2k.json'])(
    '%s (an array of objects)',
    async (f) => {
      const table = runJson(readFileSync(vega(f)));
      expect(table.numRows).toBeGreaterThan(300);
      await sameAsDuckDB(table, `read_json('${vega(f)}')`);
    },
  );

  it('NDJSON (one object per line, as DuckDB writes it)', async () => {
    const table = runJson(readFileSync(ndjson));
    expect(table.numRows).toBe(2000);
    await sameAsDuckDB(table, `read_json('${ndjson}')`);
  });

  it('flattens nested objects to dotted names, or keeps them as JSON text', async () => {
    const text =
      '{"id": 1, "who": {"name": "Ann", "age": 31}, "tags": ["a", "b"]}\n' +
      '{"id": 2, "who": {"name": "Bo"}, "tags": []}\n\n' +
      '{"id": 3, "who": null, "extra": true}\n';
    const path = tmp('nested.ndjson');
    writeFileSync(path, text);
    try {
      const flat = runJson(new TextEncoder().encode(text));
      expect(flat.schema.fields.map((f) => f.name)).toEqual([
        'id',
        'who.name',
        'who.age',
        'tags',
        'who',
        'extra',
      ]);
      const duck = await conn.runAndReadAll(
        `SELECT who.name, who.age, to_json(tags)::VARCHAR FROM read_json('${path}')`,
      );
      const [names, ages, tags] = duck.getColumnsJS();
      expect(rawValues(flat, 'who.name')).toEqual(names);
      expect(rawValues(flat, 'who.age')).toEqual(ages);
      expect(rawValues(flat, 'tags')).toEqual(tags);
      const kept = runJson(new TextEncoder().encode(text), { nested: 'json' });
      expect(kept.schema.fields.map((f) => f.name)).toEqual(['id', 'who', 'tags', 'extra']);
      expect(rawValues(kept, 'who')).toEqual(['{"name":"Ann","age":31}', '{"name":"Bo"}', null]);
    } finally {
      rmSync(path, { force: true });
    }
  });

  it('names the line and column of a syntax error and of a record that is not an object', () => {
    expect(() => runJson(new TextEncoder().encode('{"a": 1}\n{"a": 2,, }\n'))).toThrow(
      /json: line 2, column 9: /,
    );
    expect(() => runJson(new TextEncoder().encode('[\n  {"a": 1},\n  7\n]'))).toThrow(
      /json: line 3, column 3: a record must be an object, not number/,
    );
    expect(() => runJson(new TextEncoder().encode('[{"a": 1}, {"a": tru}]'))).toThrow(
      /JSON syntax error at line 1, column 18/,
    );
  });

  it('widens a column that mixes integers and floats, and gives mixed types as text', () => {
    const t = runJson(
      new TextEncoder().encode('[{"x": 1, "y": 1}, {"x": 2.5, "y": "b"}, {"y": true}]'),
    );
    expect(t.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'x:Float64',
      'y:Utf8',
    ]);
    expect(rawValues(t, 'x')).toEqual([1, 2.5, null]);
    expect(rawValues(t, 'y')).toEqual(['1', 'b', 'true']);
  });
});
