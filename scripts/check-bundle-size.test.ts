import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, 'check-bundle-size.mjs');
// The budgets, restated independently of the script: 1.4 MB entry, 512 KiB per module.
const ENTRY_BUDGET = 1_400_000;
const WASM_BUDGET = 512 * 1024;
const made: string[] = [];

/** A fake build: index.html with one entry script of `entryBytes`, and the given modules. */
function fakeDist(entryBytes: number, wasm: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bundle-size-'));
  made.push(dir);
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'modules'));
  writeFileSync(
    join(dir, 'index.html'),
    '<html><head><script type="module" crossorigin src="/assets/index-abc.js"></script></head></html>',
  );
  writeFileSync(join(dir, 'assets/index-abc.js'), Buffer.alloc(entryBytes, 0x20));
  for (const [name, bytes] of Object.entries(wasm)) {
    writeFileSync(join(dir, 'modules', name), Buffer.alloc(bytes));
  }
  return dir;
}

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('check-bundle-size', () => {
  it('passes a build at exactly the budgets, read from QUIVER_OUT_DIR', () => {
    const dir = fakeDist(ENTRY_BUDGET, { 'a.wasm': WASM_BUDGET, 'b.wasm': 10 });
    const r = run([], { QUIVER_OUT_DIR: dir });
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toContain(`assets/index-abc.js: ${ENTRY_BUDGET} bytes`);
  });

  it('fails naming the entry chunk one byte over, with its size and the budget', () => {
    const r = run([fakeDist(ENTRY_BUDGET + 1, { 'a.wasm': 10 })]);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`assets/index-abc.js: ${ENTRY_BUDGET + 1} bytes`);
    expect(r.err).toContain(`budget ${ENTRY_BUDGET} bytes`);
  });

  it('fails naming a module over 512 KiB, and only that one', () => {
    const r = run([fakeDist(1000, { 'big.wasm': WASM_BUDGET + 1, 'ok.wasm': 10 })]);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`modules/big.wasm: ${WASM_BUDGET + 1} bytes`);
    expect(r.err).not.toContain('ok.wasm');
  });

  it('fails when there is no build or no modules in it', () => {
    expect(run([join(tmpdir(), 'quiver-no-such-build')]).err).toMatch(/index\.html: missing/);
    expect(run([fakeDist(1000, {})]).err).toMatch(/no built-in modules/);
  });
});
