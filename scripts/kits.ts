/**
 * The module kits (examples/modules/<language>/): where each one's `scale` example lives, what
 * toolchain it needs, how to build it (its own build.sh) and how to run it on a file through
 * the runtime. Shared by scripts/kits.test.ts (`npm run test:kits`) and bench/kits.ts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';

export { tableDifferences };
import { tableDifferences } from '../src/cli/module-test/compare';
import { pipelineFor, STEP } from '../src/cli/module-test/contract';
import { checkManifest, createCatalog } from '../src/modules/catalog';
import type { ModuleManifest } from '../src/modules/manifest';
import { nodeHost, REPO_ROOT, sourceManifest } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';

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

/** What {@link runModule} gives. */
export interface ModuleRun {
  output: Table;
  /** Wall-clock ms of the step, and ms its workers spent inside the module. */
  ms: number;
  busyMs: number;
}

/**
 * Runs `wasm` (with `manifestPath`) as one step after a source reading `uri` (e.g.
 * `sample:flights-200k.arrow`), through the runtime, and returns its output. Throws with the
 * step's message when it fails.
 */
export async function runModule(
  wasm: string,
  manifestPath: string,
  uri: string,
  params: Record<string, unknown>,
  parallelism = 1,
): Promise<ModuleRun> {
  const { manifest } = checkManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), manifestPath);
  const host = await nodeHost();
  try {
    const result = await runPipeline(pipelineFor(manifest as ModuleManifest, params, uri), {
      ...host,
      catalog: createCatalog([
        { manifest, fileName: `${manifest.id}.json` },
        { manifest: sourceManifest, fileName: 'source.json' },
      ]),
      loadModule: async () => new Uint8Array(readFileSync(wasm)),
      parallelism,
      projectColumns: false,
      collect: [`${STEP}.out`],
    });
    const step = result.steps[STEP];
    const bytes = result.collected[`${STEP}.out`];
    if (!result.ok || step === undefined || bytes === undefined) {
      const why = step?.message ?? result.steps.source?.message ?? 'did not finish';
      throw new Error(`${wasm}: ${why}`);
    }
    return { output: tableFromIPC(bytes), ms: step.ms, busyMs: step.busyMs ?? step.ms };
  } finally {
    host.pool.terminate();
  }
}
