/**
 * Reading an Arrow IPC file or stream from a Blob one message at a time: each message is read
 * into a buffer of its own and sent on `out` as it is (transferred, never copied), so the file
 * is never whole in memory. An IPC file's footer is skipped: its messages are read in order;
 * when the file does not repeat its schema as the first message (apache-arrow's JS file writer
 * does not), the schema message is made from the footer (ipc-footer.ts) and sent first.
 */
import { IPC_PREFIX_BYTES, ipcMessageExtent, isArrowFile, splitIpc } from '../ipc';
import { schemaMessageFromFooter } from '../ipc-footer';
import type { SourceStepSpec } from '../protocol';
import { StepError } from '../step-outputs';
import { describe, readSlice } from './open';
import type { SourceOutputs } from './read';

/** Bytes of an IPC file's trailer: int32 footer size and the `ARROW1` magic. */
const FILE_TRAILER_BYTES = 10;

/** Sends the Arrow IPC data in `blob` on `out`. Throws {@link StepError} naming the file. */
export async function sendArrow(
  spec: SourceStepSpec,
  blob: Blob,
  outputs: SourceOutputs,
): Promise<void> {
  const read = async (start: number, end: number): Promise<Uint8Array<ArrayBuffer>> =>
    new Uint8Array(await readSlice(spec.name, blob, start, end));
  const unreadable = (why: string): StepError =>
    new StepError(`${spec.name}: not a readable Arrow IPC file: ${why}`);
  const range = await messageRange(blob.size, read);
  const end = range.end;
  let start = range.start;
  if (end < start) throw unreadable('footer size larger than the file');
  let sent = 0;
  while (start + 4 <= end && !outputs.abandoned) {
    let extent = ipcMessageExtent(await read(start, Math.min(start + IPC_PREFIX_BYTES, end)));
    if (extent.metadataEnd === 0) break;
    if (extent.size === null && start + extent.metadataEnd <= end)
      extent = ipcMessageExtent(await read(start, start + extent.metadataEnd));
    if (extent.size === null || start + extent.size > end)
      throw unreadable(`Arrow IPC: message at byte ${start} is truncated`);
    const bytes = await read(start, start + extent.size);
    let message;
    try {
      message = splitIpc(bytes)[0];
    } catch (error) {
      throw unreadable(describe(error).replace(/at byte \d+/, `at byte ${start}`));
    }
    if (message === undefined) break;
    if (sent === 0 && message.kind !== 'schema') {
      if (range.footer === undefined)
        throw new StepError(`${spec.name}: Arrow IPC data without a schema`);
      const schema = await schemaFromFooter(range.footer, read, unreadable);
      await outputs.send('out', 'schema', 0, schema.buffer);
      sent++;
    }
    await outputs.send('out', message.kind, message.rows, bytes.buffer);
    sent++;
    start += extent.size;
  }
  if (sent === 0) throw new StepError(`${spec.name}: Arrow IPC data without a schema`);
}

/** Where the messages are: all of a stream; an IPC file without its magic and footer (whose
 * byte range it also gives). */
async function messageRange(
  size: number,
  read: (start: number, end: number) => Promise<Uint8Array>,
): Promise<{ start: number; end: number; footer?: { start: number; end: number } }> {
  if (size < 8 || !isArrowFile(await read(0, 8))) return { start: 0, end: size };
  const trailer = await read(size - FILE_TRAILER_BYTES, size);
  const footerSize = new DataView(trailer.buffer, trailer.byteOffset).getInt32(0, true);
  const end = size - FILE_TRAILER_BYTES - footerSize;
  return { start: 8, end, footer: { start: end, end: size - FILE_TRAILER_BYTES } };
}

/** The schema message of an IPC file, made from its footer. */
async function schemaFromFooter(
  footer: { start: number; end: number },
  read: (start: number, end: number) => Promise<Uint8Array>,
  unreadable: (why: string) => StepError,
): Promise<Uint8Array<ArrayBuffer>> {
  try {
    return schemaMessageFromFooter(await read(footer.start, footer.end));
  } catch (error) {
    throw unreadable(describe(error));
  }
}
