/**
 * Reading a Parquet file in the source's worker with parquet-wasm: the footer is parsed once
 * (`ParquetFile.fromFile`), then each row group is decoded exactly once, with only the
 * projected columns, from the byte ranges the reader asks of the Blob (`Blob.slice`), and sent
 * on `out` as IPC messages in record batches of `spec.batchRows` rows. With shards (other
 * workers given the same file), the row groups are decoded in parallel and sent in file order.
 */
import { tableFromIPC } from 'apache-arrow';
import { initSync, ParquetFile, type ReaderOptions, type Table } from 'parquet-wasm/esm';
import { ownBuffer, splitIpc } from '../ipc';
import {
  SHARD_WINDOW,
  type ShardOutput,
  type ShardRequest,
  type SourceStepSpec,
} from '../protocol';
import { OrderedResults, reply, ShardLink, type RequestShards } from '../shard-link';
import { StepError } from '../step-outputs';
import { describe, openSource } from './open';
import type { SourceOutputs } from './read';

let parquetReady = false;

/** A Parquet file opened in this worker: its footer parsed once. */
interface OpenParquet {
  file: ParquetFile;
  rowGroups: number;
  /** The projected columns in file order, or undefined to read them all. */
  columns: string[] | undefined;
}

/**
 * Sends the Parquet file `blob` on `out`: decoded here, or, when it has several row groups and
 * `requestShards` gives helper workers, by them and here (each decoding whole row groups) with
 * the groups kept in file order. Resolves with the number of workers that decoded it. Throws {@link StepError} naming the file.
 */
export async function readParquetFile(
  spec: SourceStepSpec,
  blob: Blob,
  outputs: SourceOutputs,
  requestShards: RequestShards = async () => [],
): Promise<number> {
  const parquet = await openParquet(spec, blob);
  try {
    if (parquet.columns !== undefined) await previewEveryColumn(spec, parquet.file, outputs);
    const shards = parquet.rowGroups > 1 ? await requestShards() : [];
    if (shards.length > 0) {
      await sendRowGroupsInParallel(spec, parquet, outputs, shards);
      return shards.length + 1;
    }
    await sendRowGroups(spec, parquet, outputs);
    return 1;
  } finally {
    parquet.file.free();
  }
}

/** Parses the footer of `blob` (parquet-wasm initialised on first use). */
async function openParquet(spec: SourceStepSpec, blob: Blob): Promise<OpenParquet> {
  if (!parquetReady) {
    if (spec.parquetModule === undefined)
      throw new StepError('Parquet support is not loaded (no parquet-wasm module)');
    initSync({ module: spec.parquetModule });
    parquetReady = true;
  }
  try {
    const file = await ParquetFile.fromFile(blob);
    const metadata = file.metadata();
    const rowGroups = metadata.numRowGroups();
    metadata.free();
    const columns =
      spec.columns === undefined
        ? undefined
        : projection(file.schema().intoIPCStream(), spec.columns);
    return { file, rowGroups, columns };
  } catch (error) {
    throw new StepError(`${spec.name}: not a readable Parquet file: ${describe(error)}`);
  }
}

/**
 * Row groups `group` (all of them when empty: a file without row groups still has a schema)
 * decoded once, as IPC messages: each record batch is written to an IPC stream of its own,
 * whose buffer is sent as it is, the batch's byte range in it carried beside (no copy); the
 * schema, once per call, is copied out (a few hundred bytes).
 */
async function decodeRowGroups(
  spec: SourceStepSpec,
  parquet: OpenParquet,
  group: number[],
): Promise<ShardOutput[]> {
  const options: ReaderOptions = { rowGroups: group, batchSize: spec.batchRows };
  if (parquet.columns !== undefined) options.columns = parquet.columns;
  const failed = (error: unknown): StepError =>
    new StepError(`${spec.name}: row group ${group.join()}: ${describe(error)}`);
  let table: Table;
  try {
    table = await parquet.file.read(options);
  } catch (error) {
    throw failed(error);
  }
  try {
    if (table.numBatches === 0) return batchOutputs(table.schema.intoIPCStream(), true);
    return table
      .recordBatches()
      .flatMap((batch, i) => batchOutputs(batch.intoIPCStream(), i === 0));
  } catch (error) {
    throw failed(error);
  } finally {
    table.free();
  }
}

