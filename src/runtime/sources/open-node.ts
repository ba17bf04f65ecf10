/** Opening a source file by path in a Node step worker. Node only. */
import { constants, openAsBlob } from 'node:fs';
import { access } from 'node:fs/promises';

/**
 * The file at `path` as a file-backed Blob: its slices are read from disk when asked for, so the
 * file is never whole in memory. Rejects with the system's error (`ENOENT`, `EACCES`, ...) when
 * it cannot be read, which `openAsBlob` alone does not name.
 */
export async function openFileBlob(path: string): Promise<Blob> {
  await access(path, constants.R_OK);
  return openAsBlob(path);
}
