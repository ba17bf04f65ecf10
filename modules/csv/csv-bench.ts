/**
 * Throughput of the csv module (wasm, in-thread, Node): parses a large CSV and prints MB/s
 * (1 MB = 10^6 bytes of CSV input) for one module run: the v2 build (default) with the input
 * pushed in 1 MiB chunks and the output drained after each push, or the v1 build (`--abi 1`,
 * the whole file from /in/csv.bytes); parsing and writing the Arrow IPC stream included,
 * decoding it afterwards not timed. Wall time and this process's CPU time are both shown: on
 * a shared, loaded machine the CPU figure is the steadier one. The v2 build runs under maxMemoryMiB 64, which a module holding the
 * whole input could not meet; the v1 build gets no cap (the SDK's v1 driver hands it the
 * whole file). Not part of `npm test`.
 *
 *   npx tsx modules/csv/csv-bench.ts [file.csv] [--copies N] [--abi 1|2]
 *
 * `--copies N` repeats the data rows N times (header once), e.g. 2 for a 212 MB input.
 *
 * Without a file, writes flights-3m.parquet from vega-datasets as CSV (3 million rows,
 * about 106 MB) into the OS temp directory with DuckDB, once.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { csvModule, repoRoot, runCsv } from './csv-harness';

async function flightsCsv(): Promise<string> {
  const target = join(tmpdir(), 'quiver-flights-3m.csv');
  if (!existsSync(target)) {
    const parquet = join(repoRoot, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `COPY (SELECT * FROM read_parquet('${parquet}')) TO '${target}' (HEADER, DELIMITER ',')`,
    );
    connection.closeSync();
  }
  return target;
}

/** The file's bytes with its data rows repeated `copies` times (header once). */
function repeated(file: string, copies: number): Uint8Array {
  const text = readFileSync(file);
  if (copies === 1) return new Uint8Array(text);
  const headerEnd = text.indexOf(10) + 1;
  const rows = text.subarray(headerEnd);
  const tail = rows.at(-1) === 10 ? rows : Buffer.concat([rows, Buffer.from('\n')]);
  return new Uint8Array(Buffer.concat([text.subarray(0, headerEnd), ...Array(copies).fill(tail)]));
}

const args = process.argv.slice(2);
const copiesAt = args.indexOf('--copies');
const copies = copiesAt >= 0 ? Number(args.splice(copiesAt, 2)[1]) : 1;
if (!Number.isInteger(copies) || copies < 1) throw new Error('--copies needs a positive integer');
const abiAt = args.indexOf('--abi');
const abi = abiAt >= 0 ? Number(args.splice(abiAt, 2)[1]) : 2;
if (abi !== 1 && abi !== 2) throw new Error('--abi must be 1 or 2');
const bytes = repeated(args[0] ?? (await flightsCsv()), copies);
csvModule(abi); // built before timing
for (let round = 1; round <= 3; round++) {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  const cap = abi === 2 ? { maxMemoryMiB: 64 } : {};
  const run = runCsv(bytes, {}, { abi, chunkBytes: 1 << 20, decode: false, ...cap });
  const cpu = process.cpuUsage(cpuStarted);
  const seconds = (performance.now() - started) / 1000;
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  if (run.exitCode !== 0 || !run.output) throw new Error(run.stderr);
  const table = tableFromIPC(run.output);
  const types = table.schema.fields.map((f) => `${f.name}: ${String(f.type)}`).join(', ');
  console.log(
    `v${abi} round ${round}: ${(bytes.byteLength / 1e6).toFixed(1)} MB, ${table.numRows} rows in ` +
      `${table.batches.length} batches, wall ${seconds.toFixed(2)} s = ${(bytes.byteLength / 1e6 / seconds).toFixed(1)} MB/s, ` +
      `CPU ${cpuSeconds.toFixed(2)} s = ${(bytes.byteLength / 1e6 / cpuSeconds).toFixed(1)} MB/s, ` +
      `memory ${(run.memoryBytes / 2 ** 20).toFixed(0)} MiB (${types})`,
  );
}
