/**
 * Data the benches generate in their own temporary directory (deleted by the caller): a CSV of
 * any size, written as a stream so that even 1 GB never sits in memory, and a numeric Arrow
 * IPC file. Values come from a fixed-seed generator, so every run measures the same bytes.
 */
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { makeTable, Table, tableToIPC } from 'apache-arrow';

/** A temporary directory and its removal. */
export interface TempDir {
  path: string;
  remove(): void;
}

/** Makes `/tmp/quiver-bench-<tag>-XXXX`. */
export function tempDir(tag: string): TempDir {
  const path = mkdtempSync(join(tmpdir(), `quiver-bench-${tag}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** xorshift32: a tiny deterministic generator of numbers in [0, 1). */
function random(seed = 0x9e3779b9): () => number {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

/** Columns of the generated CSV, and the SQL types DuckDB reads them with. */
export const GENERATED_CSV_COLUMNS = {
  id: 'BIGINT',
  grp: 'VARCHAR',
  x: 'DOUBLE',
  y: 'BIGINT',
} as const;

/**
 * Writes a CSV of at least `minBytes` bytes with a header `id,grp,x,y`: `grp` one of 100
 * strings `g00`..`g99`, `x` a float in [0, 1000) with 3 decimals, `y` an integer in [0, 100).
 * Resolves with the rows written.
 */
export async function writeGeneratedCsv(path: string, minBytes: number): Promise<number> {
  const next = random();
  const out = createWriteStream(path);
  out.write('id,grp,x,y\n');
  let bytes = 0;
  let rows = 0;
  while (bytes < minBytes) {
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++, rows++) {
      const grp = `g${String(Math.floor(next() * 100)).padStart(2, '0')}`;
      lines.push(`${rows},${grp},${(next() * 1000).toFixed(3)},${Math.floor(next() * 100)}\n`);
    }
    const chunk = lines.join('');
    bytes += chunk.length;
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return rows;
}

/** Rows per record batch of {@link writeNumericArrow}: 2 MiB batches, as a file would have. */
const ARROW_BATCH_ROWS = 65_536;

/**
 * Writes an Arrow IPC stream of four float64 columns `a`..`d`, every value in [0, 1), in
 * batches of {@link ARROW_BATCH_ROWS} rows, of about `bytes` bytes (8 bytes a value, plus
 * headers). Returns the file's size in bytes.
 */
export function writeNumericArrow(path: string, bytes: number): number {
  const next = random(7);
  const batches = [];
  for (let left = Math.floor(bytes / 32); left > 0; left -= ARROW_BATCH_ROWS) {
    const rows = Math.min(left, ARROW_BATCH_ROWS);
    const column = (): Float64Array => Float64Array.from({ length: rows }, next);
    batches.push(...makeTable({ a: column(), b: column(), c: column(), d: column() }).batches);
  }
  const ipc = tableToIPC(new Table(batches), 'stream');
  writeFileSync(path, ipc);
  return ipc.byteLength;
}
