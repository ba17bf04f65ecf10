/**
 * The host `source` step, inside its worker. The file is opened as a Blob and read by slices:
 * CSV/TSV goes out unchanged on the `bytes` port in messages of `spec.chunkBytes` bytes (the
 * csv module parses them), so it is never whole in this worker; an Arrow IPC file or stream is
 * read one message at a time (`arrow.ts`); Parquet is decoded one row group at a time
 * (`parquet.ts`).
 */
import type { SourceStepSpec } from '../protocol';
import type { RequestShards } from '../shard-link';
import type { StepOutputs } from '../step-outputs';
import { sendArrow } from './arrow';
import { openSource, readSlice } from './open';
import { readParquetFile } from './parquet';

/** What a source writes to: the sends and previews of its {@link StepOutputs}. */
export type SourceOutputs = Pick<StepOutputs, 'send' | 'previews' | 'abandoned'>;

/**
 * Sends the file of `spec` on `outputs`; a Parquet file of several row groups asks for shards
 * (`requestShards`) to decode them. Resolves with the number of workers that decoded it. Throws
 * {@link StepError} naming an unreadable file.
 */
export async function readSource(
  spec: SourceStepSpec,
  outputs: SourceOutputs,
  requestShards: RequestShards = async () => [],
): Promise<number> {
  const blob = await openSource(spec.name, spec.data);
  if (spec.format === 'csv' || spec.format === 'json') await sendSlices(spec, blob, outputs);
  else if (spec.format === 'arrow') await sendArrow(spec, blob, outputs);
  else return readParquetFile(spec, blob, outputs, requestShards);
  return 1;
}

/**
 * The file's bytes in slices of `spec.chunkBytes`, one `bytes` message each, read only when the
 * previous one was sent (the edge's credits hold the reading back). An empty file sends one
 * empty message.
 */
async function sendSlices(spec: SourceStepSpec, blob: Blob, outputs: SourceOutputs): Promise<void> {
  const step = Math.max(1, spec.chunkBytes);
  let start = 0;
  do {
    const buffer = await readSlice(spec.name, blob, start, Math.min(start + step, blob.size));
    await outputs.send('bytes', 'bytes', 0, buffer);
    start += step;
  } while (start < blob.size && !outputs.abandoned);
}
