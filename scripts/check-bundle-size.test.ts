import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, 'check-bundle-size.mjs');
// The budgets, restated independently of the script: 300 kB of first-load scripts gzipped,
// 512 KiB per module.
const GZIP_BUDGET = 300_000;
const WASM_BUDGET = 512 * 1024;
const made: string[] = [];

/**
 * A fake build: index.html with one entry script and one modulepreloaded script, each of
 * random (so incompressible) bytes, `[entryBytes, preloadBytes]`, and the given modules.
 */
function fakeDist(scriptBytes: [number, number], wasm: Record<string, number>): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-bundle-size-'));
  made.push(dir);
  mkdirSync(join(dir, 'assets'));
  mkdirSync(join(dir, 'modules'));
  writeFileSync(
    join(dir, 'index.html'),
    '<html><head><script type="module" crossorigin src="/assets/index-abc.js"></script>' +
      '<link rel="modulepreload" crossorigin href="/assets/shared-def.js"></head></html>',
  );
  writeFileSync(join(dir, 'assets/index-abc.js'), randomBytes(scriptBytes[0]));
  writeFileSync(join(dir, 'assets/shared-def.js'), randomBytes(scriptBytes[1]));
  for (const [name, bytes] of Object.entries(wasm)) {
    writeFileSync(join(dir, 'modules', name), Buffer.alloc(bytes));
  }
  return dir;
}

/** The gzipped size of both first-load scripts of `dir`, as the check should count it. */
function gzippedTotal(dir: string): number {
  return ['index-abc.js', 'shared-def.js']
    .map((f) => gzipSync(readFileSync(join(dir, 'assets', f))).length)
    .reduce((a, b) => a + b, 0);
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
  it('passes first-load scripts under the gzip budget, read from QUIVER_OUT_DIR', () => {
    // Random bytes gzip to a little more than their size: 1 kB of slack per script.
    const dir = fakeDist([GZIP_BUDGET - 51_000, 49_000], { 'a.wasm': WASM_BUDGET, 'b.wasm': 10 });
    const r = run([], { QUIVER_OUT_DIR: dir });
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(r.out).toContain(`assets/index-abc.js: ${GZIP_BUDGET - 51_000} bytes`);
    expect(r.out).toContain(`first-load scripts gzipped: ${gzippedTotal(dir)} bytes`);
  });

  it('fails when entry and preloaded script together are over, with the total and budget', () => {
    // Each alone is under the budget; together they are over it.
    const dir = fakeDist([GZIP_BUDGET / 2, GZIP_BUDGET / 2], { 'a.wasm': 10 });
    const r = run([dir]);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`first-load scripts gzipped: ${gzippedTotal(dir)} bytes`);
    expect(r.err).toContain(`budget ${GZIP_BUDGET} bytes`);
    expect(r.err).not.toContain('wasm');
  });

  it('fails naming a module over 512 KiB, and only that one', () => {
    const r = run([fakeDist([1000, 1000], { 'big.wasm': WASM_BUDGET + 1, 'ok.wasm': 10 })]);
    expect(r.status).toBe(1);
    expect(r.err).toContain(`modules/big.wasm: ${WASM_BUDGET + 1} bytes`);
    expect(r.err).not.toContain('ok.wasm');
  });

  it('fails when there is no build or no modules in it', () => {
    expect(run([join(tmpdir(), 'quiver-no-such-build')]).err).toMatch(/index\.html: missing/);
    expect(run([fakeDist([1000, 1000], {})]).err).toMatch(/no built-in modules/);
  });
});
