/**
 * Builds C test programs against the guest SDK for tests: to wasm32-wasi (the module build's
 * flags) or natively with AddressSanitizer and UndefinedBehaviorSanitizer. Test-only helper;
 * the module build itself is scripts/build-modules.mjs.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

/** The repository root. */
export const repoRoot = resolve(import.meta.dirname, '../..');

/** The SDK's ABI drivers (ABI.md 11.5): linked only into QV_MODULE modules, one per build. */
export const DRIVER_SOURCES = { 1: 'modules/sdk/step_v1.c', 2: 'modules/sdk/step_v2.c' } as const;

/** A module ABI version. */
export type Abi = keyof typeof DRIVER_SOURCES;

/** The SDK's C sources (relative to the repo root), without unit tests, fuzz targets and the
 * ABI drivers (`step_v*.c`). */
export function sdkSources(): string[] {
  return readdirSync(join(repoRoot, 'modules/sdk'))
    .filter(
      (f) =>
        f.endsWith('.c') &&
        !f.endsWith('_test.c') &&
        !f.startsWith('fuzz_') &&
        !/^step_v\d+\.c$/.test(f),
    )
    .sort()
    .map((f) => `modules/sdk/${f}`);
}

/**
 * The environment for clang's wasm links: PATH without the folders holding a `wasm-opt`. Under
 * npm, node_modules/.bin is on the PATH with binaryen's wasm-opt (from assemblyscript), which
 * clang runs after each optimised wasm link: that triples a test build's CPU time and changes no
 * behaviour a test checks. (clang-19's `--no-wasm-opt` skips the link itself.)
 */
function linkEnv(): NodeJS.ProcessEnv {
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !existsSync(join(dir, 'wasm-opt')));
  return { ...process.env, PATH: path.join(delimiter) };
}

/** Options of {@link buildWasm}. */
export interface WasmBuildOptions {
  /** Build a QV_MODULE module for this ABI: `-DQV_ABI=<abi>`, the SDK's driver for it, and
   * for ABI 2 `-mexec-model=reactor`. Leave out for a program with its own `main`. */
  abi?: Abi;
  /** Extra preprocessor definitions, e.g. `['ROUNDTRIP_HOLDS=1']`. */
  defines?: string[];
}

/** Compiles `sources` (relative to the repo root) with the SDK into `outPath`, a wasm32-wasi
 * command (or reactor, for ABI 2), with the module build's target, optimisation and warning
 * flags (not its section garbage collection or stripping: test binaries keep their names for
 * traps; nor binaryen's wasm-opt pass, see {@link linkEnv}). Throws with clang's output. */
export function buildWasm(
  sources: string[],
  outPath: string,
  options: WasmBuildOptions = {},
): void {
  const { abi, defines = [] } = options;
  const abiFlags = abi === undefined ? [] : [`-DQV_ABI=${abi}`];
  if (abi === 2) abiFlags.push('-mexec-model=reactor');
  const driver = abi === undefined ? [] : [DRIVER_SOURCES[abi]];
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
      ...abiFlags,
      ...defines.map((d) => `-D${d}`),
      '-o',
      outPath,
      ...sources,
      ...driver,
      ...sdkSources(),
    ],
    { cwd: repoRoot, env: linkEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
}

/** The C sources of built-in module `id` (modules/<id>/*.c without tests and fuzz targets). */
export function moduleSources(id: string): string[] {
  return readdirSync(join(repoRoot, 'modules', id))
    .filter((f) => f.endsWith('.c') && !f.endsWith('_test.c') && !f.startsWith('fuzz_'))
    .sort()
    .map((f) => `modules/${id}/${f}`);
}

/** Builds built-in module `id` for `abi` into `outPath` (e.g. the v1 build of a module that
 * public/modules holds as v2, for compatibility tests). Throws with clang's output. */
export function buildModuleWasm(id: string, abi: Abi, outPath: string): void {
  buildWasm(moduleSources(id), outPath, { abi });
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
