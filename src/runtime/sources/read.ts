/**
 * The host `source` step, inside its worker: CSV/TSV bytes go out unchanged on the `bytes`
 * port (the csv module parses them); an Arrow IPC file or stream is split into its messages on
 * `out`; a Parquet file is decoded with parquet-wasm one row group at a time, in record batches
 * of `batchRows` rows, and re-encoded as an IPC stream on `out`.
 */
import { tableFromIPC } from 'apache-arrow';
import { initSync, ParquetFile, readParquet } from 'parquet-wasm/esm';
import { StepError, type StepOutputs } from '../step-outputs';
import { ownBuffer, splitIpc } from '../ipc';
import type { SourceStepSpec } from '../protocol';

/** Sends the file of `spec` on `outputs`. Throws {@link StepError} for an unreadable file. */
export async function readSource(spec: SourceStepSpec, outputs: StepOutputs): Promise<void> {
  const bytes = new Uint8Array(spec.bytes);
  if (spec.format === 'csv') {
    await outputs.send('bytes', 'bytes', 0, spec.bytes);
    return;
  }
  if (spec.format === 'arrow') {
    let messages;
    try {
      messages = splitIpc(bytes);
    } catch (error) {
      throw new StepError(
        `${spec.name}: not a readable Arrow IPC file: ${(error as Error).message}`,
      );
    }
    if (messages[0]?.kind !== 'schema')
      throw new StepError(`${spec.name}: Arrow IPC data without a schema`);
    for (const m of messages) {
      if (outputs.abandoned) return;
      await outputs.send('out', m.kind, m.rows, ownBuffer(m.bytes));
    }
    return;
  }
  await readParquetFile(spec, bytes, outputs);
}

let parquetReady = false;

async function readParquetFile(
  spec: SourceStepSpec,
  bytes: Uint8Array,
  outputs: StepOutputs,
): Promise<void> {
  if (!parquetReady) {
    if (spec.parquetModule === undefined)
      throw new StepError('Parquet support is not loaded (no parquet-wasm module)');
    initSync({ module: spec.parquetModule });
    parquetReady = true;
  }
  let rowGroups: number;
  let columns: string[] | undefined;
  let file: ParquetFile;
  try {
    file = await ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
    rowGroups = file.metadata().numRowGroups();
    if (spec.columns !== undefined)
      columns = projection(file.schema().intoIPCStream(), spec.columns);
  } catch (error) {
    throw new StepError(`${spec.name}: not a readable Parquet file: ${describe(error)}`);
  }
  try {
    await sendRowGroups(spec, bytes, file, rowGroups, columns, outputs);
  } finally {
    file.free();
  }
}

/**
 * Each row group as IPC messages on `out` (the schema once). A projection goes through
 * `ParquetFile.read`: parquet-wasm 0.8.0's `readParquet` ignores its `columns` option.
 */
async function sendRowGroups(
  spec: SourceStepSpec,
  bytes: Uint8Array,
  file: ParquetFile,
  rowGroups: number,
  columns: string[] | undefined,
  outputs: StepOutputs,
): Promise<void> {
  let sentSchema = false;
  for (let group = 0; group < rowGroups && !outputs.abandoned; group++) {
    let stream: Uint8Array;
    try {
      const options = { rowGroups: [group], batchSize: spec.batchRows };
      const table =
        columns === undefined
          ? readParquet(bytes, options)
          : await file.read({ ...options, columns });
      stream = table.intoIPCStream();
    } catch (error) {
      throw new StepError(`${spec.name}: row group ${group}: ${describe(error)}`);
    }
    for (const m of splitIpc(stream)) {
      if (m.kind === 'schema' && sentSchema) continue;
      sentSchema ||= m.kind === 'schema';
      await outputs.send('out', m.kind, m.rows, ownBuffer(m.bytes));
    }
  }
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

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
