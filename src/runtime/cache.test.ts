import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../pipeline/types';
import { TieredStepCache } from './cache-tiers';
import type { StepCache } from './cache';
import type { RunEvent } from './events';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const MIB = 1024 * 1024;
let host: NodeHost;

beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** A memory-only cache with room for everything. */
function memoryCache(): TieredStepCache {
  return new TieredStepCache(
    { memoryBytes: 256 * MIB, persistentBytes: 256 * MIB, maxEntryBytes: 64 * MIB },
    null,
  );
}

/** flights-200k.arrow → filter distance > `miles` → count by delay → sort. */
function flights(miles: number, sortDescending = true): PipelineDocument {
  return pipeline(
    [
      step('source', 'source', { uri: 'sample:flights-200k.arrow' }),
      step('filter', 'filter', { expression: `distance > ${miles}` }),
      step('aggregate', 'aggregate', {
        groupBy: ['delay'],
        aggregates: [{ name: 'flights', op: 'count' }],
      }),
      step('sort', 'sort', {
        keys: [{ column: 'flights', descending: sortDescending }, { column: 'delay' }],
      }),
    ],
    [edge('source', 'filter'), edge('filter', 'aggregate'), edge('aggregate', 'sort')],
  );
}

/** Runs `doc` with `cache`, collecting sort's output; returns statuses, events and the rows. */
async function run(doc: PipelineDocument, cache: TieredStepCache | undefined) {
  const events: RunEvent[] = [];
  const result = await runPipeline(doc, {
    ...host,
    ...(cache ? { cache } : {}),
    collect: ['sort.out'],
    onEvent: (e) => events.push(e),
  });
  const statuses = Object.fromEntries(
    Object.entries(result.steps).map(([id, r]) => [id, r.status]),
  );
  const bytes = result.collected['sort.out'] ?? new Uint8Array();
  const rows = tableFromIPC(bytes)
    .toArray()
    .map((r) => ({ ...r }) as Record<string, unknown>);
  const started = events.filter((e) => e.type === 'step-started').map((e) => e.stepId);
  return { result, statuses, rows, started };
}

describe('step-output cache', () => {
  it('re-executes only the changed step and its downstream, with the same result', async () => {
    const cache = memoryCache();
    const first = await run(flights(500), cache);
    expect(first.result.ok).toBe(true);
    expect(first.started.sort()).toEqual(['aggregate', 'filter', 'sort', 'source']);

    const same = await run(flights(500), cache);
    expect(same.statuses).toEqual({
      source: 'cached',
      filter: 'cached',
      aggregate: 'cached',
      sort: 'cached',
    });
    expect(same.started).toEqual([]);
    expect(same.rows).toEqual(first.rows);
    expect(same.result.steps.aggregate?.rowsByPort).toEqual(
      first.result.steps.aggregate?.rowsByPort,
    );
    expect(same.result.steps.aggregate?.ms).toBe(first.result.steps.aggregate?.ms);

    const changed = await run(flights(1000), cache);
    expect(changed.statuses).toMatchObject({
      source: 'cached',
      filter: 'finished',
      sort: 'finished',
    });
    expect(changed.started.sort()).toEqual(['aggregate', 'filter', 'sort']);
    const fresh = await run(flights(1000), undefined);
    expect(changed.rows).toEqual(fresh.rows);
    expect(changed.rows).not.toEqual(first.rows);

    const resorted = await run(flights(1000, false), cache);
    expect(resorted.started).toEqual(['sort']);
    expect(resorted.rows).toEqual((await run(flights(1000, false), undefined)).rows);
  });

  it('ends a run before storing its outputs, and the next run waits for them and hits', async () => {
    const inner = memoryCache();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const order: string[] = [];
    // Stores are held until released, as a slow OPFS write would hold them.
    const cache: StepCache = {
      maxEntryBytes: inner.maxEntryBytes,
      lookup: (fingerprint) => inner.lookup(fingerprint),
      data: (fingerprint) => inner.data(fingerprint),
      store: async (meta, data) => {
        order.push(`store ${meta.stepId}`);
        await gate;
        await inner.store(meta, data);
      },
    };
    const onEvent = (e: RunEvent): void => void (e.type === 'run-finished' && order.push('end'));
    const first = await runPipeline(flights(500), { ...host, cache, onEvent });
    let stored = false;
    void first.stored.then(() => (stored = true));
    expect(first.ok).toBe(true);
    expect(order[0]).toBe('end');
    expect(await inner.lookup(first.steps.sort!.fingerprint!)).toBeNull();
    expect(stored).toBe(false);

    const second = runPipeline(flights(500), { ...host, cache });
    release();
    const again = await second;
    expect(stored).toBe(true);
    expect(order.filter((o) => o.startsWith('store')).sort()).toEqual([
      'store aggregate',
      'store filter',
      'store sort',
      'store source',
    ]);
    expect(Object.values(again.steps).map((s) => s.status)).toEqual([
      'cached',
      'cached',
      'cached',
      'cached',
    ]);
  });

  it('never keeps the output of a step its consumer stopped early (limit)', async () => {
    const cache = memoryCache();
    const doc = pipeline(
      [
        step(
          'source',
          'source',
          { uri: 'sample:flights-3m.parquet' },
          { timeoutMs: 120000, maxMemoryMiB: 2048 },
        ),
        step('limit', 'limit', { count: 5 }),
      ],
      [edge('source', 'limit')],
    );
    const first = await runPipeline(doc, { ...host, cache });
    expect(first.ok).toBe(true);
    await first.stored;
    // The source stopped once the limit had its rows: its output is not the file.
    expect(first.steps.source?.rowsByPort.out).toBeLessThan(3000000);
    expect(await cache.lookup(first.steps.source!.fingerprint!)).toBeNull();
    expect(await cache.lookup(first.steps.limit!.fingerprint!)).not.toBeNull();
  });

  it('never keeps a failed step, and runs it again', async () => {
    const cache = memoryCache();
    const doc = pipeline(
      [step('source', 'source', { uri: 'sample:flights-200k.arrow' }), step('trap', 'trap')],
      [edge('source', 'trap')],
    );
    const first = await runPipeline(doc, { ...host, cache });
    expect(first.steps.trap?.status).toBe('failed');
    const second = await runPipeline(doc, { ...host, cache });
    expect(second.steps.source?.status).toBe('cached');
    expect(second.steps.trap?.status).toBe('failed');
  });

  it('never serves a step granted a real clock from the cache', async () => {
    const cache = memoryCache();
    const doc = flights(500);
    doc.steps[1]!.permissions = { ...doc.steps[1]!.permissions, clock: 'real' };
    await run(doc, cache);
    const again = await run(doc, cache);
    expect(again.started.sort()).toEqual(['aggregate', 'filter', 'sort']);
  });

  it('keeps a CSV source as counts only and re-reads the file when its csv step changes', async () => {
    const cache = memoryCache();
    const csv = (delimiter: string) =>
      pipeline(
        [
          step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
          step('csv', 'csv', { delimiter }),
        ],
        [edge('source', 'csv', 'bytes', 'csv')],
      );
    await runPipeline(csv(','), { ...host, cache });
    const again = await runPipeline(csv(','), { ...host, cache });
    expect(again.steps.source?.status).toBe('cached');
    expect(again.steps.csv?.status).toBe('cached');
    const changed = await runPipeline(csv(';'), { ...host, cache });
    expect(changed.steps.source?.status).toBe('finished');
    expect(changed.steps.csv?.status).toBe('finished');
  });
});
