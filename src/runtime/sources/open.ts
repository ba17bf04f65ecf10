/**
 * Opening a source's file inside its worker as a Blob, which every reader then reads by slices
 * (`Blob.slice`). A path is opened by the opener the worker's entry registers (Node's
 * `fs.openAsBlob`, a file-backed Blob that reads from disk on demand), so that this code stays
 * free of Node modules.
 */
import type { SourceData } from '../protocol';
import { StepError } from '../step-outputs';

/** Opens a file by path as a Blob; rejects when it cannot be read. */
export type PathOpener = (path: string) => Promise<Blob>;

let pathOpener: PathOpener | null = null;

/** Sets how paths are opened in this worker (Node's entry passes `fs.openAsBlob`). */
export function setPathOpener(opener: PathOpener): void {
  pathOpener = opener;
}

/**
 * The file of a source as a Blob. In-memory bytes are wrapped once (a copy; callers that can
 * give a Blob or a path avoid it). Throws {@link StepError} naming `name` when a path cannot be
 * opened.
 */
export async function openSource(name: string, data: SourceData): Promise<Blob> {
  if (data.kind === 'blob') return data.blob;
  if (data.kind === 'bytes') return new Blob([data.buffer]);
  if (pathOpener === null) throw new StepError(`${name}: files cannot be opened by path here`);
  try {
    return await pathOpener(data.path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = typeof code === 'string' ? code : describe(error);
    throw new StepError(`${name}: cannot read ${data.path}: ${reason}`);
  }
}

/**
 * Bytes `start` to `end` of `blob`, in a buffer of their own. Throws {@link StepError} naming
 * `name` when the file cannot be read (in Node: changed or removed since it was opened).
 */
export async function readSlice(
  name: string,
  blob: Blob,
  start: number,
  end: number,
): Promise<ArrayBuffer> {
  try {
    return await blob.slice(start, end).arrayBuffer();
  } catch (error) {
    throw new StepError(`${name}: cannot read bytes ${start} to ${end}: ${describe(error)}`);
  }
}

/** The message of anything thrown. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
