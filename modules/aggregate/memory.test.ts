/**
 * The aggregate module's memory stays bounded by its groups, not its input: a ~200 MB Arrow
 * IPC stream of many record batches (one 2.6 MB batch message repeated, so the test itself
 * holds only one copy), aggregated under a memory cap. Results are checked against DuckDB
 * over one copy of the batch, scaled by the number of copies.
 *
 * - ABI v2 (the committed build): the batches are pushed one by one, as the host does, into a
 *   module compiled with the host's memory maximum for a 64 MiB cap, and its memory is checked
 *   after every call. As a check that the cap bites, `sort` (which holds its input) fails on
 *   the same feed under the same cap.
 * - ABI v1 reads the whole input file into module memory (qv_reader_open_path), so a v1 run
 *   needs the input's size plus its working memory: here it is fed as a chunked /in file (the
 *   host copies nothing) under the input's size + 64 MiB, which the former whole-input version
 *   (concatenating every used column: another ~200 MB) could not meet.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWasiCommand } from '../../src/runtime/wasi-host';
import { memoryMaximumPages, withMemoryMaximum } from '../../src/runtime/wasm-binary';
import { Reactor, STATUS, builtModule, splitMessages } from '../sdk/reactor.testkit';
import { REPO_ROOT, expectTable, loadQuery, openOracle } from '../sort/testkit';
import type { Oracle } from '../sort/testkit';

const MIB = 1024 * 1024;
/** Size of the generated input, in bytes (about). */
const INPUT_BYTES = 200 * MIB;
/** The memory cap of a v2 run, and what a v1 run may use beyond holding its input file. */
const CAP_MIB = 64;
const BATCH_ROWS = 65536;

let oracle: Oracle;
let template: Table;

beforeAll(async () => {
  oracle = await openOracle();
  template = await loadQuery(
    oracle,
    'template',
    `SELECT CAST(i * 7919 % 1000 AS INTEGER) AS k,
            CAST(i AS BIGINT) * 1000003 - 40000000000 AS v,
            (i % 1013) / 7.0 AS f,
            'group-' || CAST(i * 31 % 997 AS VARCHAR) AS s,
            CASE WHEN i % 11 = 0 THEN NULL ELSE 'x' || CAST(i % 13 AS VARCHAR) END AS t
       FROM range(${BATCH_ROWS}) r(i)`,
    BATCH_ROWS,
  );
});

afterAll(() => oracle?.close());

/** An IPC stream of `copies` repetitions of `table`'s batches, as chunks (not joined): the
 * schema message, the batch messages `copies` times (the same bytes), the end marker. */
function repeatedStream(table: Table, copies: number): Uint8Array[] {
  const full = tableToIPC(table, 'stream');
  const schemaOnly = tableToIPC(new Table(table.schema, []), 'stream');
  const END_MARKER_BYTES = 8;
  const head = schemaOnly.subarray(0, schemaOnly.length - END_MARKER_BYTES);
  expect(Buffer.from(full.subarray(0, head.length)).equals(Buffer.from(head))).toBe(true);
  const batches = full.subarray(head.length, full.length - END_MARKER_BYTES);
  const end = full.subarray(full.length - END_MARKER_BYTES);
  return [head, ...Array<Uint8Array>(copies).fill(batches), end];
}

const PARAMS = {
  groupBy: ['s'],
  aggregates: [
    { name: 'n', op: 'count' },
    { name: 'sum_v', op: 'sum', column: 'v' },
    { name: 'mean_f', op: 'mean', column: 'f' },
    { name: 'min_k', op: 'min', column: 'k' },
    { name: 'max_t', op: 'max', column: 't' },
    { name: 'distinct_k', op: 'count_distinct', column: 'k' },
    { name: 'first_v', op: 'first', column: 'v' },
    { name: 'last_t', op: 'last', column: 't' },
  ],
};

/** DuckDB's answer for `copies` repetitions of the template. */
function expected(copies: number): Promise<Record<string, unknown[]>> {
  return oracle.columns(
    `SELECT s, count(*) * ${copies} AS n, sum(v) * ${copies} AS sum_v, avg(f) AS mean_f,
            min(k) AS min_k, max(t) AS max_t, count(DISTINCT k) AS distinct_k,
            first(v ORDER BY file_row_number) AS first_v,
            last(t ORDER BY file_row_number) AS last_t
       FROM template GROUP BY s ORDER BY min(file_row_number)`,
  );
}

