/**
 * Preparing a step on the main thread, before a worker is given it: a module step's module is
 * compiled once (its memory maximum rewritten to the step's cap) and its imports inspected; a
 * source step's bytes are resolved (and, for Parquet, the columns read downstream found and
 * parquet-wasm compiled). What comes out is the `run-step` spec and the buffers it transfers.
 */
import { type CompileCache, moduleKey } from '../modules/compile-cache';
import { describeRefusal, inspectImports } from '../modules/imports';
import type { ModuleManifest } from '../modules/manifest';
import type { PipelineDocument, Step } from '../pipeline/types';
import { columnsReadDownstream } from './projection';
import type { StepSpec } from './protocol';
import { formatOfName } from './sources/format';
import type { RunOptions } from './types';
import { memoryMaximumPages, withMemoryMaximum } from './wasm-binary';

/** Rows per record batch when a source decodes Parquet. */
export const PARQUET_BATCH_ROWS = 65536;

/**
 * Rows of consecutive batches a streamable module runs on per invocation (four Parquet
 * batches): each invocation pays for a fresh instance and memory, so small batches are grouped.
 */
export const STREAM_INVOCATION_ROWS = 262144;

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
  return manifest.kind === 'host'
    ? prepareSource(step, context)
    : prepareModule(step, manifest, context);
}

/**
 * The host `source` step: its URI resolved to bytes (transferred to the worker, copied only
 * when they share their buffer), its format from `params.format` or the file name.
 */
export async function prepareSource(step: Step, context: PrepareContext): Promise<PreparedStep> {
  const { doc, opts, cache } = context;
  const uri = String(step.params.uri ?? '');
  const resolved = await opts.resolveSource(uri);
  const format =
    (step.params.format as 'csv' | 'arrow' | 'parquet' | undefined) ?? formatOfName(resolved.name);
  if (format === null)
    throw new Error(
      `${resolved.name}: unknown file format (expected .csv, .tsv, .arrow or .parquet)`,
    );
  const bytes = ownedBuffer(resolved.bytes);
  const spec: StepSpec = {
    kind: 'source',
    stepId: step.id,
    name: resolved.name,
    bytes,
    format,
    batchRows: PARQUET_BATCH_ROWS,
  };
  if (format === 'parquet') {
    if (!opts.loadParquetWasm)
      throw new Error('Parquet is not supported here (no parquet-wasm loader)');
    const load = opts.loadParquetWasm;
    const read = opts.projectColumns
      ? columnsReadDownstream(doc, step.id, 'out', opts.collect)
      : null;
    if (read !== null && read.size > 0) spec.columns = [...read];
    spec.parquetModule = await cache.get('parquet-wasm', () => load());
  }
  return { spec, transfer: [bytes] };
}

/**
 * A WebAssembly module step: compiled once per module version and memory maximum (keyed
 * `id@version#max<pages>`), then refused if it imports anything the step was not granted.
 */
async function prepareModule(
  step: Step,
  manifest: ModuleManifest,
  context: PrepareContext,
): Promise<PreparedStep> {
  const { opts, cache } = context;
  const maxPages = memoryMaximumPages(step.limits.maxMemoryMiB);
  const key = `${moduleKey(manifest.id, manifest.version)}#max${maxPages}`;
  const module = await cache.get(key, async () => {
    const rewritten = withMemoryMaximum(await opts.loadModule(manifest.id), maxPages);
    if (!rewritten.ok)
      throw new Error(
        `memory limit of ${step.limits.maxMemoryMiB} MiB exceeded: ${rewritten.message}`,
      );
    return rewritten.bytes;
  });
  const inspection = inspectImports(module, step.permissions);
  if (!inspection.ok) throw new Error(describeRefusal(inspection.refused));
  const spec: StepSpec = {
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
    inputs: manifest.inputs.map((p) => ({ name: p.name, type: p.type })),
    outputs: manifest.outputs.map((p) => p.name),
  };
  return { spec, transfer: [] };
}

/** The bytes in an ArrayBuffer of their own (no copy when they already are). */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  if (
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength &&
    bytes.buffer instanceof ArrayBuffer
  ) {
    return bytes.buffer;
  }
  return bytes.slice().buffer;
}
