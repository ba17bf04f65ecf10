/**
 * Evidence for the SDK's ABI v2 driver (step_v2.c, ABI.md section 11), driven by the test host
 * in reactor.testkit.ts:
 * - one instance serves many batches: eight record batches pushed to one filter instance give
 *   what the v1 build gives, and the instance's memory stays below the input's size (each
 *   pushed block is freed once processed);
 * - limit answers status 1 (done) once it has its rows, and the host stops pushing;
 * - dictionary batches fed in their own pushes still decode after their blocks were freed and
 *   reused (the reader copies them), with one dictionary or a replacement per batch, and when
 *   the module holds its input;
 * - both drivers route arrow and bytes inputs: v1 reads the ports in manifest order (a bytes
 *   input in one chunk), v2 runs `begin` once every arrow schema is pushed, then passes pushes
 *   as they come, bytes chunks included;
 * - the errors of the driver itself (a push before the schema, a schema push with more in it,
 *   a port that does not exist) fail with a message.
 * The golden conformance streams through a v2 module are checked in sdk.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableFromArrays, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileExpressionParams } from '../../src/pipeline/expression/index';
import { dictionaryEncode, dictionaryPerBatch, rechunk, REPO_ROOT } from '../sort/testkit';
import { runWasiCommand } from '../../src/runtime/wasi-host';
import { buildWasm } from './c-build';
import {
  Reactor,
  STATUS,
  builtModule,
  runBuiltModule,
  runReactor,
  splitMessages,
} from './reactor.testkit';

let work: string;
let weather: Table;
let flights: Table;
const roundtrip: Record<'v2' | 'v2holds', WebAssembly.Module> = {} as never;
const ports: Record<1 | 2, WebAssembly.Module> = {} as never;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'quiver-step-test-'));
  for (const [name, defines] of [
    ['v2', []],
    ['v2holds', ['ROUNDTRIP_HOLDS=1']],
  ] as const) {
    const path = join(work, `roundtrip-${name}.wasm`);
    buildWasm(['test-fixtures/sdk/roundtrip_step.c'], path, { abi: 2, defines: [...defines] });
    roundtrip[name] = new WebAssembly.Module(readFileSync(path));
  }
  for (const abi of [1, 2] as const) {
    const path = join(work, `ports-v${abi}.wasm`);
    buildWasm(['test-fixtures/sdk/ports_step.c'], path, { abi });
    ports[abi] = new WebAssembly.Module(readFileSync(path));
  }
  const data = join(REPO_ROOT, 'node_modules/vega-datasets/data');
  weather = readWeather(join(data, 'seattle-weather.csv'));
  flights = tableFromIPC(readFileSync(join(data, 'flights-200k.arrow')));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** seattle-weather.csv (plain CSV, no quoting) with its `weather` column as strings. */
function readWeather(path: string): Table {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const names = header!.split(',');
  const cells = lines.map((line) => line.split(','));
  const column = (name: string) => cells.map((c) => c[names.indexOf(name)]!);
  return tableFromArrays({
    date: column('date'),
    precipitation: Float64Array.from(column('precipitation'), Number),
    temp_max: Float64Array.from(column('temp_max'), Number),
    weather: column('weather'),
  });
}

/** The rows of a table as JSON-comparable values. */
function rows(table: Table): unknown[] {
  return table.toArray().map((row) => JSON.parse(JSON.stringify(row.toJSON(), bigints)));
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? `${value}n` : value;
}

describe('one v2 instance serves many batches', () => {
  it('filters eight batches pushed to one instance like the v1 build, freeing each block', () => {
    const input = tableToIPC(rechunk(flights, [25_000]), 'stream');
    const schema = tableFromIPC(input).schema;
    const compiled = compileExpressionParams('filter', { expression: 'delay > 10' }, schema);
    if (!compiled.ok) throw new Error('the expression does not compile');
    const reactor = new Reactor(builtModule('filter', 2));
    const statuses = [reactor.begin(compiled.params)];
    const messages = splitMessages(input);
    expect(messages.length).toBe(9); // the schema and eight record batches
    for (const message of messages) statuses.push(reactor.push(0, message));
    statuses.push(reactor.finish());
    expect(reactor.stderr).toBe('');
    expect(statuses).toEqual(new Array(11).fill(STATUS.continue));
    const got = tableFromIPC(reactor.output());
    expect(got.batches.length).toBe(8);
    const v1 = runBuiltModule('filter', 1, input, compiled.params, 512);
    expect(v1.exitCode).toBe(0);
    expect(rows(got)).toEqual(rows(tableFromIPC(v1.output!)));
    expect(got.numRows).toBe(flights.toArray().filter((r) => (r.delay ?? -1e9) > 10).length);
    // 1.6 MB of input went through; a module that kept its blocks would hold all of it.
    expect(reactor.memoryBytes).toBeLessThan(input.length);
  });
});