/**
 * The messages of one record batch's IPC `stream` (schema, maybe dictionaries, the batch),
 * the schema only `withSchema`. The batch keeps the stream's buffer when it is the only
 * message sent from it; otherwise (dictionaries) each message gets a buffer of its own.
 */
function batchOutputs(stream: Uint8Array, withSchema: boolean): ShardOutput[] {
  // parquet-wasm copies each stream out of its memory into an ArrayBuffer of the stream's own.
  const buffer = stream.buffer as ArrayBuffer;
  const messages = splitIpc(stream).filter((m) => withSchema || m.kind !== 'schema');
  const data = messages.filter((m) => m.kind !== 'schema');
  return messages.map((m) => {
    const alone = m.kind !== 'schema' && data.length === 1;
    const output = { port: 0, kind: m.kind, rows: m.rows };
    if (!alone) return { ...output, buffer: ownBuffer(m.bytes) };
    return {
      ...output,
      buffer,
      offset: m.bytes.byteOffset,
      length: m.bytes.byteLength,
    };
  });
}

/** Each row group decoded once, in order, as IPC messages on `out` (the schema once). */
async function sendRowGroups(
  spec: SourceStepSpec,
  parquet: OpenParquet,
  outputs: SourceOutputs,
): Promise<void> {
  const count = parquet.rowGroups;
  const groups = count === 0 ? [[]] : Array.from({ length: count }, (_, g) => [g]);
  const results = new OrderedResults(['out'], outputs);
  for (const group of groups) {
    if (outputs.abandoned) break;
    results.add(decodeRowGroups(spec, parquet, group));
    await results.forwardOldest();
  }
}

/**
 * Row groups dealt out round robin to `shards` and to this worker, which takes its turn last
 * and decodes one group at a time (a worker fewer than one that only deals); sent on in file
 * order.
 */
async function sendRowGroupsInParallel(
  spec: SourceStepSpec,
  parquet: OpenParquet,
  outputs: SourceOutputs,
  shards: MessagePort[],
): Promise<void> {
  const links = shards.map((port) => new ShardLink(port));
  const results = new OrderedResults(['out'], outputs);
  let own: Promise<unknown> = Promise.resolve();
  for (let group = 0; group < parquet.rowGroups && !outputs.abandoned; group++) {
    const link = links[group % (links.length + 1)];
    await results.keepAtMost(links.length * SHARD_WINDOW + 1);
    if (link === undefined) {
      await own;
      const decoded = decodeRowGroups(spec, parquet, [group]);
      own = decoded.catch(() => undefined);
      results.add(decoded);
      continue;
    }
    while (link.inFlight >= SHARD_WINDOW) await results.forwardOldest();
    results.add(link.request({ type: 'group', group }));
  }
  for (const link of links) results.add(link.request({ type: 'finish' }));
  await results.forwardAll();
  for (const link of links) link.close();
}

/**
 * A shard of a Parquet source in a helper worker: opens the file once, then answers each
 * `group` request with that row group decoded, until `finish`. `onEnd` gets the failure.
 */
export function runParquetShard(
  spec: SourceStepSpec,
  channel: MessagePort,
  onEnd: (error?: unknown) => void,
): void {
  let opened: Promise<OpenParquet> | undefined;
  let queue = Promise.resolve();
  const answer = (outputs: ShardOutput[]): void => reply(channel, outputs);
  channel.onmessage = (event: MessageEvent<ShardRequest>) => {
    const request = event.data;
    // Requests are answered in order, one at a time (decoding is asynchronous).
    queue = queue.then(async () => {
      try {
        if (request.type === 'group') {
          opened ??= openSource(spec.name, spec.data).then((blob) => openParquet(spec, blob));
          answer(await decodeRowGroups(spec, await opened, [request.group]));
        } else {
          if (opened !== undefined) (await opened).file.free();
          answer([]);
          channel.close();
          onEnd();
        }
      } catch (error) {
        channel.close();
        onEnd(error);
      }
    });
  };
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
