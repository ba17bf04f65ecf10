import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GrantedPermissions } from './manifest';
import { describeRefusal, grantsRequestedBy, inspectImports } from './imports';

/** Unsigned LEB128 (WebAssembly binary format, section 5.2.2). */
function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}
const name = (s: string) => [...uleb(s.length), ...new TextEncoder().encode(s)];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

type Imp = { module: string; name: string; kind?: 'function' | 'memory' | 'global' };

/** A minimal module that only imports: one `() -> ()` type, then the imports. */
function moduleImporting(imports: Imp[]): WebAssembly.Module {
  const typeSec = section(1, [1, 0x60, 0, 0]);
  const entries = imports.flatMap((i) => {
    const desc =
      i.kind === 'memory' ? [0x02, 0x00, 1] : i.kind === 'global' ? [0x03, 0x7f, 0x00] : [0x00, 0];
    return [...name(i.module), ...name(i.name), ...desc];
  });
  const importSec = section(2, [...uleb(imports.length), ...entries]);
  const bytes = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, ...typeSec, ...importSec]);
  return new WebAssembly.Module(bytes);
}

const NONE: GrantedPermissions = { storage: 'none', clock: 'none', random: 'none' };
const W = 'wasi_snapshot_preview1';

describe('inspectImports on hand-made modules', () => {
  it('allows file, args, env and exit functions with nothing granted', () => {
    const m = moduleImporting(
      ['fd_read', 'fd_write', 'path_open', 'args_get', 'environ_sizes_get', 'proc_exit'].map(
        (n) => ({ module: W, name: n }),
      ),
    );
    expect(inspectImports(m, NONE)).toEqual({ ok: true });
  });

  it('refuses the clock without the clock permission, allows it with', () => {
    const m = moduleImporting([
      { module: W, name: 'fd_write' },
      { module: W, name: 'clock_time_get' },
      { module: W, name: 'clock_res_get' },
    ]);
    const r = inspectImports(m, NONE);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refused.map((x) => x.name)).toEqual(['clock_time_get', 'clock_res_get']);
    expect(describeRefusal(r.refused)).toContain(
      'import "wasi_snapshot_preview1"."clock_time_get" needs the clock permission',
    );
    expect(inspectImports(m, { ...NONE, clock: 'deterministic' })).toEqual({ ok: true });
    // Random does not unlock the clock.
    expect(inspectImports(m, { ...NONE, random: 'real' }).ok).toBe(false);
  });

  it('refuses random_get without the random permission, allows it with', () => {
    const m = moduleImporting([{ module: W, name: 'random_get' }]);
    const r = inspectImports(m, { ...NONE, clock: 'real' });
    expect(r).toEqual({
      ok: false,
      refused: [
        {
          module: W,
          name: 'random_get',
          kind: 'function',
          reason: 'needs the random permission, which was not granted',
        },
      ],
    });
    expect(inspectImports(m, { ...NONE, random: 'real' })).toEqual({ ok: true });
  });

  it('refuses anything outside wasi_snapshot_preview1, whatever was granted', () => {
    const all: GrantedPermissions = { storage: 'readwrite', clock: 'real', random: 'real' };
    const m = moduleImporting([
      { module: 'env', name: 'emscripten_memcpy_big' },
      { module: 'wasi_unstable', name: 'fd_write' },
      { module: 'env', name: 'memory', kind: 'memory' },
    ]);
    const r = inspectImports(m, all);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.refused.map((x) => `${x.module}.${x.name}`)).toEqual([
      'env.emscripten_memcpy_big',
      'wasi_unstable.fd_write',
      'env.memory',
    ]);
    expect(describeRefusal(r.refused)).toContain(
      'import "env"."emscripten_memcpy_big" is outside wasi_snapshot_preview1',
    );
  });

  it('refuses sockets, unknown WASI names and non-function WASI imports', () => {
    const all: GrantedPermissions = { storage: 'readwrite', clock: 'real', random: 'real' };
    const m = moduleImporting([
      { module: W, name: 'sock_send' },
      { module: W, name: 'fd_write_everything' },
      { module: W, name: 'fd_write', kind: 'global' },
    ]);
    const r = inspectImports(m, all);
    expect(r.ok ? [] : r.refused.map((x) => x.reason)).toEqual([
      'is a network function: steps have no network in ABI v1',
      'is not a WASI preview 1 function',
      'is a global, not a function: not allowed',
    ]);
  });
});

describe('inspectImports on a real wasi-libc program (clang-19)', () => {
  let module: WebAssembly.Module;
  beforeAll(() => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-imports-'));
    const src = join(dir, 'clock_random.c');
    writeFileSync(
      src,
      '#include <stdio.h>\n#include <stdlib.h>\n#include <time.h>\n' +
        'int main(void) { printf("%ld %u\\n", (long)time(NULL), arc4random()); return 0; }\n',
    );
    const out = join(dir, 'clock_random.wasm');
    execFileSync('clang-19', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', '-o', out, src]);
    module = new WebAssembly.Module(readFileSync(out));
  });

  it('names both the clock and the random import when neither is granted', () => {
    const r = inspectImports(module, NONE);
    expect(r.ok ? [] : r.refused.map((x) => x.name).sort()).toEqual([
      'clock_time_get',
      'random_get',
    ]);
  });

  it('runs once both are granted', () => {
    expect(inspectImports(module, { ...NONE, clock: 'real', random: 'deterministic' })).toEqual({
      ok: true,
    });
  });
});

describe('inspectImports on the committed built-in modules', () => {
  const dir = fileURLToPath(new URL('../../public/modules', import.meta.url));
  const wasm = readdirSync(dir).filter((f) => f.endsWith('.wasm'));

  it('finds built modules to check', () => {
    expect(wasm.length).toBeGreaterThan(0);
  });

  it.each(wasm)('%s runs with nothing granted (its manifest asks for nothing)', (file) => {
    const manifest = JSON.parse(
      readFileSync(join(dir, file.replace(/\.wasm$/, '.json')), 'utf8'),
    ) as {
      permissions: object;
    };
    expect(manifest.permissions).toEqual({});
    const module = new WebAssembly.Module(readFileSync(join(dir, file)));
    expect(inspectImports(module, NONE)).toEqual({ ok: true });
  });
});

describe('grantsRequestedBy', () => {
  it('finds imports a manifest forgot to ask for', () => {
    const m = moduleImporting([
      { module: W, name: 'clock_time_get' },
      { module: W, name: 'random_get' },
    ]);
    const r = inspectImports(m, grantsRequestedBy({ clock: true }));
    expect(r.ok ? [] : r.refused.map((x) => x.name)).toEqual(['random_get']);
    expect(inspectImports(m, grantsRequestedBy({ clock: true, random: true }))).toEqual({
      ok: true,
    });
    expect(grantsRequestedBy({ storage: 'read' })).toEqual({
      storage: 'read',
      clock: 'none',
      random: 'none',
    });
  });
});
