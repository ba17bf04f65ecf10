import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { Directory, File } from '@bjorn3/browser_wasi_shim';
import { fixtureModule, fixtureWasm } from '../../test-fixtures/runtime/build';
import { GuardedPreopenDirectory } from './wasi-fs';
import { splitIpc } from './ipc';
import { isReactor, ReactorError, ReactorInstance } from './reactor-host';
import { withMemoryMaximum } from './wasm-binary';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Schema then three record batches of 100 int32 rows. */
function messages(): Uint8Array[] {
  const table = [0, 1, 2]
    .map((b) => tableFromArrays({ x: Int32Array.from({ length: 100 }, (_, i) => b * 100 + i) }))
    .reduce((a, t) => a.concat(t));
  return splitIpc(tableToIPC(table, 'stream')).map((m) => m.bytes);
}

function instance(mode: string, maxMemoryMiB?: number): ReactorInstance {
  const module = fixtureModule('reactor');
  const reactor = new ReactorInstance({ module, outputs: 1, maxMemoryMiB });
  expect(reactor.begin(encode(JSON.stringify({ mode })))).toEqual([]);
  return reactor;
}

/** The error a push throws. */
function pushError(reactor: ReactorInstance, bytes: Uint8Array): ReactorError {
  try {
    reactor.push(0, bytes);
  } catch (error) {
    if (error instanceof ReactorError) return error;
    throw error;
  }
  throw new Error('the push did not fail');
}

describe('ReactorInstance (ABI v2 fixture test-fixtures/runtime/reactor.c)', () => {
  it('recognises a reactor by its exports, and a command as not one', () => {
    expect(isReactor(fixtureModule('reactor'))).toBe(true);
    expect(isReactor(fixtureModule('trap'))).toBe(false);
  });

  it('gives a reactor the /data preopen it is handed, and none otherwise', () => {
    const dir = new Directory(new Map());
    const module = fixtureModule('reactor');
    const preopens = [new GuardedPreopenDirectory('/data', dir, true)];
    const params = encode(JSON.stringify({ mode: 'data' }));
    for (let run = 0; run < 2; run++)
      new ReactorInstance({ module, outputs: 1, preopens }).begin(params);
    const log = dir.contents.get('log.txt');
    expect(log).toBeInstanceOf(File);
    expect(new TextDecoder().decode((log as File).data)).toBe('begin\nbegin\n');
    // Without the preopen, /data does not exist: qv_begin reports status 2.
    const without = new ReactorInstance({ module, outputs: 1 });
    expect(() => without.begin(params)).toThrow(ReactorError);
  });

  it('serves many pushes with one instance, copying each output message into its own buffer', () => {
    const reactor = instance('echo');
    const input = messages();
    const out = input.map((bytes) => reactor.push(0, bytes));
    expect(out.map((o) => o.status)).toEqual(['continue', 'continue', 'continue', 'continue']);
    const outputs = out.flatMap((o) => o.outputs);
    expect(outputs.map((o) => o.kind)).toEqual(['schema', 'batch', 'batch', 'batch']);
    expect(outputs.map((o) => o.rows)).toEqual([0, 100, 100, 100]);
    for (const [i, o] of outputs.entries()) {
      expect(o.buffer.byteLength).toBe(input[i]?.byteLength);
      expect(new Uint8Array(o.buffer)).toEqual(input[i]);
    }
    expect(reactor.finish()).toEqual([]);
  });

  it('says done when the module needs no more input', () => {
    const reactor = instance('done2');
    const [schema, a, b] = messages();
    expect(reactor.push(0, schema!).status).toBe('continue');
    expect(reactor.push(0, a!).status).toBe('continue');
    expect(reactor.push(0, b!).status).toBe('done');
  });

  it('refuses an output pointer outside the module memory, naming the export and values', () => {
    const reactor = instance('badptr');
    const [schema, batch] = messages();
    reactor.push(0, schema!);
    const error = pushError(reactor, batch!);
    expect(error.kind).toBe('abi');
    expect(error.message).toMatch(
      /^qv_output_ptr\/qv_output_size\(0\) gave \d+ bytes at 2147483632, outside the module's memory of \d+ bytes$/,
    );
  });

  it('refuses output bytes that are not whole IPC messages', () => {
    const reactor = instance('garbage');
    const [schema, batch] = messages();
    reactor.push(0, schema!);
    const error = pushError(reactor, batch!);
    expect(error.kind).toBe('abi');
    expect(error.message).toMatch(/^output port 0: malformed Arrow IPC: Arrow IPC: /);
  });

  it("reports a failed status with the module's last stderr line", () => {
    const reactor = instance('fail');
    const error = pushError(reactor, messages()[0]!);
    expect(error.message).toBe('error: reactor fixture refuses batch 1 (qv_push returned 2)');
    expect(error.stderrTail).toEqual(['error: reactor fixture refuses batch 1']);
  });

  it('holds the memory cap: a module compiled with a maximum cannot grow past it', () => {
    const capped = withMemoryMaximum(fixtureWasm('reactor'), 8 * 16);
    if (!capped.ok) throw new Error(capped.message);
    const module = new WebAssembly.Module(capped.bytes);
    const reactor = new ReactorInstance({ module, outputs: 1, maxMemoryMiB: 8 });
    reactor.begin(encode('{"mode":"hog"}'));
    const [schema, batch] = messages();
    reactor.push(0, schema!);
    const error = pushError(reactor, batch!);
    expect(error.message).toBe('qv_push returned status 2 without an error message');
    expect(reactor.memoryBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
  });

  it('refuses a module without the reactor exports, naming them', () => {
    expect(() => new ReactorInstance({ module: fixtureModule('trap'), outputs: 1 })).toThrow(
      /an ABI 2 module must export qv_alloc, qv_free, qv_begin, qv_push, qv_finish, qv_output_ptr, qv_output_size, qv_output_clear/,
    );
  });
});