describe('limit says it is done', () => {
  const input = () => tableToIPC(rechunk(flights.slice(0, 10_000), [1000]), 'stream');

  it('answers status 1 on the batch that completes its window, and the host stops', () => {
    const run = runReactor(builtModule('limit', 2), { offset: 1500, count: 1000 }, input());
    // begin, the schema push, batches 0 and 1 (0), batch 2 (rows 2000..2999) completes rows
    // 1500..2499 (1): batches 3 to 9 are never pushed; finish (0).
    expect(run.statuses).toEqual([0, 0, 0, 0, 1, 0]);
    const got = tableFromIPC(run.reactor.output());
    expect(rows(got)).toEqual(rows(flights.slice(1500, 2500)));
  });

  it('is done before any batch when count is 0, and still writes the schema', () => {
    const run = runReactor(builtModule('limit', 2), { count: 0 }, input());
    expect(run.statuses).toEqual([0, 1, 0]);
    const got = tableFromIPC(run.reactor.output());
    expect(got.numRows).toBe(0);
    expect(got.schema.fields.map((f) => f.name)).toEqual(['delay', 'distance', 'time']);
  });
});

describe('dictionaries fed across pushes', () => {
  const cases = () => ({
    'one dictionary, then 30 batches': rechunk(dictionaryEncode(weather, 'weather'), [50]),
    'a replacement dictionary per batch': dictionaryPerBatch(weather, 'weather', 50),
  });

  it.each(['one dictionary, then 30 batches', 'a replacement dictionary per batch'])(
    '%s: decode after their blocks were freed and reused',
    (name) => {
      const table = cases()[name as keyof ReturnType<typeof cases>];
      const input = tableToIPC(table, 'stream');
      const run = runReactor(roundtrip.v2, {}, input, { reuseFreed: true });
      expect(run.reactor.stderr).toBe('');
      expect(run.ok).toBe(true);
      // The 0xAA blocks did land where freed input blocks had been: a dictionary still
      // pointing there would read garbage.
      expect(run.reusedBlocks).toBeGreaterThan(0);
      const got = tableFromIPC(run.reactor.output());
      expect(got.batches.length).toBe(table.batches.length);
      expect(rows(got)).toEqual(rows(table));
    },
  );

  it('stay valid until finish when the module holds its input', () => {
    const table = dictionaryPerBatch(weather, 'weather', 100);
    const run = runReactor(roundtrip.v2holds, {}, tableToIPC(table, 'stream'), {
      reuseFreed: true,
    });
    expect(run.reactor.stderr).toBe('');
    expect(run.ok).toBe(true);
    expect(run.reusedBlocks).toBe(0); // nothing was freed before finish
    // Everything is written in finish: the pushes output nothing after the schema.
    expect(rows(tableFromIPC(run.reactor.output()))).toEqual(rows(table));
  });
});

