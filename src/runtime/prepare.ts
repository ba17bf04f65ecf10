/**
 * Preparing a step on the main thread, before a worker is given it: a module step's module is
 * compiled once (its memory maximum rewritten to the step's cap) and its imports inspected; a
 * source step's file is located, never read here (`sources/prepare.ts`; for Parquet the columns read
 * downstream found and parquet-wasm compiled). What comes out is the `run-step` spec and the
 * buffers it transfers.
 */
import { CompileCache, moduleKey } from '../modules/compile-cache';
import { describeRefusal, inspectImports } from '../modules/imports';
import { portHoldsInput, type ModuleManifest } from '../modules/manifest';
import { sha256Hex } from '../modules/package';
import type { PipelineDocument, Step } from '../pipeline/types';
import { DEFAULT_MAX_DATA_MIB } from './module-data';
import type { StepDataSpec, StepSpec, WasmStepSpec } from './protocol';
import { JAVASCRIPT_MODULE_ID, prepareJs } from './javascript/prepare';
import { isSqlModule, prepareSql } from './sql/prepare';
import { CHART_MODULE_ID, prepareChart } from './chart/prepare';
import { prepareSource } from './sources/prepare';
import type { RunOptions } from './types';
import { memoryMaximumPages, withMemoryMaximum } from './wasm-binary';

export { PARQUET_BATCH_ROWS } from './sources/prepare';

/**
 * Rows of consecutive batches a streamable module runs on per invocation (four Parquet
 * batches): each invocation pays for a fresh instance and memory, so small batches are grouped.
 */
export const STREAM_INVOCATION_ROWS = 262144;

/** Compiled modules shared by the runs (and warm-ups) of this thread without their own cache. */
export const sharedCompileCache = new CompileCache();

/** A step's `run-step` spec and the buffers posted (transferred) with it. */
export interface PreparedStep {
  spec: StepSpec;
  transfer: Transferable[];
}

/** What preparing a step needs from its run. */
export interface PrepareContext {
  doc: PipelineDocument;
  opts: RunOptions;
  /** Compiled modules: `opts.compileCache`, or the cache shared by the runs of this thread. */
  cache: CompileCache;
}

/**
 * Prepares `step`, which runs `manifest`. Rejects with a message meant for that step alone (an
 * unreadable source, an unknown file format, a memory cap the module cannot fit in, a refused
 * import, a module that does not compile).
 */
export function prepareStep(
  step: Step,
  manifest: ModuleManifest,
  context: PrepareContext,
): Promise<PreparedStep> {
  if (manifest.kind !== 'host') return prepareModule(step, manifest, context);
  if (manifest.id === JAVASCRIPT_MODULE_ID)
    return Promise.resolve({ spec: prepareJs(step), transfer: [] });
  if (isSqlModule(manifest.id))
    return Promise.resolve({ spec: prepareSql(step, manifest), transfer: [] });
  if (manifest.id === CHART_MODULE_ID)
    return Promise.resolve({ spec: prepareChart(step), transfer: [] });
  return prepareSource(context.doc, step, context.opts, context.cache);
}

/**
 * A WebAssembly module step: compiled once per module version (and pinned sha256) and memory
 * maximum (keyed `id@version[#sha256]#max<pages>`), then refused if it imports anything the step
 * was not granted. A pinned step whose module's bytes have another sha256 is refused before
 * anything compiles: it never runs a binary other than the one it pins.
 */
async function prepareModule(
  step: Step,
  manifest: ModuleManifest,
  context: PrepareContext,
): Promise<PreparedStep> {
  const { opts, cache } = context;
  const maxPages = memoryMaximumPages(step.limits.maxMemoryMiB);
  const pin = step.pin ? `#${step.pin.sha256}` : '';
  const key = `${moduleKey(manifest.id, manifest.version)}${pin}#max${maxPages}`;
  const module = await cache.get(key, async () => {
    const bytes = await opts.loadModule(manifest.id);
    if (!isWasm(bytes)) {
      throw new Error(
        `${manifest.id}.wasm: not a WebAssembly module (it does not start with "\\0asm")`,
      );
    }
    if (step.pin) await checkPin(step, manifest, bytes);
    const rewritten = withMemoryMaximum(bytes, maxPages);
    if (!rewritten.ok)
      throw new Error(
        `memory limit of ${step.limits.maxMemoryMiB} MiB exceeded: ${rewritten.message}`,
      );
    return rewritten.bytes;
  });
  const inspection = inspectImports(module, step.permissions);
  if (!inspection.ok) throw new Error(describeRefusal(inspection.refused));
  const spec: WasmStepSpec = {
    kind: 'wasm',
    stepId: step.id,
    moduleId: manifest.id,
    abi: manifest.abi,
    module,
    params: step.params,
    permissions: step.permissions,
    limits: step.limits,
    streamable: manifest.streamable,
    invocationRows: STREAM_INVOCATION_ROWS,
    inputs: manifest.inputs.map((p) => ({
      name: p.name,
      type: p.type,
      holds: portHoldsInput(manifest, p, step.params),
    })),
    outputs: manifest.outputs.map((p) => p.name),
  };
  const data = dataSpec(step, manifest, opts);
  if (data !== undefined) spec.data = data;
  return { spec, transfer: [] };
}

/** Throws unless `bytes` are the binary `step` pins, naming both hashes. */
async function checkPin(step: Step, manifest: ModuleManifest, bytes: Uint8Array): Promise<void> {
  const pin = step.pin;
  if (!pin) return;
  const found = await sha256Hex(bytes);
  if (found === pin.sha256) return;
  throw new Error(
    `refused: step pins module "${manifest.id}" ${pin.version} with sha256 ${pin.sha256}, ` +
      `but the module here (${manifest.version}) has sha256 ${found}; install the pinned version to run it`,
  );
}

/** Whether `bytes` start with the WebAssembly magic number and binary version 1. */
function isWasm(bytes: Uint8Array): boolean {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  return header.every((byte, i) => bytes[i] === byte);
}

/**
 * The step's `/data` when it was granted storage and its manifest asks for it (read-write only
 * when both say so), else undefined. Throws when the host keeps no module data.
 */
function dataSpec(
  step: Step,
  manifest: ModuleManifest,
  opts: RunOptions,
): StepDataSpec | undefined {
  const granted = step.permissions.storage;
  const asked = manifest.permissions.storage;
  if (granted === 'none' || asked === undefined) return undefined;
  if (opts.dataRoot === undefined) {
    throw new Error(
      'storage (/data) was granted, but this host keeps no module data (the CLI needs --data <dir>)',
    );
  }
  return {
    root: opts.dataRoot,
    key: manifest.id,
    writable: granted === 'readwrite' && asked === 'readwrite',
    maxBytes: (opts.maxDataMiB ?? DEFAULT_MAX_DATA_MIB) * 1024 * 1024,
  };
}
