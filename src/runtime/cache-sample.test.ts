import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../pipeline/types';
import { headBytes, wholeMessages } from './cache-head';
import { type CacheFiles, TieredStepCache } from './cache-tiers';
import { splitIpc } from './ipc';
import { REPO_ROOT, type NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const MIB = 1024 * 1024;
const BATCH_ROWS = 10_000;
let host: NodeHost;
/** flights-200k as an Arrow IPC stream of 20 record batches of 10,000 rows. */
let stream: Uint8Array;
let flights: Table;

beforeAll(async () => {
  host = await testHost();
  const file = join(REPO_ROOT, 'node_modules/vega-datasets/data/flights-200k.arrow');
  flights = tableFromIPC(readFileSync(file));
  const batches = [];
  for (let at = 0; at < flights.numRows; at += BATCH_ROWS)
    batches.push(...flights.slice(at, at + BATCH_ROWS).batches);
  stream = tableToIPC(new Table(batches), 'stream');
});
afterAll(() => host.pool.terminate());

/** The host, with `test:flights` resolving to {@link stream}. */
function options(cache: TieredStepCache) {
  return {
    ...host,
    cache,
    resolveSource: async (uri: string) =>
      uri === 'test:flights'
        ? { name: 'flights.arrows', bytes: stream.slice() }
        : host.resolveSource(uri),
  };
}

/** test:flights → filter distance > `miles`. */
function filtered(miles: number): PipelineDocument {
  return pipeline(
    [
      step('source', 'source', { uri: 'test:flights', format: 'arrow' }),
      step('filter', 'filter', { expression: `distance > ${miles}` }),
    ],
    [edge('source', 'filter')],
  );
}

/** Rows among the first `rows` of flights-200k with a distance over `miles`. */
function expected(rows: number, miles: number): number {
  const distance = flights.getChild('distance')!.toArray() as ArrayLike<number>;
  let n = 0;
  for (let i = 0; i < rows; i++) if (Number(distance[i]) > miles) n++;
  return n;
}

/** Files in a Map, counting whole and head reads. */
function countingFiles(): CacheFiles & { reads: string[] } {
  const files = new Map<string, Uint8Array>();
  const reads: string[] = [];
  return {
    reads,
    list: async () => [...files.keys()],
    read: async (name) => {
      reads.push(`whole ${name}`);
      return files.get(name) ?? null;
    },
    readHead: async (name, bytes) => {
      reads.push(`head ${name}`);
      return files.get(name)?.subarray(0, bytes) ?? null;
    },
    write: async (name, parts) => {
      const all = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
      let at = 0;
      for (const p of parts) {
        all.set(p, at);
        at += p.byteLength;
      }
      files.set(name, all);
    },
    remove: async (name) => void files.delete(name),
  };
}

describe('a run on a sample of its cached inputs (sampleRows)', () => {
  it('replays whole batches within the sample, stores nothing, and a full run computes all', async () => {
    const cache = new TieredStepCache(
      { memoryBytes: 256 * MIB, persistentBytes: 256 * MIB, maxEntryBytes: 64 * MIB },
      null,
    );
    const first = await runPipeline(filtered(500), options(cache));
    expect(first.ok).toBe(true);
    await first.stored;

    const sampled = await runPipeline(filtered(1000), { ...options(cache), sampleRows: 25_000 });
    expect(sampled.steps.source?.status).toBe('cached');
    expect(sampled.steps.filter?.status).toBe('finished');
    expect(sampled.sampledRows).toBe(20_000);
    expect(sampled.steps.filter?.rowsByPort.out).toBe(expected(20_000, 1000));
    await sampled.stored;
    expect(await cache.lookup(sampled.steps.filter!.fingerprint!)).toBeNull();

    const full = await runPipeline(filtered(1000), options(cache));
    expect(full.sampledRows).toBeUndefined();
    expect(full.steps.filter?.status).toBe('finished');
    expect(full.steps.filter?.rowsByPort.out).toBe(expected(200_000, 1000));
  });

  it('reads only the head of a cached output kept in files, and keeps it out of memory', async () => {
    const files = countingFiles();
    // No memory tier: the source's data comes back from the files.
    const budget = { memoryBytes: 0, persistentBytes: 256 * MIB, maxEntryBytes: 64 * MIB };
    const cache = new TieredStepCache(budget, files);
    await (
      await runPipeline(filtered(500), options(cache))
    ).stored;
    const source = (await runPipeline(filtered(500), options(cache))).steps.source!.fingerprint!;
    files.reads.length = 0;

    const sampled = await runPipeline(filtered(1500), { ...options(cache), sampleRows: 15_000 });
    expect(sampled.sampledRows).toBe(10_000);
    expect(sampled.steps.filter?.rowsByPort.out).toBe(expected(10_000, 1500));
    // The source's `out` is read to its head (its empty `bytes` port whole).
    expect(files.reads).toContain(`head ${source}.out.arrows`);
    expect(files.reads).not.toContain(`whole ${source}.out.arrows`);

    const whole = await cache.data(source);
    expect(whole?.out?.[0]?.byteLength).toBe(stream.byteLength);
  });
});

describe('cache heads', () => {
  it('reads a share of the bytes with room to spare, or the whole stream', () => {
    expect(headBytes(100 * MIB, 1_000_000, 100_000)).toBe(Math.ceil(12.5 * MIB) + MIB);
    expect(headBytes(100 * MIB, 100_000, 100_000)).toBeNull();
    expect(headBytes(2 * MIB, 1_000_000, 900_000)).toBeNull();
  });

  it('keeps the whole messages of a head, and needs a record batch among them', () => {
    const messages = splitIpc(stream);
    const third = messages.filter((m) => m.kind === 'batch')[2]!;
    const cutAt = third.bytes.byteOffset - stream.byteOffset + 100;
    const head = wholeMessages(stream.subarray(0, cutAt))!;
    expect(splitIpc(head).map((m) => m.kind)).toEqual(['schema', 'batch', 'batch']);
    const schemaOnly = messages[0]!.bytes.byteLength + 10;
    expect(wholeMessages(stream.subarray(0, schemaOnly))).toBeNull();
  });
});
