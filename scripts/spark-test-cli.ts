/**
 * `tsx scripts/spark-test-cli.ts <jobs.json>`: the CLI runs `npm run test:spark` compares the
 * Spark runner with, done in one Node process (one start-up instead of one per run). The jobs
 * file is `{ "runs": [[...argv of quiver]], "v1": { "dir": "...", "modules": ["csv"] } }`: each
 * run is `main(argv)` (`quiver run ... --output` or `--engine spark --plan`), and `v1` builds
 * those modules' ABI 1 command builds into `dir`. Exits 1 naming the first run that fails,
 * with its error output.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModuleWasm } from '../modules/sdk/c-build';
import { main } from '../src/cli/main';

interface Jobs {
  runs: string[][];
  v1?: { dir: string; modules: string[] };
}

const file = process.argv[2];
if (file === undefined) throw new Error('usage: tsx scripts/spark-test-cli.ts <jobs.json>');
const jobs = JSON.parse(readFileSync(file, 'utf8')) as Jobs;
for (const id of jobs.v1?.modules ?? []) buildModuleWasm(id, 1, join(jobs.v1!.dir, `${id}.wasm`));
for (const argv of jobs.runs) {
  const err: string[] = [];
  const status = await main(argv, { out: () => {}, err: (text) => err.push(text) });
  if (status !== 0) {
    process.stderr.write(`quiver ${argv.join(' ')}: status ${status}\n${err.join('\n')}\n`);
    process.exit(1);
  }
}
process.exit(0);
