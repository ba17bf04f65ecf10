/**
 * The module kits (examples/modules/<language>/): where each one's `scale` example lives, what
 * toolchain it needs, how to build it (its own build.sh; all in ./kit-build) and how to run it
 * on a file through the runtime. Shared by scripts/kits.test.ts (`npm run test:kits`) and bench/kits.ts.
 */
import { readFileSync } from 'node:fs';
import { tableFromIPC, type Table } from 'apache-arrow';

export { tableDifferences };
export {
  buildKit,
  KITS,
  missingTool,
  scaleDir,
  scaleManifest,
  scaleWasm,
  type Kit,
} from './kit-build';
import { tableDifferences } from '../src/cli/module-test/compare';
import { pipelineFor, STEP } from '../src/cli/module-test/contract';
import { checkManifest, createCatalog } from '../src/modules/catalog';
import type { ModuleManifest } from '../src/modules/manifest';
import { nodeHost, sourceManifest } from '../src/runtime/node-host';
import { runPipeline } from '../src/runtime/run';

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
