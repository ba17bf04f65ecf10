import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../pipeline/types';
import { TieredStepCache } from './cache-tiers';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const MIB = 1024 * 1024;
let host: NodeHost;

beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** flights-200k.arrow → filter distance > 500 → count by delay, named `count`. */
function flights(count: string): PipelineDocument {
  return pipeline(
    [
      step('source', 'source', { uri: 'sample:flights-200k.arrow' }),
      step('filter', 'filter', { expression: 'distance > 500' }),
      step('aggregate', 'aggregate', {
        groupBy: ['delay'],
        aggregates: [{ name: count, op: 'count' }],
      }),
    ],
    [edge('source', 'filter'), edge('filter', 'aggregate')],
  );
}

/** Runs `doc` with `cache`, collecting the aggregate's rows (sorted). */
async function run(doc: PipelineDocument, cache?: TieredStepCache, targets?: string[]) {
  const result = await runPipeline(doc, {
    ...host,
    ...(cache ? { cache } : {}),
    ...(targets ? { targets } : {}),
    collect: targets ? [] : ['aggregate.out'],
  });
  await result.stored;
  const bytes = result.collected['aggregate.out'];
  const rows = bytes
    ? tableFromIPC(bytes)
        .toArray()
        .map((r) =>
          JSON.stringify({ ...r }, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v)),
        )
        .sort()
    : [];
  return { result, rows };
}

describe('what the cache keeps of a row-local step', () => {
  it('keeps a filter fed by a kept source as counts only, and re-runs it when it is needed', async () => {
    const cache = new TieredStepCache(
      { memoryBytes: 256 * MIB, persistentBytes: 256 * MIB, maxEntryBytes: 64 * MIB },
      null,
    );
    const first = await run(flights('flights'), cache);
    const filter = await cache.lookup(first.result.steps.filter!.fingerprint!);
    expect(filter?.dataBytes).toBeNull();
    expect(filter?.rowsByPort.out).toBe(first.result.steps.filter?.rowsByPort.out);
    expect(
      (await cache.lookup(first.result.steps.source!.fingerprint!))?.dataBytes,
    ).toBeGreaterThan(0);

    // Nothing changed: every step is cached, the filter's data is not needed.
    const same = await run(flights('flights'), cache);
    expect(Object.values(same.result.steps).map((s) => s.status)).toEqual([
      'cached',
      'cached',
      'cached',
    ]);
    expect(same.rows).toEqual(first.rows);

    // The aggregate changed (not the columns it reads): the filter runs again on the cached source.
    const regrouped = await run(flights('n'), cache);
    expect(regrouped.result.steps.source?.status).toBe('cached');
    expect(regrouped.result.steps.filter?.status).toBe('finished');
    expect(regrouped.rows).toEqual((await run(flights('n'))).rows);
  });

  it('keeps the data of a filter a run targets (a live preview builds on it)', async () => {
    const cache = new TieredStepCache(
      { memoryBytes: 256 * MIB, persistentBytes: 256 * MIB, maxEntryBytes: 64 * MIB },
      null,
    );
    await run(flights('flights'), cache, ['source']);
    const { result } = await run(flights('flights'), cache, ['filter']);
    expect(result.steps.filter?.status).toBe('finished');
    expect((await cache.lookup(result.steps.filter!.fingerprint!))?.dataBytes).toBeGreaterThan(0);
  });
});