/** Committed build of `id` (ABI v2) compiled with the host's memory maximum for `capMiB`. */
function cappedModule(id: string, capMiB: number): WebAssembly.Module {
  const wasm = readFileSync(join(REPO_ROOT, 'public/modules', `${id}.wasm`));
  const capped = withMemoryMaximum(wasm, memoryMaximumPages(capMiB));
  if (!capped.ok) throw new Error(capped.message);
  return new WebAssembly.Module(capped.bytes);
}

/** What pushing `chunks` (schema, batches, end marker) into v2 module `id` under `capMiB` gave:
 * the output stream, or why it failed; and the module's largest memory size, in bytes. */
function pushUnderCap(
  id: string,
  params: unknown,
  chunks: Uint8Array[],
  capMiB: number,
): { output?: Uint8Array; failure?: string; peakBytes: number } {
  const reactor = new Reactor(cappedModule(id, capMiB));
  let peakBytes = 0;
  // The host's check after every call: memory past the cap fails the step.
  const call = (what: string, fn: () => number): string | undefined => {
    let status: number;
    try {
      status = fn();
    } catch (error) {
      return `${what}: ${String(error)}`;
    }
    peakBytes = Math.max(peakBytes, reactor.memoryBytes);
    if (reactor.memoryBytes > capMiB * MIB)
      return `${what}: memory limit of ${capMiB} MiB exceeded`;
    return status === STATUS.failed ? `${what}: ${reactor.stderr}` : undefined;
  };
  const messages = chunks.slice(0, -1).flatMap((chunk) => splitMessages(chunk));
  let failure = call('qv_begin', () => reactor.begin(params));
  for (let i = 0; i < messages.length && failure === undefined; i++) {
    failure = call(`qv_push #${i}`, () => reactor.push(0, messages[i]!));
  }
  failure ??= call('qv_finish', () => reactor.finish());
  return failure === undefined ? { output: reactor.output(), peakBytes } : { failure, peakBytes };
}

describe('aggregate memory', () => {
  it('aggregates ~200 MB of batches pushed one by one under a 64 MiB cap (ABI v2)', async () => {
    const one = tableToIPC(template, 'stream').length;
    const copies = Math.ceil(INPUT_BYTES / one);
    const chunks = repeatedStream(template, copies);
    const inputBytes = chunks.reduce((n, c) => n + c.length, 0);
    const run = pushUnderCap('aggregate', PARAMS, chunks, CAP_MIB);
    expect(run.failure).toBeUndefined();
    console.info(
      `aggregate v2, ${copies} batches, ${(inputBytes / MIB).toFixed(0)} MiB in: module memory ` +
        `at most ${(run.peakBytes / MIB).toFixed(0)} MiB (cap ${CAP_MIB} MiB)`,
    );
    expectTable(tableFromIPC(run.output!), await expected(copies));
    // The cap bites: sort holds its input, so the same feed cannot fit.
    const sort = pushUnderCap('sort', { keys: [{ column: 'k' }] }, chunks, CAP_MIB);
    console.info(`sort v2 on the same feed: ${sort.failure}`);
    expect(sort.failure).toMatch(/memory/);
  });

  it('aggregates ~200 MB of batches in the input file size + 64 MiB (ABI v1)', async () => {
    const one = tableToIPC(template, 'stream').length;
    const copies = Math.ceil(INPUT_BYTES / one);
    const chunks = repeatedStream(template, copies);
    const inputBytes = chunks.reduce((n, c) => n + c.length, 0);
    const maxMemoryMiB = Math.ceil(inputBytes / MIB) + CAP_MIB;
    const run = runWasiCommand({
      module: builtModule('aggregate', 1),
      files: {
        '/in/in.arrow': chunks,
        '/params.json': new TextEncoder().encode(JSON.stringify(PARAMS)),
      },
      maxMemoryMiB,
    });
    expect(run.exitCode, `${run.failure?.message ?? ''} ${run.stderr}`).toBe(0);
    console.info(
      `aggregate v1, ${copies} batches, ${(inputBytes / MIB).toFixed(0)} MiB in: module memory ` +
        `${(run.memoryBytes / MIB).toFixed(0)} MiB (cap ${maxMemoryMiB} MiB)`,
    );
    expectTable(tableFromIPC(run.outputs['/out/out.arrow']!), await expected(copies));
  });
});
