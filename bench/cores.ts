/**
 * `npm run bench:cores`: five streamable steps over flights-3m.parquet (pipelines.ts) in a
 * child process pinned to one core (`taskset -c 0`) and to two (`taskset -c 0,1`), alternating
 * A B A B BENCH_ROUNDS times (default 3); each child reports the median of its warm runs
 * (cores-run.ts). Prints the medians and 1 core ÷ 2 cores.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../src/runtime/node-host';
import { formatTable, loadAverage, median, ms, ratio } from './lib';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TASKSET = '/usr/bin/taskset';

/** Median ms of the child's warm runs on `cpus` (a taskset CPU list). */
async function runPinned(cpus: string): Promise<{ ms: number; cores: number }> {
  const { stdout } = await promisify(execFile)(
    TASKSET,
    ['-c', cpus, process.execPath, '--import', 'tsx', 'bench/cores-run.ts'],
    { cwd: REPO_ROOT, maxBuffer: 1 << 20 },
  );
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as { ms: number; cores: number };
}

if (!existsSync(TASKSET)) throw new Error(`${TASKSET} is missing (Debian: util-linux)`);
console.log(`Cores bench, ${loadAverage()}`);
const one: number[] = [];
const two: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = await runPinned('0');
  const b = await runPinned('0,1');
  if (a.cores !== 1 || b.cores !== 2)
    throw new Error(`the children saw ${a.cores} and ${b.cores} cores, not 1 and 2`);
  one.push(a.ms);
  two.push(b.ms);
}
const [m1, m2] = [median(one), median(two)];
console.log(
  formatTable(
    ['cores', 'runs (ms)', 'median ms'],
    [
      ['1 (taskset -c 0)', one.map(Math.round).join(' '), ms(m1)],
      ['2 (taskset -c 0,1)', two.map(Math.round).join(' '), ms(m2)],
    ],
  ),
);
console.log(`1 core ÷ 2 cores: ${ratio(m1, m2)} (5 streamable steps, flights-3m.parquet)`);
console.log(loadAverage());
