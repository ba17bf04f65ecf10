/**
 * `quiver module test` on modules that keep the contract (built-ins) and on fixtures that break
 * it (test-fixtures/contract/): it must pass the first and fail the others, naming the input.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildWasm } from '../../../modules/sdk/c-build';
import { fixtureWasm } from '../../../test-fixtures/runtime/build';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-contract-'));

/** Each test runs a module on every contract input twice: minutes on a busy 2-core machine. */
const SLOW_MS = 300_000;

async function moduleTest(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const status = await main(['module', 'test', ...args], io);
  return { status, out: out.join('\n'), err: err.join('\n') };
}

/** The verdict line of `input` in the report, e.g. `ok  zero-length  5  5  ...`. */
const verdict = (report: string, input: string) =>
  report
    .split('\n')
    .find((line) => line.split(/\s+/)[1] === input)
    ?.split(/\s+/)[0];

describe('quiver module test', () => {
  it(
    'passes a built-in module on every input, with its defaults as params',
    async () => {
      const { status, out } = await moduleTest('public/modules/limit.wasm');
      expect(out).toContain('limit 1.0.0 (ABI 2)');
      expect(out).toContain('7 passed, 0 failed');
      expect(status).toBe(0);
    },
    SLOW_MS,
  );

  it(
    'checks the schema a built-in rule promises, with --params',
    async () => {
      const keys = { keys: [{ column: 'int32' }, { column: 'utf8', descending: true }] };
      const { status, out } = await moduleTest(
        'public/modules/sort.wasm',
        '--params',
        JSON.stringify(keys),
      );
      expect(out).toMatch(/^ok\s+large-batch\s+120000\s+120000/m);
      expect(status).toBe(0);
      const bad = await moduleTest(
        'public/modules/sort.wasm',
        '--params',
        '{"keys":[{"column":"x"}]}',
      );
      expect(bad.status).toBe(2);
      expect(bad.err).toContain('/keys/0/column: no column "x" in the input');
    },
    SLOW_MS,
  );

  it(
    'fails a module that fails on zero-row batches, on that input only',
    async () => {
      const wasm = join(dir, 'skips_empty.wasm');
      buildWasm(['test-fixtures/contract/skips_empty.c'], wasm, { abi: 2 });
      const manifest = 'test-fixtures/contract/skips_empty.json';
      const { status, out } = await moduleTest(wasm, '--manifest', manifest);
      expect(status).toBe(1);
      expect(verdict(out, 'zero-length')).toBe('FAIL');
      expect(verdict(out, 'every-type')).toBe('ok');
      expect(out).toContain('zero-length: step failed: skips_empty: a batch without rows');
      expect(out).toContain('module test FAILED');
    },
    SLOW_MS,
  );

  it(
    'fails a streamable module that keeps state across batches',
    async () => {
      const wasm = join(dir, 'counts_rows.wasm');
      buildWasm(['test-fixtures/contract/counts_rows.c'], wasm, { abi: 2 });
      const manifest = 'test-fixtures/contract/counts_rows.json';
      const { status, out } = await moduleTest(wasm, '--manifest', manifest);
      expect(status).toBe(1);
      expect(verdict(out, 'every-type')).toBe('ok');
      expect(verdict(out, 'several-batches')).toBe('FAIL');
      expect(out).toContain(
        'several-batches: output "out" differs between a run on two workers and one on one',
      );
    },
    SLOW_MS,
  );

  it(
    'fails a module that exceeds its time limit',
    async () => {
      const wasm = join(dir, 'loop.wasm');
      writeFileSync(wasm, fixtureWasm('loop'));
      const manifest = 'test-fixtures/contract/loop.json';
      const { status, out } = await moduleTest(wasm, '--manifest', manifest, '--only', 'no-batch');
      expect(status).toBe(1);
      expect(out).toMatch(/no-batch: step failed: .*1000 ms/);
    },
    SLOW_MS,
  );

  it('refuses a missing manifest and a bad command line with status 2', async () => {
    expect((await moduleTest('nowhere/x.wasm')).err).toContain(
      'cannot read manifest nowhere/x.json',
    );
    expect((await moduleTest()).status).toBe(2);
  });
});
