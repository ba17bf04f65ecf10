/**
 * Rewrites the maximum of a module's own linear memory, so that the engine refuses
 * `memory.grow` past it (https://webassembly.github.io/spec/core/binary/modules.html#memory-section:
 * section id 5, a vector of limits `flags | min:u32 | max:u32?`, flags bit 0 = has max).
 * The memory cap itself is checked by the WASI host; this bound only keeps a module that
 * allocates without calling the host from growing without limit in between.
 */

const MEMORY_SECTION = 5;
const PAGE_BYTES = 65536;

/** The result of {@link withMemoryMaximum}. */
export type MemoryRewrite =
  { ok: true; bytes: Uint8Array<ArrayBuffer> } | { ok: false; message: string };

function readLeb(bytes: Uint8Array, pos: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  let next = pos;
  for (;;) {
    const byte = bytes[next];
    if (byte === undefined) throw new Error(`wasm: truncated LEB128 at byte ${pos}`);
    next++;
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return { value, next };
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest > 0) byte |= 0x80;
    out.push(byte);
  } while (rest > 0);
  return out;
}

/**
 * A copy of `wasm` whose defined memories have at most `maxPages` pages (an existing lower
 * maximum is kept). Fails when a memory's initial size is already above `maxPages`.
 */
export function withMemoryMaximum(wasm: Uint8Array, maxPages: number): MemoryRewrite {
  let pos = 8;
  while (pos < wasm.byteLength) {
    const id = wasm[pos] ?? 0;
    const size = readLeb(wasm, pos + 1);
    const start = size.next;
    const end = start + size.value;
    if (id !== MEMORY_SECTION) {
      pos = end;
      continue;
    }
    const count = readLeb(wasm, start);
    const body: number[] = writeLeb(count.value);
    let p = count.next;
    for (let i = 0; i < count.value; i++) {
      const flags = wasm[p] ?? 0;
      const min = readLeb(wasm, p + 1);
      p = min.next;
      let max = maxPages;
      if ((flags & 1) !== 0) {
        const declared = readLeb(wasm, p);
        p = declared.next;
        max = Math.min(declared.value, maxPages);
      }
      if (min.value > max) {
        const needMiB = (min.value * PAGE_BYTES) / (1024 * 1024);
        return { ok: false, message: `the module needs ${needMiB} MiB of memory at start` };
      }
      body.push(flags | 1, ...writeLeb(min.value), ...writeLeb(max));
    }
    const section = [MEMORY_SECTION, ...writeLeb(body.length), ...body];
    const out = new Uint8Array(pos + section.length + (wasm.byteLength - end));
    out.set(wasm.subarray(0, pos), 0);
    out.set(section, pos);
    out.set(wasm.subarray(end), pos + section.length);
    return { ok: true, bytes: out };
  }
  return { ok: true, bytes: new Uint8Array(wasm) };
}

/**
 * The memory maximum, in pages, compiled into a step with a cap of `maxMemoryMiB`: twice the
 * cap (at most 4 GiB), so that a module passing the cap is still running when the host checks
 * at its next WASI call, rather than failing first on an allocation.
 */
export function memoryMaximumPages(maxMemoryMiB: number): number {
  return Math.min(65536, maxMemoryMiB * 16 * 2);
}
