import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TieredStepCache } from './cache-tiers';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

let host: NodeHost;
beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** seattle-weather.csv → csv → filter → sort, the filter bypassed or not. */
function weather(bypass: boolean) {
  const filter = { ...step('filter', 'filter', { expression: 'temp_max > 15' }), bypass };
  return pipeline(
    [
      step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
      step('csv', 'csv'),
      filter,
      step('sort', 'sort', { keys: [{ column: 'date' }] }),
    ],
    [edge('source', 'csv', 'bytes', 'csv'), edge('csv', 'filter'), edge('filter', 'sort')],
  );
}

describe('bypass', () => {
  it('passes a one-input, one-output step through: its consumer reads its producer', async () => {
    const cache = new TieredStepCache(
      { memoryBytes: 1e8, persistentBytes: 1e8, maxEntryBytes: 1e8 },
      null,
    );
    const on = await runPipeline(weather(false), { ...host, cache });
    expect(on.steps.sort?.rowsByPort.out).toBeLessThan(1461);
    const off = await runPipeline(weather(true), { ...host, cache });
    expect(off.ok).toBe(false);
    expect(off.steps.filter?.status).toBe('skipped');
    expect(off.steps.filter?.message).toBe('bypassed (passes its input through)');
    expect(off.steps.sort?.status).toBe('finished');
    expect(off.steps.sort?.rowsByPort.out).toBe(1461);
    expect(off.steps.csv?.status).toBe('cached');
    // Switched on again: the sort's earlier output is still cached.
    const again = await runPipeline(weather(false), { ...host, cache });
    expect(again.steps.sort?.status).toBe('cached');
    expect(again.steps.sort?.rowsByPort).toEqual(on.steps.sort?.rowsByPort);
  });

  it('runs to a passed-through step: its producer and what that needs run, nothing after', async () => {
    const result = await runPipeline(weather(true), { ...host, targets: ['filter'] });
    expect(result.steps.csv?.status).toBe('finished');
    expect(result.steps.csv?.rowsByPort.out).toBe(1461);
    expect(result.steps.filter?.message).toBe('bypassed (passes its input through)');
    expect(result.steps.sort).toBeUndefined();
  });

  it('skips any other bypassed step with its downstream; invalid params do not matter', async () => {
    const doc = weather(false);
    doc.steps[1] = { ...doc.steps[1]!, bypass: true, params: { delimiter: 7 } };
    const result = await runPipeline(doc, host);
    expect(result.steps.source?.status).toBe('finished');
    expect(result.steps.csv?.message).toBe('bypassed (switched off)');
    expect(result.steps.filter?.message).toBe('cannot run: needs "csv", which cannot run');
    expect(result.steps.sort?.status).toBe('skipped');
  });
});
