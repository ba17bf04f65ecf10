import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromArrays, tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from './node-host';
import { runPipeline } from './run';
import { edge, pipeline, step, testHost } from './testkit';

let host: NodeHost;
let file: string;
const BATCHES = 9;
const ROWS = 50_000;

beforeAll(async () => {
  host = await testHost();
  // Nine record batches of 50,000 int32 rows (about 1.8 MB in all).
  const table = Array.from({ length: BATCHES }, (_, b) =>
    tableFromArrays({ x: Int32Array.from({ length: ROWS }, (_, i) => b * ROWS + i) }),
  ).reduce((a: Table, t) => a.concat(t));
  file = join(mkdtempSync(join(tmpdir(), 'quiver-reactor-')), 'nine.arrows');
  writeFileSync(file, tableToIPC(table, 'stream'));
});
afterAll(() => host.pool.terminate());

/** source → <moduleId> with `params` and optional limits. */
function doc(moduleId: string, params: Record<string, unknown> = {}, limits?: object) {
  const limited = { timeoutMs: 60000, maxMemoryMiB: 256, ...limits };
  return pipeline(
    [
      step('source', 'source', { uri: file, format: 'arrow' }),
      step('r', moduleId, params, limited),
    ],
    [edge('source', 'r')],
  );
}

describe('ABI v2 steps in a pipeline (reactor fixture)', () => {
  it('one instance serves every batch of a many-batch step, and the output equals the input', async () => {
    for (const moduleId of ['reactor', 'reactor-stream']) {
      const result = await runPipeline(doc(moduleId), {
        ...host,
        parallelism: 1,
        collect: ['r.out'],
      });
      expect(result.ok).toBe(true);
      expect(result.steps.r?.invocations).toBe(1);
      const out = tableFromIPC(result.collected['r.out'] ?? new Uint8Array());
      expect(out.batches.length).toBe(BATCHES);
      expect(out.numRows).toBe(BATCHES * ROWS);
      expect(out.getChild('x')?.get(BATCHES * ROWS - 1)).toBe(BATCHES * ROWS - 1);
    }
  });

  it('a module that says done stops reading; its upstream stops sending', async () => {
    const result = await runPipeline(doc('reactor', { mode: 'done2' }), {
      ...host,
      collect: ['r.out'],
    });
    expect(result.ok).toBe(true);
    const out = tableFromIPC(result.collected['r.out'] ?? new Uint8Array());
    expect(out.numRows).toBe(2 * ROWS);
    // The source saw the stop and ended early: it sent fewer than all nine batches.
    expect(result.steps.source?.rowsByPort.out).toBeLessThan(BATCHES * ROWS);
  });

  it('fails a step that outputs more than its output cap, naming the cap', async () => {
    const result = await runPipeline(doc('reactor', {}, { maxOutputMiB: 1 }), host);
    expect(result.steps.r?.status).toBe('failed');
    expect(result.steps.r?.message).toBe('output limit of 1 MiB exceeded');
  });

  it('a module that breaks the ABI fails alone; a sibling branch finishes', async () => {
    for (const [mode, message] of [
      ['badptr', /^qv_output_ptr\/qv_output_size\(0\) gave \d+ bytes at 2147483632, outside/],
      ['garbage', /^output port 0: malformed Arrow IPC/],
      ['fail', /^reactor fixture refuses batch 1$/],
    ] as const) {
      const d = doc('reactor', { mode });
      d.steps.push(step('sibling', 'reactor'));
      d.edges.push(edge('source', 'sibling'));
      const result = await runPipeline(d, { ...host, collect: ['sibling.out'] });
      expect(result.steps.r?.status).toBe('failed');
      expect(result.steps.r?.message).toMatch(message);
      expect(result.steps.sibling?.status).toBe('finished');
      expect(tableFromIPC(result.collected['sibling.out'] ?? new Uint8Array()).numRows).toBe(
        BATCHES * ROWS,
      );
    }
  });

  it('deals a streamable step’s batches out to several workers and keeps their order', async () => {
    const result = await runPipeline(doc('reactor-stream'), {
      ...host,
      parallelism: 3,
      collect: ['r.out'],
    });
    expect(result.ok).toBe(true);
    // The step's own instance runs the first batch, then shares the other eight with two shards.
    expect(result.steps.r?.invocations).toBe(3);
    const out = tableFromIPC(result.collected['r.out'] ?? new Uint8Array());
    expect(out.batches.length).toBe(BATCHES);
    const x = out.getChild('x')?.toArray() ?? [];
    expect(x.every((value: number, i: number) => value === i)).toBe(true);
    expect(x.length).toBe(BATCHES * ROWS);
  });

  it('a parallel step with one batch runs it in its own instance and starts no shard', async () => {
    const one = join(mkdtempSync(join(tmpdir(), 'quiver-reactor-')), 'one.arrows');
    writeFileSync(one, tableToIPC(tableFromArrays({ x: Int32Array.from([1, 2, 3]) }), 'stream'));
    const d = doc('reactor-stream');
    d.steps[0]!.params = { uri: one, format: 'arrow' };
    const result = await runPipeline(d, { ...host, parallelism: 3, collect: ['r.out'] });
    expect(result.steps.r?.invocations).toBe(1);
    const out = tableFromIPC(result.collected['r.out'] ?? new Uint8Array());
    expect([...(out.getChild('x')?.toArray() ?? [])]).toEqual([1, 2, 3]);
  });

  it('a failing worker of a parallel step fails the step alone', async () => {
    // The step's own instance takes the schema and the first batch; the third push of an
    // instance (its own or the shard's) fails.
    const d = doc('reactor-stream', { mode: 'late' });
    d.steps.push(step('sibling', 'reactor'));
    d.edges.push(edge('source', 'sibling'));
    const result = await runPipeline(d, { ...host, parallelism: 2 });
    expect(result.steps.r?.status).toBe('failed');
    expect(result.steps.r?.message).toMatch(/^reactor fixture refuses batch 3/);
    expect(result.steps.sibling?.status).toBe('finished');
    // The pool is still usable: a clean parallel run follows.
    const again = await runPipeline(doc('reactor-stream'), { ...host, parallelism: 2 });
    expect(again.ok).toBe(true);
  });

  it('times out a call that never returns, within the step’s budget', async () => {
    const result = await runPipeline(doc('reactor', { mode: 'loop' }, { timeoutMs: 500 }), host);
    expect(result.steps.r?.status).toBe('failed');
    expect(result.steps.r?.message).toBe('timed out after 500 ms');
  });
});
