/**
 * Capture of a module's stdout or stderr: keeps the last `limitBytes` bytes as text (the tail
 * is what explains a failure) and reports each complete line as it is written.
 *
 * A hostile module may write hundreds of megabytes, in one line or in millions, so every step
 * is linear in the bytes written and allocates nothing per write but the decoded text: the tail
 * is kept in a ring buffer, only the newly written text is searched for line ends, and a line
 * longer than {@link MAX_LINE_CHARS} is cut (the rest of it is counted, not kept).
 */

/** Longest line reported, in UTF-16 code units; the rest of a longer line is dropped. */
export const MAX_LINE_CHARS = 8192;

/** One stream's capture. */
export class StdioCapture {
  /** The last bytes written, as a ring: byte `i` of the stream is at `i % ring.byteLength`. */
  private ring = new Uint8Array(0);
  /** Bytes written in all. */
  private totalBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private partialLine = '';
  /** Characters of the current line beyond {@link MAX_LINE_CHARS}, not kept. */
  private cutChars = 0;
  /** Set once `onLine` wants no more lines: the rest is only counted, never decoded. */
  private counting = false;
  /** Lines (newlines) and bytes written after `onLine` wanted no more, not yet taken. */
  private uncounted = { lines: 0, bytes: 0 };

  /**
   * @param limitBytes most bytes kept; older bytes are dropped first.
   * @param onLine called with each complete line (without its "\n"); returning false means
   *   it wants no more, and the rest of the stream is counted instead ({@link takeUnreported}).
   */
  constructor(
    private readonly limitBytes: number,
    private readonly onLine?: (line: string) => unknown,
  ) {}

  /** Records bytes the module wrote; `bytes` may be a view of its memory (they are copied). */
  write(bytes: Uint8Array): void {
    this.keep(bytes);
    if (this.counting) this.count(bytes);
    else if (this.onLine !== undefined) this.split(this.decoder.decode(bytes, { stream: true }));
  }

  /** Lines and bytes not reported because `onLine` wanted no more, since the last call. */
  takeUnreported(): { lines: number; bytes: number } {
    const taken = this.uncounted;
    this.uncounted = { lines: 0, bytes: 0 };
    return taken;
  }

  /** Counts newlines with the engine's own search: linear, with nothing allocated. */
  private count(bytes: Uint8Array): void {
    let at = bytes.indexOf(10);
    while (at >= 0) {
      this.uncounted.lines++;
      at = bytes.indexOf(10, at + 1);
    }
    this.uncounted.bytes += bytes.byteLength;
  }

  /** Copies `bytes` into the ring, growing it by doubling up to `limitBytes`. */
  private keep(bytes: Uint8Array): void {
    const needed = Math.min(this.limitBytes, this.totalBytes + bytes.byteLength);
    if (needed > this.ring.byteLength && this.totalBytes <= this.ring.byteLength) {
      const grown = new Uint8Array(
        Math.min(this.limitBytes, Math.max(needed, this.ring.byteLength * 2, 4096)),
      );
      grown.set(this.ring.subarray(0, this.totalBytes));
      this.ring = grown;
    }
    const size = this.ring.byteLength;
    if (size === 0) return;
    const tail = bytes.byteLength > size ? bytes.subarray(bytes.byteLength - size) : bytes;
    const skipped = bytes.byteLength - tail.byteLength;
    const at = (this.totalBytes + skipped) % size;
    const first = Math.min(tail.byteLength, size - at);
    this.ring.set(tail.subarray(0, first), at);
    this.ring.set(tail.subarray(first), 0);
    this.totalBytes += bytes.byteLength;
  }

  private split(text: string): void {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      this.append(text, start, end);
      this.emit();
      start = end + 1;
      if (this.counting) {
        // The rest of this write is counted as the bytes that follow are.
        this.count(new TextEncoder().encode(text.slice(start)));
        return;
      }
    }
    this.append(text, start, text.length);
  }

  /** Adds `text[start, end)` to the current line, cutting it at {@link MAX_LINE_CHARS}. */
  private append(text: string, start: number, end: number): void {
    const room = MAX_LINE_CHARS - this.partialLine.length;
    const taken = Math.min(room, end - start);
    if (taken > 0) this.partialLine += text.slice(start, start + taken);
    this.cutChars += end - start - Math.max(0, taken);
  }

  private emit(): void {
    const cut = this.cutChars > 0 ? ` [line cut: ${this.cutChars} more characters]` : '';
    if (this.onLine?.(this.partialLine + cut) === false) this.counting = true;
    this.partialLine = '';
    this.cutChars = 0;
  }

  /** Reports a last line that did not end with "\n". */
  flush(): void {
    if (this.onLine !== undefined && (this.partialLine !== '' || this.cutChars > 0)) this.emit();
    this.partialLine = '';
    this.cutChars = 0;
  }

  /** The kept text; prefixed with a note when older output was dropped. */
  text(): string {
    const size = this.ring.byteLength;
    const kept = Math.min(this.totalBytes, size);
    const at = size === 0 ? 0 : this.totalBytes % size;
    let ordered = this.ring.subarray(0, kept);
    if (this.totalBytes > size) {
      ordered = new Uint8Array(size);
      ordered.set(this.ring.subarray(at));
      ordered.set(this.ring.subarray(0, at), size - at);
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(ordered);
    const dropped = this.totalBytes - kept;
    return dropped > 0 ? `[${dropped} earlier bytes dropped]\n${text}` : text;
  }
}
