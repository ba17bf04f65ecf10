/**
 * The Arrow schema of every port of a pipeline, found before anything runs on Spark: a source's
 * from its file's head (Arrow IPC) or footer (Parquet); a module's by running it on its input
 * schemas alone (ABI 2: `qv_begin`, one `qv_push` per schema, `qv_finish` if an output is still
 * without a schema; ABI 1: a command over schema-only streams), except a `bytes` input (the
 * csv module), which is fed the file's chunks until the module has written its schema, so the
 * types are those the module infers from its first rows. Node only.
 */
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { initSync, ParquetFile } from 'parquet-wasm/esm';
import type { ModuleManifest } from '../modules/manifest';
import type { Step } from '../pipeline/types';
import { concatStream, ipcMessageExtent, isArrowFile, splitIpc } from '../runtime/ipc';
import { REPO_ROOT } from '../runtime/node-host';
import { ReactorInstance } from '../runtime/reactor-host';
import { CSV_CHUNK_BYTES } from '../runtime/sources/prepare';
import { openFileBlob } from '../runtime/sources/open-node';
import { runWasiCommand } from '../runtime/wasi-host';
import { memoryMaximumPages, withMemoryMaximum } from '../runtime/wasm-binary';

/** Output port name → its IPC Schema message. */
export type PortSchemas = Record<string, Uint8Array>;

/** Bytes read from the head of an Arrow IPC file to find its Schema message. */
const ARROW_HEAD_BYTES = 1 << 20;

/** The Schema message of an Arrow IPC file or stream at `path`. Throws naming the file. */
export async function arrowFileSchema(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(ARROW_HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, head.byteLength, 0);
    const bytes = head.subarray(0, bytesRead);
    const start = isArrowFile(bytes) ? 8 : 0;
    const size = ipcMessageExtent(bytes.subarray(start)).size;
    if (size === null || size === 0 || start + size > bytesRead)
      throw new Error(`${path}: no Arrow IPC schema in its first ${ARROW_HEAD_BYTES} bytes`);
    return bytes.slice(start, start + size);
  } finally {
    await handle.close();
  }
}

let parquetReady = false;

/** The Schema message of the Parquet file at `path`, from its footer (parquet-wasm). */
export async function parquetFileSchema(path: string): Promise<Uint8Array> {
  if (!parquetReady) {
    const wasm = await readFile(
      resolve(REPO_ROOT, 'node_modules/parquet-wasm/esm/parquet_wasm_bg.wasm'),
    );
    initSync({ module: wasm });
    parquetReady = true;
  }
  const file = await ParquetFile.fromFile(await openFileBlob(path));
  try {
    const first = splitIpc(file.schema().intoIPCStream())[0];
    if (first?.kind !== 'schema') throw new Error(`${path}: no schema in the Parquet footer`);
    return first.bytes.slice();
  } finally {
    file.free();
  }
}

/** What {@link moduleSchemas} needs to run one module step on schemas alone. */
export interface SchemaProbe {
  step: Step;
  manifest: ModuleManifest;
  wasm: Uint8Array;
  /** The params as the module reads them (expressions compiled). */
  params: Record<string, unknown>;
  /** Per input port (manifest order): its Schema message, or the file of a `bytes` input. */
  inputs: ({ schema: Uint8Array } | { file: string })[];
}

/** The output schemas of a module step. Throws an Error with the module's message. */
export async function moduleSchemas(probe: SchemaProbe): Promise<PortSchemas> {
  const rewritten = withMemoryMaximum(
    probe.wasm,
    memoryMaximumPages(probe.step.limits.maxMemoryMiB),
  );
  if (!rewritten.ok) throw new Error(rewritten.message);
  const module = new WebAssembly.Module(rewritten.bytes as Uint8Array<ArrayBuffer>);
  const messages =
    probe.manifest.abi === 2
      ? await reactorSchemas(probe, module)
      : await commandSchemas(probe, module);
  const schemas: PortSchemas = {};
  probe.manifest.outputs.forEach((port, index) => {
    const message = messages[index];
    if (message === undefined) throw new Error(`output '${port.name}' has no schema`);
    schemas[port.name] = message;
  });
  return schemas;
}

/** ABI 2: begin, the schemas (or chunks of a file), finish only if an output lacks one. */
async function reactorSchemas(
  probe: SchemaProbe,
  module: WebAssembly.Module,
): Promise<(Uint8Array | undefined)[]> {
  const n = probe.manifest.outputs.length;
  // Filled (not sparse): `every` skips the holes of a sparse array.
  const found: (Uint8Array | undefined)[] = Array.from({ length: n }, () => undefined);
  const take = (outputs: { port: number; kind: string; buffer: ArrayBuffer }[]): boolean => {
    for (const o of outputs)
      if (o.kind === 'schema' && found[o.port] === undefined)
        found[o.port] = new Uint8Array(o.buffer);
    return found.every((m) => m !== undefined);
  };
  const instance = new ReactorInstance({
    module,
    outputs: n,
    maxMemoryMiB: probe.step.limits.maxMemoryMiB,
  });
  if (take(instance.begin(new TextEncoder().encode(JSON.stringify(probe.params))))) return found;
  for (const [port, input] of probe.inputs.entries()) {
    if ('schema' in input) {
      if (take(instance.push(port, input.schema).outputs)) return found;
      continue;
    }
    const handle = await open(input.file, 'r');
    try {
      const chunk = new Uint8Array(CSV_CHUNK_BYTES);
      for (let at = 0; ;) {
        const { bytesRead } = await handle.read(chunk, 0, chunk.byteLength, at);
        if (bytesRead === 0) break;
        at += bytesRead;
        if (take(instance.push(port, chunk.slice(0, bytesRead)).outputs)) return found;
      }
    } finally {
      await handle.close();
    }
  }
  take(instance.finish());
  return found;
}

/** ABI 1: one run over schema-only streams (a `bytes` input gets the whole file). */
async function commandSchemas(
  probe: SchemaProbe,
  module: WebAssembly.Module,
): Promise<(Uint8Array | undefined)[]> {
  const files: Record<string, Uint8Array | readonly Uint8Array[]> = {
    '/params.json': new TextEncoder().encode(JSON.stringify(probe.params)),
  };
  for (const [i, port] of probe.manifest.inputs.entries()) {
    const input = probe.inputs[i]!;
    files[`/in/${port.name}.${port.type}`] =
      'schema' in input ? concatStream([input.schema]) : await readFile(input.file);
  }
  const result = runWasiCommand({ module, files, maxMemoryMiB: probe.step.limits.maxMemoryMiB });
  if (result.failure !== undefined) {
    const last = result.stderr.trim().split('\n').pop() ?? '';
    throw new Error(last === '' ? result.failure.message : `${last} (${result.failure.message})`);
  }
  return probe.manifest.outputs.map((port) => {
    const bytes = result.outputs[`/out/${port.name}.arrow`];
    const first = bytes === undefined ? undefined : splitIpc(bytes)[0];
    return first?.kind === 'schema' ? first.bytes.slice() : undefined;
  });
}
