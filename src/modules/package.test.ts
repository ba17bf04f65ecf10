import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ManifestError } from './catalog';
import type { ModuleManifest } from './manifest';
import {
  embedManifest,
  MANIFEST_SECTION,
  PackageError,
  packageRefusal,
  readModulePackage,
} from './package';

const modulesDir = fileURLToPath(new URL('../../public/modules/', import.meta.url));
const limitWasm = new Uint8Array(readFileSync(`${modulesDir}limit.wasm`));
const limitJson = readFileSync(`${modulesDir}limit.json`, 'utf8');

/** The limit module under another id, as a stranger's package would be. */
function manifest(overrides: Partial<ModuleManifest> = {}): string {
  const m = JSON.parse(limitJson) as ModuleManifest;
  return JSON.stringify({ ...m, id: 'acme.head', name: 'Head', author: 'Acme', ...overrides });
}

/** A module whose only content is the given imports and a `_start` export (ABI 1). */
function commandImporting(names: string[], module = 'wasi_snapshot_preview1'): Uint8Array {
  const leb = (n: number) => {
    const out: number[] = [];
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n) b |= 0x80;
      out.push(b);
    } while (n);
    return out;
  };
  const str = (s: string) => [...leb(s.length), ...new TextEncoder().encode(s)];
  const sec = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const types = sec(1, [1, 0x60, 0, 0]);
  const imports = sec(2, [
    ...leb(names.length),
    ...names.flatMap((n) => [...str(module), ...str(n), 0x00, 0]),
  ]);
  const funcs = sec(3, [1, 0]);
  const exports = sec(7, [1, ...str('_start'), 0x00, names.length]);
  const code = sec(10, [1, 2, 0, 0x0b]);
  return new Uint8Array([
    0,
    0x61,
    0x73,
    0x6d,
    1,
    0,
    0,
    0,
    ...types,
    ...imports,
    ...funcs,
    ...exports,
    ...code,
  ]);
}

function command(overrides: Partial<ModuleManifest> = {}): string {
  return manifest({ abi: 1, ...overrides });
}

describe('readModulePackage', () => {
  it('reads a .wasm with its .json: manifest, sha256 as Node computes it, size, imports, exports', async () => {
    const pkg = await readModulePackage(limitWasm, { manifestText: manifest() });
    expect(pkg.manifest.id).toBe('acme.head');
    expect(pkg.manifest.author).toBe('Acme');
    expect(pkg.manifestSource).toBe('file');
    expect(pkg.sha256).toBe(createHash('sha256').update(limitWasm).digest('hex'));
    expect(pkg.sizeBytes).toBe(limitWasm.byteLength);
    expect(pkg.exports.map((e) => e.name)).toEqual(expect.arrayContaining(['qv_push', 'memory']));
    expect(pkg.imports.every((i) => i.module === 'wasi_snapshot_preview1')).toBe(true);
    expect(pkg.mismatches).toEqual([]);
    expect(packageRefusal(pkg)).toBeNull();
  });

  it('round-trips a manifest embedded in the quiver.manifest section', async () => {
    const embedded = embedManifest(limitWasm, manifest());
    const section = WebAssembly.Module.customSections(
      new WebAssembly.Module(embedded),
      MANIFEST_SECTION,
    );
    expect(section).toHaveLength(1);
    const pkg = await readModulePackage(embedded, { wasmFileName: 'head.wasm' });
    expect(pkg.manifestSource).toBe('embedded');
    expect(pkg.manifest).toEqual(JSON.parse(manifest()));
    expect(pkg.sha256).toBe(createHash('sha256').update(embedded).digest('hex'));
    // The code is untouched: same imports and exports as the original.
    const original = await readModulePackage(limitWasm, { manifestText: manifest() });
    expect(pkg.imports).toEqual(original.imports);
    expect(pkg.exports).toEqual(original.exports);
  });

  it('embedding again replaces the section instead of adding a second one', async () => {
    const once = embedManifest(limitWasm, manifest({ version: '1.0.0' }));
    const twice = embedManifest(once, manifest({ version: '2.0.0' }));
    expect(twice.byteLength).toBe(once.byteLength);
    const pkg = await readModulePackage(twice);
    expect(pkg.manifest.version).toBe('2.0.0');
  });

  it('refuses an import no grant could cover, naming it', async () => {
    const wasm = commandImporting(['fd_write', 'sock_send']);
    const pkg = await readModulePackage(wasm, { manifestText: command() });
    expect(pkg.mismatches).toEqual([
      expect.objectContaining({
        severity: 'error',
        kind: 'import',
        subject: '"wasi_snapshot_preview1"."sock_send"',
      }),
    ]);
    expect(packageRefusal(pkg)).toMatch(
      /acme\.head 1\.\d+\.\d+: refused: import "wasi_snapshot_preview1"\."sock_send" is a network function/,
    );
  });

  it('refuses a clock import the manifest does not ask for, and accepts it when asked', async () => {
    const wasm = commandImporting(['clock_time_get']);
    const refused = await readModulePackage(wasm, { manifestText: command() });
    expect(packageRefusal(refused)).toContain(
      'import "wasi_snapshot_preview1"."clock_time_get" needs the clock permission, which the manifest does not ask for',
    );
    const asked = await readModulePackage(wasm, {
      manifestText: command({ permissions: { clock: true } }),
    });
    expect(asked.mismatches).toEqual([]);
  });

  it('refuses imports outside WASI', async () => {
    const pkg = await readModulePackage(commandImporting(['launch'], 'env'), {
      manifestText: command(),
    });
    expect(packageRefusal(pkg)).toContain(
      'import "env"."launch" is outside wasi_snapshot_preview1',
    );
  });

  it('warns about a permission asked for but never imported', async () => {
    const pkg = await readModulePackage(commandImporting(['fd_write']), {
      manifestText: command({ permissions: { random: true } }),
    });
    expect(pkg.mismatches).toEqual([
      expect.objectContaining({ severity: 'warning', subject: 'random' }),
    ]);
    expect(packageRefusal(pkg)).toBeNull();
  });

  it('refuses a binary missing the exports of its ABI', async () => {
    const pkg = await readModulePackage(commandImporting([]), {
      manifestText: manifest({ abi: 2 }),
    });
    expect(packageRefusal(pkg)).toContain('export "qv_alloc" is missing, and ABI 2 requires it');
  });

  it('names the field of a bad manifest and the file of a bad binary', async () => {
    const bad = manifest({ limits: { timeoutMs: 1.5, maxMemoryMiB: 64 } });
    const error = await readModulePackage(limitWasm, {
      manifestText: bad,
      manifestFileName: 'acme.head.json',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message).toContain(
      'acme.head.json: limits.timeoutMs: must be integer',
    );
    expect((error as ManifestError).fields[0]?.pointer).toBe('/limits/timeoutMs');

    await expect(readModulePackage(limitWasm, { manifestText: '{' })).rejects.toThrow(
      /^manifest: invalid JSON/,
    );
    await expect(
      readModulePackage(new TextEncoder().encode('hello'), { wasmFileName: 'x.wasm' }),
    ).rejects.toThrow(PackageError);
    await expect(readModulePackage(limitWasm, { wasmFileName: 'limit.wasm' })).rejects.toThrow(
      /limit\.wasm: no manifest: .*npx quiver module embed limit\.wasm/,
    );
  });

  it('refuses to embed into bytes that are not WebAssembly', () => {
    expect(() => embedManifest(new Uint8Array([1, 2, 3]), '{}')).toThrow(
      /not a WebAssembly module/,
    );
  });
});
