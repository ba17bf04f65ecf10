/**
 * Issue 10, item 4, in the CLI: each hostile module, run from `--modules`, fails its own step
 * with a message in words while the sibling branch finishes with the right rows.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_MODULES, writeModules } from '../../test-fixtures/hostile/build';
import { captureIo, guestPipeline } from './hostile.testkit';
import { main } from './main';

const dir = mkdtempSync(join(tmpdir(), 'quiver-hostile-'));
let modulesDir: string;

beforeAll(() => {
  modulesDir = writeModules(join(dir, 'modules'), HOSTILE_MODULES);
}, 120_000);

/** Rows of seattle-weather.csv with temp_max > 15, counted in plain JS (the oracle). */
function warmDays(): number {
  const lines = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv', 'utf8')
    .trim()
    .split('\n');
  const col = lines[0]?.split(',').indexOf('temp_max') ?? -1;
  return lines.slice(1).filter((line) => Number(line.split(',')[col]) > 15).length;
}

/** The message each hostile module's step must fail with. */
const EXPECTED: Record<string, RegExp> = {
  'hostile-loop': /^timed out after 1500 ms$/,
  'hostile-grow': /^memory limit of 64 MiB exceeded$/,
  'hostile-trap': /^trap: unreachable — the module reached code it marks as impossible/,
  'hostile-fail': /^error: column 'price' is missing from the input \(exited with code 3\)$/,
  'hostile-garbage': /^\/out\/out\.arrow is not an Arrow IPC stream: .+/,
  'hostile-bigout':
    /^output exceeded 64 MiB in one run: an ABI 1 command's \/out files are held in memory/,
  'hostile-escape': /^error: all 14 escapes were refused \(exited with code 1\)$/,
  'hostile-recurse': /^stack overflow: the module called itself too deeply/,
  'hostile-entropy': /import "wasi_snapshot_preview1"\."random_get"/,
  'hostile-silent': /^the module did not write \/out\/out\.arrow$/,
  'hostile-liar': /^the module did not write \/out\/summary\.arrow$/,
  'hostile-notwasm': /^hostile-notwasm\.wasm: not a WebAssembly module/,
};

describe('hostile modules in the CLI (--modules)', () => {
  for (const module of HOSTILE_MODULES) {
    it(`${module.what}: ${module.id} fails alone, in words`, async () => {
      const pipeline = guestPipeline(dir, module.id);
      const { io, out, err } = captureIo();
      const status = await main(['run', pipeline, '--modules', modulesDir], io);
      const text = out.join('\n');
      expect(text).toMatch(new RegExp(`^warm\\s+filter\\s+finished\\s+${warmDays()}\\s`, 'm'));
      if (module.id === 'hostile-logflood') {
        // Not a failure: the step finishes, its log capped and the rest counted.
        expect(status).toBe(0);
        expect(text).toMatch(/^guest\s+hostile-logflood\s+finished\s+1461\s/m);
        return;
      }
      expect(status).toBe(1);
      const failed = err.find((line) => line.startsWith('step "guest" failed: ')) ?? '';
      expect(failed.slice('step "guest" failed: '.length)).toMatch(EXPECTED[module.id] ?? /^$/);
      if (module.id === 'hostile-escape') expect(text).not.toContain('ESCAPED');
    }, 120_000);
  }
});
