/**
 * `npm run bench:memory`: a generated CSV of BENCH_MEMORY_MB megabytes (default 1000) through
 * csv → filter → aggregate with the command line (`node bin/quiver.mjs run`) in a child
 * process under `/usr/bin/time -v`; prints the child's peak RSS and wall time. The CSV and the
 * pipeline file live in a temporary directory, deleted at the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { REPO_ROOT } from '../src/runtime/node-host';
import { tempDir, writeGeneratedCsv } from './data';
import { chainDoc, loadAverage } from './lib';

const SIZE_MB = Number(process.env.BENCH_MEMORY_MB ?? 1000);
const TIME = '/usr/bin/time';

/** Peak RSS in MiB from `time -v`'s report ("Maximum resident set size (kbytes): N"). */
function peakRssMiB(report: string): number {
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1];
  if (kb === undefined) throw new Error(`no peak RSS in ${TIME}'s report:\n${report}`);
  return Math.round(Number(kb) / 1024);
}

if (!existsSync(TIME)) throw new Error(`${TIME} is missing (Debian: apt-get install time)`);
console.log(`Memory bench, ${loadAverage()}`);
const tmp = tempDir('memory');
try {
  const csv = join(tmp.path, 'big.csv');
  const t0 = performance.now();
  const rows = await writeGeneratedCsv(csv, SIZE_MB * 1e6);
  const genS = ((performance.now() - t0) / 1000).toFixed(1);
  console.log(`Generated ${SIZE_MB} MB CSV, ${rows.toLocaleString('en')} rows, in ${genS} s`);
  // Caps at the wasm32 maximum: this bench measures memory, it does not enforce it.
  const doc = chainDoc(
    'memory',
    [
      { id: 'source', moduleId: 'source', params: { uri: csv } },
      { id: 'csv', moduleId: 'csv', params: {} },
      { id: 'filter', moduleId: 'filter', params: { expression: 'y >= 10' } },
      {
        id: 'aggregate',
        moduleId: 'aggregate',
        params: {
          groupBy: ['grp'],
          aggregates: [
            { name: 'n', op: 'count' },
            { name: 'sum_x', op: 'sum', column: 'x' },
          ],
        },
      },
    ],
    4096,
  );
  const pipeline = join(tmp.path, 'memory.quiver.json');
  writeFileSync(pipeline, JSON.stringify(doc, null, 2));
  const report = join(tmp.path, 'time.txt');
  const args = ['-v', '-o', report, process.execPath, 'bin/quiver.mjs', 'run', pipeline];
  const t1 = performance.now();
  const child = spawn(TIME, [...args, '--rows', '3'], { cwd: REPO_ROOT, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  const wallS = ((performance.now() - t1) / 1000).toFixed(1);
  console.log(
    `\nCLI csv → filter → aggregate over ${SIZE_MB} MB: exit ${code}, wall ${wallS} s, ` +
      `peak RSS ${peakRssMiB(readFileSync(report, 'utf8'))} MiB`,
  );
} finally {
  tmp.remove();
}
console.log(loadAverage());
