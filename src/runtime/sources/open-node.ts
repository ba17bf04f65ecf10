/** Opening a source file by path in a Node step worker. Node only. */
import { constants } from 'node:fs';
import { access, open, stat } from 'node:fs/promises';

/**
 * A file, or a range of it, as a Blob whose bytes are read from disk when asked for, so the
 * file is never whole in memory. Unlike `fs.openAsBlob`, whose `arrayBuffer()` reads chunks and
 * joins them (chunks the worker then holds as garbage until its next GC: as many bytes as it
 * reads), a slice is read with positioned reads straight into one buffer of its size. Sources
 * and parquet-wasm use `size`, `slice` and `arrayBuffer` only.
 */
class FileRangeBlob extends Blob {
  constructor(
    private readonly path: string,
    private readonly start: number,
    private readonly end: number,
  ) {
    super([]);
  }

  override get size(): number {
    return this.end - this.start;
  }

  /** Bytes `start` to `end` of this range (negative: from its end), as `Blob.slice`. */
  override slice(start = 0, end = this.size): Blob {
    const clamp = (at: number): number =>
      Math.min(this.size, Math.max(0, at < 0 ? this.size + at : at));
    const from = clamp(start);
    const to = Math.max(from, clamp(end));
    return new FileRangeBlob(this.path, this.start + from, this.start + to);
  }

  /** The range's bytes in a new buffer. Rejects when the file has become shorter. */
  override async arrayBuffer(): Promise<ArrayBuffer> {
    const buffer = new ArrayBuffer(this.size);
    const handle = await open(this.path, 'r');
    try {
      let done = 0;
      while (done < buffer.byteLength) {
        const view = new Uint8Array(buffer, done);
        const { bytesRead } = await handle.read(view, 0, view.byteLength, this.start + done);
        if (bytesRead === 0) throw new Error(`${this.path} ended before byte ${this.end}`);
        done += bytesRead;
      }
      return buffer;
    } finally {
      await handle.close();
    }
  }
}

/**
 * The file at `path` as a file-backed Blob read by slices ({@link FileRangeBlob}). Rejects with
 * the system's error (`ENOENT`, `EACCES`, ...) when it cannot be read.
 */
export async function openFileBlob(path: string): Promise<Blob> {
  await access(path, constants.R_OK);
  const info = await stat(path);
  return new FileRangeBlob(path, 0, info.size);
}
