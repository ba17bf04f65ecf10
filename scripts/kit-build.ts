/**
 * The module kits' sources and builds, without the runtime: where each one's `scale` example
 * lives, what toolchain it needs and how to build it (its own build.sh). Kept apart from
 * scripts/kits.ts so that e2e specs (whose loader cannot import the runtime's JSON modules) can
 * build the kits too.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (absolute). */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** One language's kit. */
export interface Kit {
  /** Folder name under examples/modules/ and the `quiver module new` language. */
  language: string;
  /** Human name, e.g. `C++`. */
  label: string;
  /** Commands or files the build needs; the first missing one is reported. */
  needs: string[];
}

/** Every kit, C (the reference) first. */
export const KITS: readonly Kit[] = [
  { language: 'c', label: 'C', needs: ['clang-19', '/usr/lib/wasm32-wasi/libc.a'] },
  { language: 'cpp', label: 'C++', needs: ['clang++-19', '/usr/lib/wasm32-wasi/libc++.a'] },
  {
    language: 'rust',
    label: 'Rust',
    needs: ['/usr/bin/cargo', '/usr/bin/rustc', '/usr/lib/rustlib/wasm32-wasi', 'clang-19'],
  },
  { language: 'go', label: 'Go', needs: ['go'] },
  { language: 'assemblyscript', label: 'AssemblyScript', needs: ['node_modules/.bin/asc'] },
];

/** Whether `command` is on the PATH (or, for a path, exists). */
function present(need: string): boolean {
  if (need.includes('/')) return existsSync(need.startsWith('/') ? need : join(REPO_ROOT, need));
  try {
    execFileSync('sh', ['-c', `command -v ${need}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The first thing `kit` needs that this machine lacks, or undefined. */
export function missingTool(kit: Kit): string | undefined {
  return kit.needs.find((need) => !present(need));
}

/** The folder of `kit`'s scale example. */
export function scaleDir(kit: Kit): string {
  return join(REPO_ROOT, 'examples/modules', kit.language, 'scale');
}

/** The built `scale.wasm` of `kit` (after {@link buildKit}). */
export function scaleWasm(kit: Kit): string {
  return join(scaleDir(kit), 'build/scale.wasm');
}

/** The manifest of `kit`'s scale example. */
export function scaleManifest(kit: Kit): string {
  return join(scaleDir(kit), 'scale.json');
}

/** Builds `kit`'s scale example from source with its build.sh; returns the milliseconds. */
export function buildKit(kit: Kit): number {
  const started = performance.now();
  execFileSync(join(scaleDir(kit), 'build.sh'), [], { stdio: ['ignore', 'ignore', 'pipe'] });
  return performance.now() - started;
}
