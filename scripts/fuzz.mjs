// Runs the libFuzzer targets of the C sources: every modules/**/fuzz_*.c is built natively
// with the SDK sources (modules/sdk/*.c without tests and fuzz targets) and
// -fsanitize=fuzzer,address,undefined, seeded from the conformance folders, then run.
// Not part of `npm test` (it takes minutes). Usage:
//   npm run fuzz                      every target, FUZZ_SECONDS each (default 60)
//   npm run fuzz -- ipc csv           only targets whose file name contains "ipc" or "csv"
//   FUZZ_SECONDS=300 npm run fuzz -- ipc
// Working files go to .fuzz/<target>/ (git-ignored): the growing corpus and any crash,
// leak, timeout or out-of-memory reproducer. Exit status 1 if a target found anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const conformance = resolve(repoRoot, '../shared/conformance');

/** Seed folders per target, by a word of the target's file name. */
const SEEDS = {
  ipc: ['arrow-ipc/golden', 'arrow-ipc/fuzz'],
  csv: ['csv', 'csv/fuzz'],
};

function findTargets(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTargets(path));
    else if (/^fuzz_.*\.c$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** The SDK's sources without tests, fuzz targets and the ABI drivers (step_v<N>.c: a fuzz
 * target has its own entry point). */
function sdkSources() {
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

function main(argv) {
  const seconds = Number(process.env.FUZZ_SECONDS ?? 60);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error('FUZZ_SECONDS must be > 0');
  const filters = argv.filter((a) => !a.startsWith('-'));
  const targets = findTargets(join(repoRoot, 'modules')).filter(
    (t) => filters.length === 0 || filters.some((f) => basename(t).includes(f)),
  );
  if (targets.length === 0) throw new Error(`no fuzz target matches ${filters.join(', ')}`);
  let findings = 0;
  const summary = [];
  for (const target of targets) {
    const name = basename(target, '.c');
    const work = join(repoRoot, '.fuzz', name);
    const corpus = join(work, 'corpus');
    mkdirSync(corpus, { recursive: true });
    const bin = join(work, name);
    const rel = relative(repoRoot, target);
    console.log(`== ${rel}: building`);
    execFileSync(
      'clang-19',
      [
        '-g',
        '-O1',
        '-std=c11',
        '-fsanitize=fuzzer,address,undefined',
        '-fno-sanitize-recover=all',
        `-I${relative(repoRoot, dirname(target))}`,
        '-Imodules/sdk',
        '-o',
        bin,
        rel,
        ...sdkSources(),
        '-lm',
      ],
      { cwd: repoRoot, stdio: 'inherit' },
    );
    const seedDirs = Object.entries(SEEDS)
      .filter(([word]) => name.includes(word))
      .flatMap(([, dirs]) => dirs.map((d) => join(conformance, d)))
      .filter((d) => existsSync(d));
    // A target's own seed corpus, when it has one, sits beside it: fuzz_expr.c → fuzz_expr_seeds/.
    const ownSeeds = target.replace(/\.c$/, '_seeds');
    if (existsSync(ownSeeds)) seedDirs.push(ownSeeds);
    const dict = target.replace(/\.c$/, '.dict');
    const args = [
      `-max_total_time=${seconds}`,
      '-timeout=10',
      '-rss_limit_mb=2048',
      '-print_final_stats=1',
      `-artifact_prefix=${work}/`,
      ...(existsSync(dict) ? [`-dict=${dict}`] : []),
      corpus,
      ...seedDirs,
    ];
    console.log(
      `== ${rel}: fuzzing for ${seconds} s (seeds: ${seedDirs.map((d) => relative(repoRoot, d)).join(', ') || 'none'})`,
    );
    const run = spawnSync(bin, args, { cwd: work, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const log = `${run.stdout}${run.stderr}`;
    const runs = /Done (\d+) runs in (\d+) second/.exec(log);
    const execs = runs
      ? Number(runs[1])
      : Number(/stat::number_of_executed_units:\s*(\d+)/.exec(log)?.[1] ?? 0);
    const artifacts = readdirSync(work).filter((f) =>
      /^(crash|leak|timeout|oom|slow-unit)-/.test(f),
    );
    const crashed = run.status !== 0;
    if (crashed) {
      console.log(log.split('\n').slice(-60).join('\n'));
    }
    const found = artifacts.length + (crashed && artifacts.length === 0 ? 1 : 0);
    findings += found;
    const cov = /cov: (\d+) ft: (\d+)/g;
    let last = null;
    for (let m = cov.exec(log); m; m = cov.exec(log)) last = m;
    summary.push(
      `${name}: ${execs} executions in ${seconds} s, coverage ${last ? `${last[1]} edges / ${last[2]} features` : 'n/a'}, ` +
        `corpus ${readdirSync(corpus).length} files, findings: ${found === 0 ? 'none' : artifacts.map((a) => join(relative(repoRoot, work), a)).join(', ') || `exit status ${run.status}`}`,
    );
  }
  console.log('\n== summary');
  for (const line of summary) console.log(line);
  return findings === 0 ? 0 : 1;
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exitCode = 1;
}
