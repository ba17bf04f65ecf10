/**
 * Capture of a module's stdout or stderr: keeps the last `limitBytes` bytes as text (the tail
 * is what explains a failure) and reports each complete line as it is written.
 */
export class StdioCapture {
  private chunks: Uint8Array[] = [];
  private keptBytes = 0;
  private droppedBytes = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  private partialLine = '';

  /**
   * @param limitBytes most bytes kept; older bytes are dropped first.
   * @param onLine called with each complete line (without its "\n").
   */
  constructor(
    private readonly limitBytes: number,
    private readonly onLine?: (line: string) => void,
  ) {}

  /** Records bytes the module wrote (the shim passes a fresh copy, so it is kept as is). */
  write(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.keptBytes += bytes.byteLength;
    while (this.keptBytes > this.limitBytes && this.chunks.length > 1) {
      const dropped = this.chunks.shift();
      const size = dropped?.byteLength ?? 0;
      this.keptBytes -= size;
      this.droppedBytes += size;
    }
    if (this.onLine === undefined) return;
    const lines = (this.partialLine + this.decoder.decode(bytes, { stream: true })).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.onLine(line);
  }

  /** Reports a last line that did not end with "\n". */
  flush(): void {
    if (this.onLine !== undefined && this.partialLine !== '') this.onLine(this.partialLine);
    this.partialLine = '';
  }

  /** The kept text; prefixed with a note when older output was dropped. */
  text(): string {
    const all = new Uint8Array(this.keptBytes);
    let offset = 0;
    for (const chunk of this.chunks) {
      all.set(chunk, offset);
      offset += chunk.byteLength;
    }
    const text = new TextDecoder('utf-8', { fatal: false }).decode(all);
    return this.droppedBytes > 0 ? `[${this.droppedBytes} earlier bytes dropped]\n${text}` : text;
  }
}
