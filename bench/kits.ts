/**
 * `npm run bench:kits`: for every module kit whose toolchain is here, the `scale` example's
 * .wasm size, its build time (a clean build folder; the toolchain's own caches, e.g. Go's
 * modules and build cache, stay warm), and the time of `scale` over flights-3m.parquet in one
 * worker (`distance` × 1.609344), beside the C module measured in the same run; each output is
 * checked equal to C's. Prints a table for docs/modules/README.md.
 */
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildKit,
  KITS,
  missingTool,
  runModule,
  scaleDir,
  scaleManifest,
  scaleWasm,
  tableDifferences,
  type ModuleRun,
} from '../scripts/kits';
import { formatTable, loadAverage, ms, ratio } from './lib';

const URI = 'sample:flights-3m.parquet';
const PARAMS = { column: 'distance', factor: 1.609344 };
const RUNS = Number(process.env.RUNS ?? 3);

/** The run with the least module time of `RUNS` runs (the output of the last one). */
async function fastest(wasm: string, manifest: string): Promise<ModuleRun> {
  let best: ModuleRun | undefined;
  for (let i = 0; i < RUNS; i++) {
    const run = await runModule(wasm, manifest, URI, PARAMS, 1);
    if (best === undefined || run.busyMs < best.busyMs) best = { ...run };
    best.output = run.output;
  }
  return best!;
}

const rows: unknown[][] = [];
let reference: ModuleRun | undefined;
for (const kit of KITS) {
  const missing = missingTool(kit);
  if (missing !== undefined) {
    rows.push([kit.label, null, null, null, null, null, `skipped: no ${missing}`]);
    continue;
  }
  rmSync(join(scaleDir(kit), 'build'), { recursive: true, force: true });
  const buildMs = buildKit(kit);
  const sizeKiB = Math.round(statSync(scaleWasm(kit)).size / 1024);
  const run = await fastest(scaleWasm(kit), scaleManifest(kit));
  reference ??= run;
  const differences = tableDifferences(run.output, reference.output);
  rows.push([
    kit.label,
    sizeKiB,
    Math.round(buildMs / 100) / 10,
    ms(run.busyMs),
    ms(run.ms),
    ratio(run.busyMs, reference.busyMs),
    differences.length === 0 ? 'yes' : differences[0],
  ]);
  console.log(`${kit.label}: done`);
}
console.log(
  `\nscale (distance × 1.609344) over ${URI}, ${reference?.output.numRows ?? 0} rows, one worker, best of ${RUNS}`,
);
console.log(
  formatTable(['kit', '.wasm KiB', 'build s', 'module ms', 'step ms', '÷ C', 'equals C'], rows),
);
console.log(loadAverage());
