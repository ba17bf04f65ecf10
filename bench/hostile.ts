/**
 * `npx tsx bench/hostile.ts`: each hostile fixture (test-fixtures/hostile) run by the CLI in a
 * process of its own beside the sibling branch, printing the step's message, whether the
 * sibling finished, the wall time and the process's peak RSS; the peer is a well-behaved module
 * (`notes` without its storage grant) in the same pipeline, run the same way.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOSTILE_MODULES, NOTES_MODULE, writeModules } from '../test-fixtures/hostile/build';
import { guestPipeline } from '../src/cli/hostile.testkit';
import { formatTable, loadAverage } from './lib';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'quiver-hostile-bench-'));
const modulesDir = writeModules(join(dir, 'modules'), [...HOSTILE_MODULES, NOTES_MODULE]);

/** One CLI run of the guest pipeline of `moduleId`. */
async function once(moduleId: string): Promise<(string | number)[]> {
  const pipeline = guestPipeline(dir, moduleId);
  const t0 = performance.now();
  const args = ['bin/quiver.mjs', 'run', pipeline, '--modules', modulesDir, '--parallelism', '1'];
  const { stdout, stderr } = await run('node', args, { maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout: string; stderr: string }) => error,
  );
  const ms = Math.round(performance.now() - t0);
  const failed = /step "guest" failed: (.*)/.exec(stderr)?.[1] ?? '(finished)';
  const sibling = /^warm\s+filter\s+(\w+)/m.exec(stdout)?.[1] ?? '?';
  const rss = /peak memory \(RSS\) (\d+) MiB/.exec(stdout)?.[1] ?? '?';
  return [moduleId, failed.slice(0, 90), sibling, ms, rss];
}

console.log(`Hostile modules in the CLI, one process each, ${loadAverage()}`);
const rows = [await once(NOTES_MODULE.id)];
for (const module of HOSTILE_MODULES) rows.push(await once(module.id));
console.log(formatTable(['module', 'message', 'sibling', 'ms', 'peak RSS MiB'], rows));
console.log(loadAverage());
