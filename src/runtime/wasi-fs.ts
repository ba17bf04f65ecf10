/**
 * The virtual filesystem of one WASI run, on top of `@bjorn3/browser_wasi_shim` 0.4.2.
 *
 * Why our own subclasses: in 0.4.2 `OpenFile.fd_write` reallocates the file to its exact new
 * size and copies the old bytes on every append (quadratic in the output size), and `fd_read`
 * copies each chunk before the shim copies it again into guest memory. Here a file's `data`
 * is a view over a larger ArrayBuffer whose capacity doubles, reads hand out subarrays, and
 * directories refuse writes unless the host opened them read-write.
 */
import { Directory, File, OpenDirectory, OpenFile, wasi } from '@bjorn3/browser_wasi_shim';
import type { Fd, Inode } from '@bjorn3/browser_wasi_shim';

/** Smallest capacity given to a file on its first write, in bytes. */
const MIN_CAPACITY_BYTES = 64 * 1024;

/**
 * Makes room for `endBytes` bytes in `file`, growing its backing ArrayBuffer by doubling.
 * The visible `file.data` keeps its length; callers extend it after writing.
 */
function ensureCapacity(file: File, endBytes: number): void {
  const data = file.data;
  const capacity = data.buffer.byteLength - data.byteOffset;
  if (endBytes <= capacity) return;
  let next = Math.max(capacity * 2, MIN_CAPACITY_BYTES);
  while (next < endBytes) next *= 2;
  const grown = new Uint8Array(new ArrayBuffer(next), 0, data.byteLength);
  grown.set(data);
  file.data = grown;
}

/** Writes `bytes` at `offset` into `file`, extending its visible length if needed. */
function writeAt(file: File, bytes: Uint8Array, offset: number): void {
  const end = offset + bytes.byteLength;
  ensureCapacity(file, end);
  const data = file.data;
  if (end > data.byteLength) {
    file.data = new Uint8Array(data.buffer, data.byteOffset, end);
  }
  file.data.set(bytes, offset);
}

/**
 * A read-only file made of several chunks (e.g. the IPC messages of a whole input), never
 * joined: a read returns bytes from one chunk only (a short read at a chunk boundary, which
 * WASI allows and libc's fread loops over), so the input is not held twice.
 */
export class ChunkedFile extends File {
  private readonly chunks: Uint8Array[];
  /** Offset of each chunk in the file. */
  private readonly starts: number[] = [];
  private readonly totalBytes: number;

  constructor(chunks: readonly Uint8Array[]) {
    super(new ArrayBuffer(0), { readonly: true });
    this.chunks = chunks.filter((c) => c.byteLength > 0);
    let offset = 0;
    for (const chunk of this.chunks) {
      this.starts.push(offset);
      offset += chunk.byteLength;
    }
    this.totalBytes = offset;
  }

  override get size(): bigint {
    return BigInt(this.totalBytes);
  }

  /** Up to `length` bytes from `offset`, within the chunk holding `offset` (a view). */
  read(offset: number, length: number): Uint8Array {
    if (offset >= this.totalBytes || length <= 0) return new Uint8Array(0);
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const chunk = this.chunks[lo] ?? new Uint8Array(0);
    const at = offset - (this.starts[lo] ?? 0);
    return chunk.subarray(at, at + length);
  }
}

/**
 * Bytes the files of a directory tree may still grow by, shared by every file opened in it;
 * `exceeded` records a write refused for want of them.
 */
export interface WriteBudget {
  leftBytes: number;
  exceeded: boolean;
}

/** An open file whose writes grow the file by doubling and whose reads do not copy. */
export class GrowableOpenFile extends OpenFile {
  constructor(
    file: File,
    private readonly budget?: WriteBudget,
  ) {
    super(file);
  }

  override fd_write(data: Uint8Array): { ret: number; nwritten: number } {
    const written = this.fd_pwrite(data, this.file_pos);
    if (written.ret === wasi.ERRNO_SUCCESS) this.file_pos += BigInt(data.byteLength);
    return written;
  }

  override fd_pwrite(data: Uint8Array, offset: bigint): { ret: number; nwritten: number } {
    if (this.file.readonly) return { ret: wasi.ERRNO_BADF, nwritten: 0 };
    const growth = Math.max(0, Number(offset) + data.byteLength - this.file.data.byteLength);
    if (this.budget !== undefined) {
      if (growth > this.budget.leftBytes) {
        this.budget.exceeded = true;
        return { ret: wasi.ERRNO_FBIG, nwritten: 0 };
      }
      this.budget.leftBytes -= growth;
    }
    writeAt(this.file, data, Number(offset));
    return { ret: wasi.ERRNO_SUCCESS, nwritten: data.byteLength };
  }

  override fd_read(size: number): { ret: number; data: Uint8Array } {
    const chunk = readAt(this.file, Number(this.file_pos), size);
    this.file_pos += BigInt(chunk.byteLength);
    return { ret: wasi.ERRNO_SUCCESS, data: chunk };
  }

  override fd_pread(size: number, offset: bigint): { ret: number; data: Uint8Array } {
    return { ret: wasi.ERRNO_SUCCESS, data: readAt(this.file, Number(offset), size) };
  }

