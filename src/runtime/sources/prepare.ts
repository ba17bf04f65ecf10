/**
 * Preparing a host `source` step on the main thread: resolve its URI to a file (bytes, a Blob or
 * a path; never read here), pick the format, choose the Parquet columns to decode, and build the
 * spec its worker runs.
 */
import type { CompileCache } from '../../modules/compile-cache';
import type { PipelineDocument, Step } from '../../pipeline/types';
import { columnsReadDownstream } from '../projection';
import type { SourceData, SourceStepSpec } from '../protocol';
import type { ResolvedSource, RunOptions } from '../types';
import { formatOfName, type SourceFormat } from './format';

/** Rows per record batch when a source decodes Parquet. */
export const PARQUET_BATCH_ROWS = 65536;

/**
 * Bytes per message when a source sends a CSV file (4 MiB): the file is read in slices of this
 * size, so it is never whole in the source's memory.
 */
export const CSV_CHUNK_BYTES = 4 * 1024 * 1024;

/** A prepared source: its spec and what to transfer with it. */
export interface PreparedSource {
  spec: SourceStepSpec;
  transfer: Transferable[];
}

/**
 * The spec of the source step `step` of `doc`. Rejects with an error naming the file when its
 * URI does not resolve, its format is unknown, or Parquet cannot be read here.
 */
export async function prepareSource(
  doc: PipelineDocument,
  step: Step,
  opts: Pick<RunOptions, 'resolveSource' | 'loadParquetWasm' | 'projectColumns' | 'collect'>,
  cache: CompileCache,
): Promise<PreparedSource> {
  const resolved = await opts.resolveSource(String(step.params.uri ?? ''));
  const format = (step.params.format as SourceFormat | undefined) ?? formatOfName(resolved.name);
  if (format === null)
    throw new Error(
      `${resolved.name}: unknown file format (expected .csv, .tsv, .arrow or .parquet)`,
    );
  const data = sourceData(resolved);
  const spec: SourceStepSpec = {
    kind: 'source',
    stepId: step.id,
    name: resolved.name,
    data,
    format,
    batchRows: PARQUET_BATCH_ROWS,
    chunkBytes: CSV_CHUNK_BYTES,
  };
  if (format === 'parquet') {
    const load = opts.loadParquetWasm;
    if (!load) throw new Error('Parquet is not supported here (no parquet-wasm loader)');
    const read = opts.projectColumns
      ? columnsReadDownstream(doc, step.id, 'out', opts.collect)
      : null;
    if (read !== null && read.size > 0) spec.columns = [...read];
    spec.parquetModule = await cache.get('parquet-wasm', () => load());
  }
  return { spec, transfer: data.kind === 'bytes' ? [data.buffer] : [] };
}

/** Where the worker finds the file; bytes go in a buffer of their own, to be transferred. */
function sourceData(resolved: ResolvedSource): SourceData {
  if ('blob' in resolved) return { kind: 'blob', blob: resolved.blob };
  if ('path' in resolved) return { kind: 'path', path: resolved.path };
  return { kind: 'bytes', buffer: ownedBuffer(resolved.bytes) };
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
