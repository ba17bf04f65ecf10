/**
 * Sources through the whole runtime (worker threads, real modules): a CSV file of several
 * chunks parses as one file, checked against DuckDB reading the same file.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
});
