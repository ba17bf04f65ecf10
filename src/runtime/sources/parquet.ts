/**
 * Reading a Parquet file in the source's worker with parquet-wasm: the footer is parsed once
 * (`ParquetFile.fromFile`), then each row group is decoded exactly once, with only the
 * projected columns, from the byte ranges the reader asks of the Blob (`Blob.slice`), and sent
 * on `out` as IPC messages in record batches of `spec.batchRows` rows.
 */
import { tableFromIPC } from 'apache-arrow';
import { initSync, ParquetFile, type ReaderOptions } from 'parquet-wasm/esm';
import { ownBuffer, splitIpc } from '../ipc';
import type { SourceStepSpec } from '../protocol';
import { StepError } from '../step-outputs';
import { describe } from './open';
import type { SourceOutputs } from './read';

let parquetReady = false;

/** Sends the Parquet file `blob` on `out`. Throws {@link StepError} naming the file. */
export async function readParquetFile(
  spec: SourceStepSpec,
  blob: Blob,
  outputs: SourceOutputs,
): Promise<void> {
  if (!parquetReady) {
    if (spec.parquetModule === undefined)
      throw new StepError('Parquet support is not loaded (no parquet-wasm module)');
    initSync({ module: spec.parquetModule });
    parquetReady = true;
  }
  let file: ParquetFile;
  let rowGroups: number;
  let columns: string[] | undefined;
  try {
    file = await ParquetFile.fromFile(blob);
    const metadata = file.metadata();
    rowGroups = metadata.numRowGroups();
    metadata.free();
    if (spec.columns !== undefined)
      columns = projection(file.schema().intoIPCStream(), spec.columns);
  } catch (error) {
    throw new StepError(`${spec.name}: not a readable Parquet file: ${describe(error)}`);
  }
  try {
    if (columns !== undefined) await previewEveryColumn(spec, file, outputs);
    await sendRowGroups(spec, file, rowGroups, columns, outputs);
  } finally {
    file.free();
  }
}

/**
 * Each row group decoded once, as IPC messages on `out` (the schema once). A file without row
 * groups still sends its schema (an empty read).
 */
async function sendRowGroups(
  spec: SourceStepSpec,
  file: ParquetFile,
  rowGroups: number,
  columns: string[] | undefined,
  outputs: SourceOutputs,
): Promise<void> {
  const groups = rowGroups === 0 ? [[]] : Array.from({ length: rowGroups }, (_, g) => [g]);
  let sentSchema = false;
  for (const group of groups) {
    if (outputs.abandoned) break;
    const options: ReaderOptions = { rowGroups: group, batchSize: spec.batchRows };
    if (columns !== undefined) options.columns = columns;
    let stream: Uint8Array;
    try {
      stream = (await file.read(options)).intoIPCStream();
    } catch (error) {
      throw new StepError(`${spec.name}: row group ${group.join()}: ${describe(error)}`);
    }
    for (const m of splitIpc(stream)) {
      if (m.kind === 'schema' && sentSchema) continue;
      sentSchema ||= m.kind === 'schema';
      await outputs.send('out', m.kind, m.rows, ownBuffer(m.bytes));
    }
  }
}

/**
 * The first rows of every column, for the preview of `out` only: the data sent downstream has
 * the projected columns, but whoever looks at the source sees the whole file.
 */
async function previewEveryColumn(
  spec: SourceStepSpec,
  file: ParquetFile,
  outputs: SourceOutputs,
): Promise<void> {
  const preview = outputs.previews.get('out');
  if (preview === undefined || preview.limitRows === 0) return;
  let stream: Uint8Array;
  try {
    const rows = preview.limitRows;
    stream = (await file.read({ limit: rows, batchSize: rows })).intoIPCStream();
  } catch (error) {
    throw new StepError(`${spec.name}: reading the preview: ${describe(error)}`);
  }
  preview.fillFrom(splitIpc(stream));
}

/**
 * The wanted columns in file order, or undefined (read all) unless every one is a top-level,
 * non-nested field of a file whose field names are unique.
 */
function projection(schemaStream: Uint8Array, wanted: readonly string[]): string[] | undefined {
  const fields = tableFromIPC(schemaStream).schema.fields;
  const names = fields.map((f) => f.name);
  const flat = (name: string): boolean =>
    fields.some((f) => f.name === name && (f.type.children ?? []).length === 0);
  if (new Set(names).size !== names.length || !wanted.every(flat)) return undefined;
  return names.filter((name) => wanted.includes(name));
}
