/**
 * Builds the runtime's test-fixture modules (tiny C files beside this one) to WebAssembly with
 * clang-19 and wasi-libc, at test time, into `node_modules/.cache/quiver-runtime-fixtures/`.
 * The cache key is the source's SHA-256, so an edit rebuilds and nothing built is committed.
 * A fixture whose source names the export "qv_push" is built as a WASI reactor (ABI v2).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const cacheDir = join(here, '..', '..', 'node_modules', '.cache', 'quiver-runtime-fixtures');

/**
 * Returns the wasm bytes of fixture `name` (`<dir>/<name>.c`, `dir` by default this folder),
 * compiling it when its source or a header beside it changed. Throws with clang's message when
 * compilation fails.
 */
export function fixtureWasm(name: string, dir = here): Uint8Array<ArrayBuffer> {
  const source = join(dir, `${name}.c`);
  const text = readFileSync(source);
  const hash = createHash('sha256').update(text);
  for (const header of readdirSync(dir)
    .filter((f) => f.endsWith('.h'))
    .sort()) {
    hash.update(readFileSync(join(dir, header)));
  }
  const digest = hash.digest('hex').slice(0, 16);
  const reactor = text.includes('"qv_push"') ? ['-mexec-model=reactor'] : [];
  const target = join(cacheDir, `${name}-${digest}.wasm`);
  if (!existsSync(target)) {
    mkdirSync(cacheDir, { recursive: true });
    const partial = `${target}.${process.pid}.tmp`;
    execFileSync(
      'clang-19',
      [
        '--target=wasm32-wasi',
        '--sysroot=/usr',
        '-O2',
        ...reactor,
        '-Wl,--strip-all',
        '-o',
        partial,
        source,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    renameSync(partial, target);
  }
  return new Uint8Array(readFileSync(target));
}

/** Compiles fixture `name` to a `WebAssembly.Module`. */
export function fixtureModule(name: string): WebAssembly.Module {
  return new WebAssembly.Module(fixtureWasm(name));
}
