import { afterAll, describe, expect, it } from 'vitest';
import { builtinCatalog } from '../pipeline/test-catalog';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { runScope } from './run-scope';
import { edge, pipeline, step, testHost } from './testkit';

const catalog = builtinCatalog();

/** source → filter → sort, and source → derive (bad params) → limit, and a lone filter. */
const doc = pipeline(
  [
    step('source', 'source', { uri: 'sample:flights-200k.arrow' }),
    step('filter', 'filter', { expression: 'distance > 500' }),
    step('sort', 'sort', { keys: [{ column: 'distance' }] }),
    step('derive', 'derive', { column: 7 }),
    step('limit', 'limit', { count: 3 }),
    step('lone', 'filter', { expression: 'x > 1' }),
  ],
  [
    edge('source', 'filter'),
    edge('filter', 'sort'),
    edge('source', 'derive'),
    edge('derive', 'limit'),
  ],
);

describe('runScope', () => {
  it('refuses a pipeline with errors unless told to skip what cannot run', () => {
    expect(() => runScope(doc, catalog)).toThrow(/the pipeline cannot run/);
  });

  it('skips invalid or unconnected steps and their downstream, with reasons; the rest runs', () => {
    const scope = runScope(doc, catalog, { skipInvalid: true });
    expect(scope.order).toEqual(['source', 'filter', 'sort']);
    expect([...scope.blocked.keys()].sort()).toEqual(['derive', 'limit', 'lone']);
    expect(scope.blocked.get('limit')).toBe('needs "derive", which cannot run');
    expect(scope.blocked.get('lone')).toMatch(/not connected/);
    expect(scope.runDoc.edges.map((e) => e.id)).toEqual(['source-filter', 'filter-sort']);
  });

  it('runs a target and what it needs only', () => {
    const scope = runScope(doc, catalog, { skipInvalid: true, targets: ['filter'] });
    expect(scope.order).toEqual(['source', 'filter']);
    expect(scope.blocked.size).toBe(0);
    // The problems of steps it does not start do not stop it.
    expect(runScope(doc, catalog, { targets: ['sort'] }).order).toEqual([
      'source',
      'filter',
      'sort',
    ]);
    expect(() => runScope(doc, catalog, { targets: ['nope'] })).toThrow(/no step "nope"/);
  });
});

describe('runPipeline with skipInvalid', () => {
  let host: NodeHost | undefined;
  afterAll(() => host?.pool.terminate());

  it('runs the valid branch to its end while the steps that cannot run are skipped', async () => {
    host = await testHost();
    const result = await runPipeline(doc, { ...host, skipInvalid: true, collect: ['sort.out'] });
    expect(result.ok).toBe(false);
    expect(result.steps.sort?.status).toBe('finished');
    expect(result.steps.sort?.rowsByPort.out).toBeGreaterThan(0);
    expect(result.steps.lone?.status).toBe('skipped');
    expect(result.steps.lone?.message).toMatch(/^cannot run: .*not connected/);
    expect(result.steps.limit?.message).toBe('cannot run: needs "derive", which cannot run');
  });
});
