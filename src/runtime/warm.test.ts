import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompileCache, moduleKey } from '../modules/compile-cache';
import { nodeWorkerFactory } from './env-node';
import type { NodeHost } from './node-host';
import { WorkerPool } from './pool';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';
import { warmRun } from './warm';
import { memoryMaximumPages } from './wasm-binary';

let host: NodeHost;
let pool: WorkerPool;

beforeAll(async () => {
  host = await testHost();
  pool = new WorkerPool(nodeWorkerFactory());
});
afterAll(() => {
  pool.terminate();
  host.pool.terminate();
});

describe('warmRun', () => {
  it("compiles a pipeline's modules and starts its workers: the run that follows does neither", async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
        step('csv', 'csv'),
        step('filter', 'filter', { expression: 'temp_max > 15' }),
      ],
      [edge('source', 'csv', 'bytes', 'csv'), edge('csv', 'filter')],
    );
    const compileCache = new CompileCache();
    const opts = { ...host, pool, compileCache, parallelism: 1 };
    await warmRun(doc, opts);
    expect(pool.spawned).toBe(3);
    const pages = memoryMaximumPages(doc.steps[1]!.limits.maxMemoryMiB);
    const compiled = ['csv', 'filter'].map((id) =>
      compileCache.has(`${moduleKey(id, host.catalog.get(id)!.version)}#max${pages}`),
    );
    expect(compiled).toEqual([true, true]);
    const result = await runPipeline(doc, opts);
    expect(result.ok).toBe(true);
    expect(pool.spawned).toBe(3);
  });
});
