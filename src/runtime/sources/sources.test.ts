/**
 * Sources through the whole runtime (worker threads, real modules): a CSV file of several
 * chunks parses as one file, checked against DuckDB reading the same file; a 200 MB CSV streams
 * through csv → filter → aggregate with every step capped at 64 MiB.
 */
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeHost } from '../node-host';
import { toJsonValue } from '../preview';
import { runPipeline } from '../run';
import { edge, pipeline, step, testHost } from '../testkit';
import { CSV_CHUNK_BYTES } from './prepare';

let host: NodeHost;
let dir: string;
beforeAll(async () => {
  host = await testHost();
  dir = mkdtempSync(join(tmpdir(), 'quiver-sources-'));
});
afterAll(() => {
  host.pool.terminate();
  rmSync(dir, { recursive: true, force: true });
});

/** Writes a CSV of `rows` rows, one quoted field with a comma in each. */
function writeCsv(path: string, rows: number): void {
  const lines = ['key,v,note'];
  for (let i = 0; i < rows; i++) {
    lines.push(`k${(i * 7919) % 37},${(i * 104729) % 100003},"note ${i}, with a comma"`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

type Row = Record<string, unknown>;
const byKey = (a: Row, b: Row): number => String(a.key).localeCompare(String(b.key));

describe('CSV sources', () => {
  it('parse a file of several chunks as one file (equal to DuckDB)', async () => {
    const file = join(dir, 'chunks.csv');
    writeCsv(file, 250_000);
    expect(statSync(file).size).toBeGreaterThan(2 * CSV_CHUNK_BYTES);
    const doc = pipeline(
      [
        step('source', 'source', { uri: file }),
        step('csv', 'csv', {}, { timeoutMs: 60000, maxMemoryMiB: 1024 }),
        step('agg', 'aggregate', {
          groupBy: ['key'],
          aggregates: [
            { name: 'n', op: 'count' },
            { name: 'total', op: 'sum', column: 'v' },
          ],
        }),
      ],
      [edge('source', 'csv', 'bytes', 'csv'), edge('csv', 'agg')],
    );
    const result = await runPipeline(doc, { ...host, collect: ['agg.out'] });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    expect(result.steps.csv?.rowsByPort.out).toBe(250_000);
    const ours = tableFromIPC(result.collected['agg.out'] ?? new Uint8Array())
      .toArray()
      .map((r: Row) => ({ key: r.key, n: toJsonValue(r.n), total: toJsonValue(r.total) }));
    const duck = await (await DuckDBInstance.create(':memory:')).connect();
    const reader = await duck.runAndReadAll(
      `SELECT key, count(*) AS n, sum(v) AS total FROM read_csv('${file}') GROUP BY key`,
    );
    const theirs = reader
      .getRowObjectsJS()
      .map((r) => ({ key: r.key, n: toJsonValue(r.n), total: toJsonValue(r.total) }));
    expect(ours.sort(byKey)).toEqual(theirs.sort(byKey));
    expect(ours).toHaveLength(37);
  }, 60_000);

  it('stream a 200 MB CSV through csv → filter → aggregate with each step capped at 64 MiB', async () => {
    // Counted while writing, so the expected sums come from the data, not from Quiver.
    const file = join(dir, 'large.csv');
    const expected = new Map<string, { n: number; total: number }>();
    writeFileSync(file, 'key,v,label\n');
    const rowsPerChunk = 100_000;
    for (let chunk = 0; statSync(file).size < 200 * 1024 * 1024; chunk++) {
      const lines: string[] = [];
      for (let r = 0; r < rowsPerChunk; r++) {
        const i = chunk * rowsPerChunk + r;
        const key = `k${i % 23}`;
        const v = (i * 104729) % 100003;
        lines.push(`${key},${v},row number ${i} of a generated file`);
        if (v <= 50000) continue;
        const sums = expected.get(key) ?? { n: 0, total: 0 };
        sums.n++;
        sums.total += v;
        expected.set(key, sums);
      }
      appendFileSync(file, `${lines.join('\n')}\n`);
    }
    const capped = { timeoutMs: 120000, maxMemoryMiB: 64 };
    const doc = pipeline(
      [
        step('source', 'source', { uri: file }),
        step('csv', 'csv', {}, capped),
        step('filter', 'filter', { expression: 'v > 50000' }, capped),
        step(
          'agg',
          'aggregate',
          {
            groupBy: ['key'],
            aggregates: [
              { name: 'n', op: 'count' },
              { name: 'total', op: 'sum', column: 'v' },
            ],
          },
          capped,
        ),
      ],
      [edge('source', 'csv', 'bytes', 'csv'), edge('csv', 'filter'), edge('filter', 'agg')],
    );
    const result = await runPipeline(doc, { ...host, collect: ['agg.out'] });
    expect(result.ok, JSON.stringify(result.steps)).toBe(true);
    const ours = tableFromIPC(result.collected['agg.out'] ?? new Uint8Array())
      .toArray()
      .map((r: Row) => ({ key: r.key, n: toJsonValue(r.n), total: toJsonValue(r.total) }));
    const theirs = [...expected].map(([key, v]) => ({ key, n: v.n, total: v.total }));
    expect(ours.sort(byKey)).toEqual(theirs.sort(byKey));
    rmSync(file);
  }, 240_000);
});
