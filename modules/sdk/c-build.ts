/**
 * Builds C test programs against the guest SDK for tests: to wasm32-wasi (the module build's
 * flags) or natively with AddressSanitizer and UndefinedBehaviorSanitizer. Test-only helper;
 * the module build itself is scripts/build-modules.mjs.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

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
 * command, with the flags of scripts/build-modules.mjs. Throws with clang's output. */
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

/** Compiles `sources` with `sdk` (default: every SDK source) into a native executable under
 * ASan and UBSan; any sanitizer report aborts the program. */
export function buildNativeSanitized(
  sources: string[],
  outPath: string,
  sdk: string[] = sdkSources(),
): void {
  execFileSync(
    'clang-19',
    [
      '-g',
      '-O1',
      '-std=c11',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-fsanitize=address,undefined',
      '-fno-sanitize-recover=all',
      '-fno-omit-frame-pointer',
      '-Imodules/sdk',
      '-o',
      outPath,
      ...sources,
      ...sdk,
      '-lm',
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
