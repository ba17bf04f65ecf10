import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREVIEW_ROWS, type RunEvent } from './events';
import type { NodeHost } from './node-host';
import { PipelineRunError, runPipeline, STREAM_INVOCATION_ROWS } from './run';
import { edge, pipeline, step, testHost } from './testkit';

const WEATHER = 'sample:seattle-weather.csv';
const FLIGHT_LIMITS = { timeoutMs: 120000, maxMemoryMiB: 2048 };
let host: NodeHost;

beforeAll(async () => {
  host = await testHost();
});
afterAll(() => host.pool.terminate());

/** seattle-weather.csv as the csv module reads it, for branches to hang off. */
function weatherSteps() {
  return {
    steps: [step('source', 'source', { uri: WEATHER }), step('csv', 'csv')],
    edges: [edge('source', 'csv', 'bytes', 'csv')],
  };
}

/** Rows of seattle-weather.csv with temp_max > 15, counted in plain JS (the oracle). */
function warmDays(): number {
  const lines = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n');
  const header = lines[0]?.split(',') ?? [];
  const col = header.indexOf('temp_max');
  return lines.slice(1).filter((line) => Number(line.split(',')[col]) > 15).length;
}

describe('runPipeline', () => {
  it('runs a streamable ABI 2 step on its worker and `parallelism` - 1 shards, in order', async () => {
    const half = STREAM_INVOCATION_ROWS / 2;
    const batches = Array.from({ length: 7 }, (_, b) =>
      tableFromArrays({ x: Int32Array.from({ length: half }, (_, i) => b * half + i) }),
    );
    const table = batches.reduce((a: Table, t) => a.concat(t));
    const dir = mkdtempSync(join(tmpdir(), 'quiver-run-'));
    const file = join(dir, 'seven.arrows');
    writeFileSync(file, tableToIPC(table, 'stream'));
    const doc = pipeline(
      [
        step('source', 'source', { uri: file, format: 'arrow' }),
        step('filter', 'filter', { expression: 'x % 3 == 0' }),
      ],
      [edge('source', 'filter')],
    );
    const result = await runPipeline(doc, { ...host, parallelism: 2, collect: ['filter.out'] });
    expect(result.ok).toBe(true);
    // The step's own instance runs the first batch, then shares the rest with one shard.
    expect(result.steps.filter?.invocations).toBe(2);
    const expected = [...Array(7 * half).keys()].filter((x) => x % 3 === 0);
    const out = tableFromIPC(result.collected['filter.out'] ?? new Uint8Array());
    expect(out.batches.length).toBe(7);
    expect([...(out.getChild('x')?.toArray() ?? [])]).toEqual(expected);
  });

  it('decodes only the Parquet columns read downstream; results equal a full read', async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:flights-3m.parquet' }, FLIGHT_LIMITS),
        step('filter', 'filter', { expression: 'distance > 1500' }),
        step(
          'agg',
          'aggregate',
          {
            groupBy: ['origin'],
            aggregates: [
              { name: 'n', op: 'count' },
              { name: 'total', op: 'sum', column: 'delay' },
            ],
          },
          FLIGHT_LIMITS,
        ),
      ],
      [edge('source', 'filter'), edge('filter', 'agg')],
    );
    const runs = [];
    for (const projectColumns of [true, false]) {
      const result = await runPipeline(doc, { ...host, projectColumns, collect: ['agg.out'] });
      expect(result.ok).toBe(true);
      const names = (id: string): string[] | undefined =>
        result.steps[id]?.preview?.out?.schema.fields.map((f) => f.name);
      const table = tableFromIPC(result.collected['agg.out'] ?? new Uint8Array());
      runs.push({
        filterFields: names('filter'),
        source: result.steps.source?.preview?.out,
        rows: table.toArray().map((r) => String(r)),
      });
    }
    const all = ['date', 'delay', 'distance', 'origin', 'destination'];
    // What the filter received: only the columns read downstream were decoded.
    expect(runs[0]?.filterFields).toEqual(['delay', 'distance', 'origin']);
    expect(runs[1]?.filterFields).toEqual(all);
    // The source's own preview shows the whole file either way, with the same first rows.
    expect(runs[0]?.source?.schema.fields.map((f) => f.name)).toEqual(all);
    expect(runs[0]?.source?.rows.length).toBe(PREVIEW_ROWS);
    expect(runs[0]?.source).toEqual(runs[1]?.source);
    expect(runs[0]?.rows.length).toBeGreaterThan(10);
    expect(runs[0]?.rows).toEqual(runs[1]?.rows);
  });

  it('decodes Parquet row groups on several workers and keeps them in file order', async () => {
    const doc = pipeline(
      [step('source', 'source', { uri: 'sample:flights-3m.parquet' }, FLIGHT_LIMITS)],
      [],
    );
    const read = async (parallelism: number) => {
      const result = await runPipeline(doc, { ...host, parallelism, collect: ['source.out'] });
      expect(result.ok).toBe(true);
      const table = tableFromIPC(result.collected['source.out'] ?? new Uint8Array());
      return { result, table };
    };
    const one = await read(1);
    const three = await read(3);
    expect(one.result.steps.source?.invocations).toBe(1);
    expect(three.result.steps.source?.invocations).toBe(3);
    expect(three.table.numRows).toBe(3_000_000);
    for (const column of ['date', 'delay', 'origin']) {
      const a = one.table.getChild(column)?.toArray() as ArrayLike<unknown>;
      const b = three.table.getChild(column)?.toArray() as ArrayLike<unknown>;
      expect(b.length).toBe(a.length);
      let same = true;
      for (let i = 0; i < a.length && same; i++) same = a[i] === b[i];
      expect(same, column).toBe(true);
    }
  }, 120_000);

  it('a satisfied limit stops its upstream: the Parquet source does not send every row group', async () => {
    const doc = pipeline(
      [
        step('source', 'source', { uri: 'sample:flights-3m.parquet' }, FLIGHT_LIMITS),
        step('limit', 'limit', { count: 10 }),
      ],
      [edge('source', 'limit')],
    );
    const result = await runPipeline(doc, { ...host, collect: ['limit.out'] });
    expect(result.ok).toBe(true);
    expect(tableFromIPC(result.collected['limit.out'] ?? new Uint8Array()).numRows).toBe(10);
    // 3,000,000 rows in 11 row groups; the stop reaches the source a few batches in.
    expect(result.steps.source?.rowsByPort.out).toBeLessThan(1_000_000);
  });

  it('times out a step that loops forever; its downstream is skipped, its sibling finishes', async () => {
    const { steps, edges } = weatherSteps();
    const doc = pipeline(
      [
        ...steps,
        step('loop', 'loop', {}, { timeoutMs: 500, maxMemoryMiB: 64 }),
        step('after-loop', 'limit', { count: 5 }),
        step('warm', 'filter', { expression: 'temp_max > 15' }),
      ],
      [...edges, edge('csv', 'loop'), edge('loop', 'after-loop'), edge('csv', 'warm')],
    );
    const events: RunEvent[] = [];
    const t0 = performance.now();
    const result = await runPipeline(doc, { ...host, onEvent: (e) => events.push(e) });
    expect(performance.now() - t0).toBeLessThan(20_000);
    expect(result.ok).toBe(false);
    expect(result.steps.loop).toMatchObject({
      status: 'failed',
      message: 'timed out after 500 ms',
    });
    expect(result.steps['after-loop']?.status).toBe('skipped');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'step-skipped', stepId: 'after-loop', causeStepId: 'loop' }),
    );
    expect(result.steps.warm).toMatchObject({
      status: 'finished',
      rowsByPort: { out: warmDays() },
    });
    expect(result.steps.csv?.status).toBe('finished');
  });

  it('fails a step that exhausts its memory cap with the memory message', async () => {
    const { steps, edges } = weatherSteps();
    const doc = pipeline(
      [...steps, step('grow', 'grow', {}, { timeoutMs: 30000, maxMemoryMiB: 32 })],
      [...edges, edge('csv', 'grow')],
    );
    const result = await runPipeline(doc, host);
    expect(result.steps.grow).toMatchObject({
      status: 'failed',
      message: 'memory limit of 32 MiB exceeded',
    });
  });

  it('refuses a module with a forbidden import before it runs, naming the import', async () => {
    const { steps, edges } = weatherSteps();
    const doc = pipeline([...steps, step('bad', 'forbidden')], [...edges, edge('csv', 'bad')]);
    const events: RunEvent[] = [];
    const result = await runPipeline(doc, { ...host, onEvent: (e) => events.push(e) });
    expect(result.steps.bad?.status).toBe('failed');
    expect(result.steps.bad?.message).toContain('"env"."open_socket"');
    expect(result.steps.bad?.message).toMatch(/^refused before running/);
    // Never started: no worker was given the step.
    expect(events.filter((e) => e.type === 'step-started' && e.stepId === 'bad')).toEqual([]);
    expect(result.steps.csv?.status).toBe('finished');
  });

  it('leaves a sibling branch intact when a branch traps', async () => {
    const { steps, edges } = weatherSteps();
    const doc = pipeline(
      [
        ...steps,
        step('trap', 'trap'),
        step('after-trap', 'sort', { keys: [{ column: 'date' }] }),
        step('warm', 'filter', { expression: 'temp_max > 15' }),
      ],
      [...edges, edge('csv', 'trap'), edge('trap', 'after-trap'), edge('csv', 'warm')],
    );
    // trap.out never ends: the run still resolves, without it.
    const result = await runPipeline(doc, { ...host, collect: ['warm.out', 'trap.out'] });
    expect(Object.keys(result.collected)).toEqual(['warm.out']);
    expect(result.steps.trap?.status).toBe('failed');
    expect(result.steps.trap?.message).toContain('trap: unreachable');
    expect(result.steps['after-trap']?.status).toBe('skipped');
    const warm = tableFromIPC(result.collected['warm.out'] ?? new Uint8Array());
    expect(warm.numRows).toBe(warmDays());
    expect([...(warm.getChild('temp_max')?.toArray() ?? [])].every((t) => (t as number) > 15)).toBe(
      true,
    );
  });

  it('refuses to start when a collected port names no step, before any event', async () => {
    const { steps, edges } = weatherSteps();
    const events: RunEvent[] = [];
    const running = runPipeline(pipeline(steps, edges), {
      ...host,
      collect: ['nope.out'],
      onEvent: (e) => events.push(e),
    });
    await expect(running).rejects.toThrow(new PipelineRunError('collect: no step "nope"'));
    expect(events).toEqual([]);
  });

  it('cancels a run: the running step stops and the rest is skipped', async () => {
    const { steps, edges } = weatherSteps();
    const doc = pipeline(
      [
        ...steps,
        step('loop', 'loop', {}, { timeoutMs: 60000, maxMemoryMiB: 64 }),
        step('after-loop', 'limit', { count: 5 }),
      ],
      [...edges, edge('csv', 'loop'), edge('loop', 'after-loop')],
    );
    const controller = new AbortController();
    const running = runPipeline(doc, {
      ...host,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'step-finished' && e.stepId === 'csv')
          setTimeout(() => controller.abort(), 200);
      },
    });
    const result = await running;
    expect(result.cancelled).toBe(true);
    expect(result.steps.loop?.status).toBe('skipped');
    expect(result.steps['after-loop']?.status).toBe('skipped');
  });

  it('reads sources: CSV as its raw bytes, an Arrow IPC file re-emitted as a stream', async () => {
    const doc = pipeline(
      [
        step('csv-file', 'source', { uri: WEATHER }),
        step('arrow-file', 'source', { uri: 'sample:flights-200k.arrow' }),
      ],
      [],
    );
    const result = await runPipeline(doc, {
      ...host,
      collect: ['csv-file.bytes', 'arrow-file.out'],
    });
    expect(result.ok).toBe(true);
    const csvBytes = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv');
    expect(
      Buffer.from(result.collected['csv-file.bytes'] ?? new Uint8Array()).equals(csvBytes),
    ).toBe(true);
    const original = tableFromIPC(
      readFileSync('node_modules/vega-datasets/data/flights-200k.arrow'),
    );
    const streamed = tableFromIPC(result.collected['arrow-file.out'] ?? new Uint8Array());
    expect(streamed.numRows).toBe(original.numRows);
    expect(streamed.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(
      original.schema.fields.map((f) => `${f.name}:${f.type}`),
    );
    expect([...(streamed.getChild('delay')?.toArray() ?? [])]).toEqual([
      ...(original.getChild('delay')?.toArray() ?? []),
    ]);
  });

  it('does not block a producer on an edge into a step refused before the producer started', async () => {
    const table = [0, 1, 2, 3, 4, 5]
      .map((b) => tableFromArrays({ x: Int32Array.from({ length: 10 }, (_, i) => b * 10 + i) }))
      .reduce((a: Table, t) => a.concat(t));
    const file = join(mkdtempSync(join(tmpdir(), 'quiver-run-')), 'six.arrows');
    writeFileSync(file, tableToIPC(table, 'stream'));
    const doc = pipeline(
      [
        step('source', 'source', { uri: file, format: 'arrow' }),
        step('bad', 'forbidden'),
        step('keep', 'limit', { count: 100 }),
      ],
      [edge('source', 'bad'), edge('source', 'keep')],
    );
    const result = await runPipeline(doc, { ...host, collect: ['keep.out'] });
    expect(result.steps.bad?.status).toBe('failed');
    expect(result.steps.source?.status).toBe('finished');
    expect(tableFromIPC(result.collected['keep.out'] ?? new Uint8Array()).numRows).toBe(60);
  }, 20_000);
});