  override fd_seek(offset: bigint, whence: number): { ret: number; offset: bigint } {
    // The shim measures the end with `data.byteLength`, which a ChunkedFile does not have.
    const base =
      whence === wasi.WHENCE_SET ? 0n : whence === wasi.WHENCE_CUR ? this.file_pos : this.file.size;
    const target = base + offset;
    if (whence > wasi.WHENCE_END || target < 0n) return { ret: wasi.ERRNO_INVAL, offset: 0n };
    this.file_pos = target;
    return { ret: wasi.ERRNO_SUCCESS, offset: target };
  }
}

/** Bytes of `file` from `offset`, as a view (no copy). */
function readAt(file: File, offset: number, size: number): Uint8Array {
  if (file instanceof ChunkedFile) return file.read(offset, size);
  const start = Math.min(offset, file.data.byteLength);
  return file.data.subarray(start, start + size);
}

/** Replaces the shim's own open-file and open-directory objects by ours. */
function adopt(fd: Fd | null, writable: boolean, budget: WriteBudget | undefined): Fd | null {
  if (fd instanceof OpenFile && !(fd instanceof GrowableOpenFile)) {
    const ours = new GrowableOpenFile(fd.file, budget);
    ours.file_pos = fd.file_pos;
    return ours;
  }
  if (fd instanceof OpenDirectory && !(fd instanceof GuardedOpenDirectory)) {
    return new GuardedOpenDirectory(fd.dir, writable, budget);
  }
  return fd;
}

type PathOpenResult = { ret: number; fd_obj: Fd | null };

/** Shared write guard: a read-only directory refuses creation, truncation and write rights. */
function refusesWrite(writable: boolean, oflags: number, rightsBase: bigint): boolean {
  if (writable) return false;
  const mutating = wasi.OFLAGS_CREAT | wasi.OFLAGS_TRUNC;
  return (oflags & mutating) !== 0 || (rightsBase & BigInt(wasi.RIGHTS_FD_WRITE)) !== 0n;
}

/**
 * An open directory that hands out growable files, enforces read-only when asked, and counts
 * the growth of its files against `budget` when given.
 */
export class GuardedOpenDirectory extends OpenDirectory {
  constructor(
    dir: Directory,
    readonly writable: boolean,
    private readonly budget?: WriteBudget,
  ) {
    super(dir);
  }

  override path_open(
    dirflags: number,
    path: string,
    oflags: number,
    rightsBase: bigint,
    rightsInheriting: bigint,
    fdFlags: number,
  ): PathOpenResult {
    if (refusesWrite(this.writable, oflags, rightsBase))
      return { ret: wasi.ERRNO_ROFS, fd_obj: null };
    const opened = super.path_open(dirflags, path, oflags, rightsBase, rightsInheriting, fdFlags);
    return { ret: opened.ret, fd_obj: adopt(opened.fd_obj, this.writable, this.budget) };
  }

  override path_unlink_file(path: string): number {
    return this.writable ? super.path_unlink_file(path) : wasi.ERRNO_ROFS;
  }

  override path_remove_directory(path: string): number {
    return this.writable ? super.path_remove_directory(path) : wasi.ERRNO_ROFS;
  }

  override path_link(path: string, inode: Inode, allowDir: boolean): number {
    return this.writable ? super.path_link(path, inode, allowDir) : wasi.ERRNO_ROFS;
  }

  override path_unlink(path: string): { ret: number; inode_obj: Inode | null } {
    return this.writable ? super.path_unlink(path) : { ret: wasi.ERRNO_ROFS, inode_obj: null };
  }
}

/** A preopened directory (`/in`, `/out`, `/`) with the guards of {@link GuardedOpenDirectory}. */
export class GuardedPreopenDirectory extends GuardedOpenDirectory {
  constructor(
    readonly prestatName: string,
    dir: Directory,
    writable: boolean,
    budget?: WriteBudget,
  ) {
    super(dir, writable, budget);
  }

  override fd_prestat_get(): { ret: number; prestat: wasi.Prestat | null } {
    return { ret: wasi.ERRNO_SUCCESS, prestat: wasi.Prestat.dir(this.prestatName) };
  }
}

/**
 * A read-only file over `bytes` without copying them (the shim's constructor copies a
 * Uint8Array; only a bare ArrayBuffer is wrapped as is).
 */
export function readOnlyFile(bytes: Uint8Array): File {
  const file = new File(new ArrayBuffer(0), { readonly: true });
  file.data = bytes;
  return file;
}

/** Creates (or finds) the directory at `parts` under `root`, making parents as needed. */
export function ensureDirectory(root: Directory, parts: readonly string[]): Directory {
  let dir = root;
  for (const part of parts) {
    const existing = dir.contents.get(part);
    if (existing instanceof Directory) {
      dir = existing;
      continue;
    }
    if (existing !== undefined)
      throw new Error(`virtual filesystem: "${part}" is a file, not a directory`);
    const created = new Directory(new Map());
    dir.contents.set(part, created);
    dir = created;
  }
  return dir;
}

/** Collects every file under `dir` as `prefix/<relative path>` → its bytes (views, not copies). */
export function collectFiles(
  dir: Directory,
  prefix: string,
  into: Record<string, Uint8Array>,
): void {
  for (const [name, entry] of dir.contents) {
    const path = `${prefix}/${name}`;
    if (entry instanceof File) into[path] = entry.data;
    else if (entry instanceof Directory) collectFiles(entry, path, into);
  }
}
