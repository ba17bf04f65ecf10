import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '..');
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const script = join(repoRoot, 'scripts/build-modules.mjs');

/** Runs the build script; returns its exit status and output. */
function run(args: string[]): { status: number | null; output: string } {
  const r = spawnSync(tsx, [script, ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const manifest = (id: string) =>
  JSON.stringify({
    abi: 1,
    id,
    name: id,
    version: '1.0.0',
    description: 'build-script fixture',
    category: 'test',
    inputs: [],
    outputs: [],
    params: { type: 'object' },
    permissions: {},
    streamable: false,
    limits: { timeoutMs: 1000, maxMemoryMiB: 16 },
  });

/** A fixture tree <root>/modules/{sdk,<id>} with one module. Its SDK is the real header
 * and error.c only: these tests are about the build script, and the whole SDK would make
 * each build take seconds (the real tree's build is checked by the first test). */
function fixtureTree(id: string, source: string): string {
  const root = mkdtempSync(join(tmpdir(), 'quiver-build-test-'));
  mkdirSync(join(root, 'modules', id), { recursive: true });
  mkdirSync(join(root, 'modules/sdk'));
  for (const f of ['quiver.h', 'error.c']) {
    cpSync(join(repoRoot, 'modules/sdk', f), join(root, 'modules/sdk', f));
  }
  writeFileSync(join(root, 'modules', id, `${id}.c`), source);
  writeFileSync(join(root, 'modules', id, `${id}.json`), manifest(id));
  return root;
}

const roots: string[] = [];
afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));

describe('build-modules', () => {
  it('committed public/modules match their sources (npm run check:modules)', () => {
    const r = run(['--check']);
    expect(r.output).toContain('public/modules matches its sources');
    expect(r.status).toBe(0);
  });

  it('is deterministic across build locations and reports a changed binary by name', () => {
    const src = '#include "quiver.h"\nint main(void) { qv_fail("stop %d", 1); }\n';
    const a = fixtureTree('hello', src);
    const b = fixtureTree('hello', src);
    roots.push(a, b);
    expect(run(['--root', a]).status).toBe(0);
    expect(run(['--root', b]).status).toBe(0);
    const wasmA = readFileSync(join(a, 'public/modules/hello.wasm'));
    expect(wasmA.equals(readFileSync(join(b, 'public/modules/hello.wasm')))).toBe(true);
    expect(readFileSync(join(a, 'public/modules/index.json'), 'utf8')).toBe('[\n  "hello"\n]\n');
    expect(run(['--root', a, '--check']).status).toBe(0);
    // A stale committed binary must fail the check, naming the file.
    writeFileSync(join(a, 'public/modules/hello.wasm'), Buffer.concat([wasmA, Buffer.from([0])]));
    const stale = run(['--root', a, '--check']);
    expect(stale.status).toBe(1);
    expect(stale.output).toContain('public/modules/hello.wasm: differs from its source build');
  });

  it('refuses a module over the 512 KiB size budget, saying the figure', () => {
    const big =
      '#include "quiver.h"\n#include <stdio.h>\nstatic const unsigned char blob[600000] = {1};\n' +
      'int main(int argc, char **argv) { (void)argv; return blob[argc * 4096]; }\n';
    const root = fixtureTree('big', big);
    roots.push(root);
    const r = run(['--root', root]);
    expect(r.status).toBe(1);
    expect(r.output).toMatch(/big\.wasm is \d+ bytes, over the budget of 524288 bytes \(512 KiB\)/);
  });

  it('refuses an invalid manifest, naming the file', () => {
    const root = fixtureTree('bad', 'int main(void) { return 0; }\n');
    roots.push(root);
    const m = JSON.parse(readFileSync(join(root, 'modules/bad/bad.json'), 'utf8'));
    writeFileSync(join(root, 'modules/bad/bad.json'), JSON.stringify({ ...m, colour: 'red' }));
    const r = run(['--root', root]);
    expect(r.status).toBe(1);
    expect(r.output).toContain('modules/bad/bad.json: invalid manifest');
    expect(r.output).toContain('additional properties');
  });

  it('refuses a module importing a WASI function its manifest did not ask for', () => {
    const src =
      '#include <time.h>\n#include <stdio.h>\nint main(void) { printf("%ld", (long)time(NULL)); return 0; }\n';
    const root = fixtureTree('clocky', src);
    roots.push(root);
    const r = run(['--root', root]);
    expect(r.status).toBe(1);
    expect(r.output).toContain(
      'imports clock_time_get but its manifest does not ask for permission "clock"',
    );
  });
});
