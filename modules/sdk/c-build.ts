/**
 * Builds C test programs against the guest SDK for tests: to wasm32-wasi (the module build's
 * flags) or natively with AddressSanitizer and UndefinedBehaviorSanitizer. Test-only helper;
 * the module build itself is scripts/build-modules.mjs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** The SDK's C sources (relative to the repo root), without unit tests and fuzz targets. */
export function sdkSources(): string[] {
  return readdirSync(join(repoRoot, 'modules/sdk'))
    .filter((f) => f.endsWith('.c') && !f.endsWith('_test.c') && !f.startsWith('fuzz_'))
    .sort()
    .map((f) => `modules/sdk/${f}`);
}

/** Compiles `sources` (relative to the repo root) with the SDK into `outPath`, a wasm32-wasi
 * command, with the module build's target, optimisation and warning flags (not its
 * section garbage collection or stripping: test binaries keep their names for traps).
 * Throws with clang's output. */
export function buildWasm(sources: string[], outPath: string): void {
  execFileSync(
    'clang-19',
    [
      '--target=wasm32-wasi',
      '--sysroot=/usr',
      '-O2',
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-Imodules/sdk',
      '-o',
      outPath,
      ...sources,
      ...sdkSources(),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** Native compile flags: ASan and UBSan, any report aborts; the include path is absolute so
 * that any working directory will do. */
export const SANITIZE_FLAGS = [
  '-g',
  '-O1',
  '-std=c11',
  '-Wall',
  '-Wextra',
  '-Werror',
  '-fsanitize=address,undefined',
  '-fno-sanitize-recover=all',
  '-fno-omit-frame-pointer',
  `-I${join(repoRoot, 'modules/sdk')}`,
];

const clang = promisify(execFile);

/**
 * Builds native programs under ASan and UBSan (any sanitizer report aborts the program): the
 * SDK sources are compiled once into `objDir`, in parallel with the programs' own sources, and
 * each program `{ sources, out }` is linked with them. Rejects with clang's output.
 */
export async function buildNativeSanitized(
  programs: { sources: string[]; out: string }[],
  objDir: string,
): Promise<void> {
  const run = (args: string[]) =>
    clang('clang-19', args, { cwd: repoRoot, maxBuffer: 16 * 1024 * 1024 });
  const objectOf = (src: string) => join(objDir, `${src.replace(/[/\\]/g, '__')}.o`);
  const all = [...new Set([...sdkSources(), ...programs.flatMap((p) => p.sources)])];
  const queue = [...all];
  const worker = async () => {
    for (let src = queue.shift(); src !== undefined; src = queue.shift()) {
      await run([...SANITIZE_FLAGS, '-c', '-o', objectOf(src), src]);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  await Promise.all(
    programs.map((p) =>
      run([
        '-fsanitize=address,undefined',
        '-o',
        p.out,
        ...[...p.sources, ...sdkSources()].map(objectOf),
        '-lm',
      ]),
    ),
  );
}