describe('input ports of both kinds', () => {
  const left = () => tableToIPC(rechunk(flights.slice(0, 30), [10]), 'stream');
  const right = () => tableToIPC(rechunk(flights.slice(0, 7), [7]), 'stream');
  const text = new TextEncoder().encode('a,b\n1,2\n3,4\n');
  /** The (port, rows, bytes) rows the module wrote. */
  const calls = (stream: Uint8Array) =>
    tableFromIPC(stream)
      .toArray()
      .map((r) => [r.port, r.rows, r.bytes].map(Number));

  it('v1 reads the ports in manifest order, a bytes input in one chunk', () => {
    const r = runWasiCommand({
      module: ports[1],
      files: { '/in/left.arrow': left(), '/in/text.bytes': text, '/in/right.arrow': right() },
    });
    expect(r.stderr).toBe('');
    expect(calls(r.outputs['/out/out.arrow']!)).toEqual([
      [0, 10, -1],
      [0, 10, -1],
      [0, 10, -1],
      [1, -1, text.length],
      [2, 7, -1],
    ]);
  });

  it('v2 runs begin after the last schema push and passes pushes as they come', () => {
    const reactor = new Reactor(ports[2]);
    expect(reactor.begin({})).toBe(STATUS.continue);
    const [leftSchema, ...leftBatches] = splitMessages(left());
    const [rightSchema, rightBatch] = splitMessages(right());
    expect(reactor.push(0, leftSchema!)).toBe(STATUS.continue);
    expect(reactor.output().length).toBe(8); // begin has not run: no schema yet
    expect(reactor.push(2, rightSchema!)).toBe(STATUS.continue);
    expect(reactor.output().length).toBeGreaterThan(8); // begin ran: the output schema
    const statuses = [
      reactor.push(1, text.subarray(0, 5)),
      reactor.push(2, rightBatch!),
      reactor.push(0, leftBatches[0]!),
      reactor.push(1, text.subarray(5)),
      reactor.push(0, leftBatches[1]!),
      reactor.finish(),
    ];
    expect(reactor.stderr).toBe('');
    expect(statuses).toEqual([0, 0, 0, 0, 0, 0]);
    expect(calls(reactor.output())).toEqual([
      [1, -1, 5],
      [2, 7, -1],
      [0, 10, -1],
      [1, -1, text.length - 5],
      [0, 10, -1],
    ]);
  });

  it('v2 refuses data before every arrow input has its schema', () => {
    const reactor = new Reactor(ports[2]);
    reactor.begin({});
    reactor.push(0, splitMessages(left())[0]!);
    expect(reactor.push(1, text)).toBe(STATUS.failed);
    expect(reactor.stderr).toBe(
      "error: ports: data for input 'text' before the schema of every arrow input\n",
    );
  });
});

describe('v2 driver errors', () => {
  const stream = () => tableToIPC(rechunk(flights.slice(0, 100), [50]), 'stream');

  it('refuses a first push holding more than the schema message', () => {
    const run = runReactor(roundtrip.v2, {}, stream(), { messagesPerPush: 3 });
    expect(run.ok).toBe(true); // the schema push is alone, the rest go three by three
    const reactor = new Reactor(roundtrip.v2);
    reactor.begin({});
    expect(reactor.push(0, stream())).toBe(STATUS.failed);
    expect(reactor.stderr).toMatch(
      /error: roundtrip: input 'in': the first block must hold the Schema message alone \(\d+ bytes follow it\)\n$/,
    );
  });

  it('refuses a push to a port that does not exist, and fails every later call', () => {
    const reactor = new Reactor(roundtrip.v2);
    reactor.begin({});
    expect(reactor.push(1, splitMessages(stream())[0]!)).toBe(STATUS.failed);
    expect(reactor.stderr).toBe(
      'error: roundtrip: qv_push to input port 1, which does not exist (1 inputs)\n',
    );
    expect(reactor.push(0, splitMessages(stream())[0]!)).toBe(STATUS.failed);
    expect(reactor.finish()).toBe(STATUS.failed);
  });

  it('fails at finish when an input never got its schema, and on malformed messages', () => {
    const early = new Reactor(roundtrip.v2);
    early.begin({});
    expect(early.finish()).toBe(STATUS.failed);
    expect(early.stderr).toBe("error: roundtrip: input 'in' got no schema\n");
    const broken = new Reactor(roundtrip.v2);
    broken.begin({});
    const [schema, batch] = splitMessages(stream());
    expect(broken.push(0, schema!)).toBe(STATUS.continue);
    expect(broken.push(0, batch!.subarray(0, batch!.length - 8))).toBe(STATUS.failed);
    expect(broken.stderr).toMatch(/^error: roundtrip: input 'in': message at byte 0: body length/);
  });

  it('refuses a push or finish before qv_begin', () => {
    const pushed = new Reactor(roundtrip.v2);
    expect(pushed.push(0, splitMessages(stream())[0]!)).toBe(STATUS.failed);
    expect(pushed.stderr).toBe('error: qv_push before qv_begin\n');
    const finished = new Reactor(roundtrip.v2);
    expect(finished.finish()).toBe(STATUS.failed);
    expect(finished.stderr).toBe('error: qv_finish before qv_begin\n');
  });

  it('reports malformed parameters with their position', () => {
    const reactor = new Reactor(builtModule('limit', 2));
    expect(reactor.beginBytes(new TextEncoder().encode('{"count": 1,'))).toBe(STATUS.failed);
    expect(reactor.stderr).toMatch(/^error: limit: parameters: .*line 1/);
  });
});
