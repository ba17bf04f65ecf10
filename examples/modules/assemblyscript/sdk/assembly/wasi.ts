// WASI preview 1 calls the kit needs: stderr for the step's log and error line, and exit. The
// compiler's own `abort` (an `env` import the host would refuse) is routed to `abortStep` with
// `--use abort=...` (see the build script).

@external("wasi_snapshot_preview1", "fd_write")
declare function fd_write(fd: u32, iovs: usize, iovsLen: usize, written: usize): u16;

@external("wasi_snapshot_preview1", "proc_exit")
declare function proc_exit(code: u32): void;

/** Writes `text` and a newline to stderr (the step's log). */
export function logLine(text: string): void {
  const bytes = String.UTF8.encode(text + "\n");
  const iov = heap.alloc(16);
  store<u32>(iov, changetype<usize>(bytes));
  store<u32>(iov, <u32>bytes.byteLength, 4);
  fd_write(2, iov, 1, iov + 8);
  heap.free(iov);
}

/** The compiler's `abort` (a failed assertion, an index out of range): the error line, exit 1. */
export function abortStep(message: string | null, file: string | null, line: u32, column: u32): void {
  const where = file !== null ? ` (${file}:${line}:${column})` : "";
  logLine(`error: ${message !== null ? message : "abort"}${where}`);
  proc_exit(1);
}
