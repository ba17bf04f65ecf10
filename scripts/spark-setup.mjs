#!/usr/bin/env node
// `npm run spark:setup`: creates the Spark runner's virtual environment (.venv-spark/, git-ignored)
// and installs the exact versions pinned in python/quiver_spark/pyproject.toml. Does nothing when
// the environment already holds those pins (a stamp file records them). Needs python3 ≥ 3.10 with
// venv, and Java 17 to run Spark. `npx quiver run --engine spark` runs it on first use.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const venv = join(root, '.venv-spark');
const python = join(venv, 'bin', 'python');
const stamp = join(venv, '.quiver-pins');
const pyproject = join(root, 'python', 'quiver_spark', 'pyproject.toml');

/** The `dependencies` array of pyproject.toml: exact pins such as "pyspark==4.3.0". */
function pins() {
  const text = readFileSync(pyproject, 'utf8');
  const block = /^dependencies = \[([^\]]*)\]/m.exec(text);
  if (!block) throw new Error(`${pyproject}: no dependencies array`);
  return [...block[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
}

const wanted = pins();
if (existsSync(python) && existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted.join('\n')) {
  process.exit(0);
}
const log = (text) => process.stderr.write(`spark:setup: ${text}\n`);
const run = (cmd, args) => execFileSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
if (!existsSync(python)) {
  log(`creating ${venv}`);
  run('python3', ['-m', 'venv', venv]);
}
log(`installing ${wanted.join(' ')}`);
run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...wanted]);
writeFileSync(stamp, wanted.join('\n'));
log('done');
