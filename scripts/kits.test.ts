/**
 * Every module kit's `scale` example (examples/modules/<language>/scale), built from source with
 * its real toolchain: it passes `quiver module test`, and its output on flights-200k equals the
 * C module's, which equals DuckDB's. Only `npm run test:kits` runs them (`.ci/run` installs every
 * toolchain first, then calls it), and there a missing toolchain fails naming the tool; inside
 * `npm test` they are skipped, so that the main suite stays fast and needs no extra toolchain.
 * Speed is in bench/kits.ts (`npm run bench:kits`), on flights-3m.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableToIPC, type Table } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDataset, openOracle, type Oracle } from '../modules/sort/testkit';
import { main } from '../src/cli/main';
import {
  buildKit,
  KITS,
  missingTool,
  runModule,
  scaleManifest,
  scaleWasm,
  tableDifferences,
} from './kits';

const FACTOR = 1.609344; // miles to kilometres
const PARAMS = { column: 'distance', factor: FACTOR };

let oracle: Oracle;
let flightsPath: string;
/** The C module's output on flights-200k: the reference of every other kit. */
let reference: Table | undefined;

beforeAll(async () => {
  oracle = await openOracle();
  const flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow', 50_000);
  flightsPath = join(mkdtempSync(join(tmpdir(), 'quiver-kits-')), 'flights-200k.arrows');
  writeFileSync(flightsPath, tableToIPC(flights, 'stream'));
}, 120_000);

afterAll(() => oracle?.close());

/** `quiver module <args>`: its exit status, then what it printed. */
async function quiverModule(...args: string[]): Promise<string> {
  const out: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(t) };
  const status = await main(['module', ...args], io);
  return `${status}\n${out.join('\n')}`;
}

/** The contract test of `wasm` with `manifest`, on the contract inputs' float64 column. */
const moduleTest = (wasm: string, manifest: string) =>
  quiverModule('test', wasm, '--manifest', manifest, '--params', '{"column":"float64","factor":2}');

/** True under `npm run test:kits` (npm names the running script in this variable). */
const requested = process.env.npm_lifecycle_event === 'test:kits';

describe.each(KITS)('the $label kit', (kit) => {
  const missing = missingTool(kit);

  it.runIf(requested)('has its toolchain on this machine', () => {
    expect(missing).toBeUndefined();
  });

  describe.skipIf(!requested || missing !== undefined)(
    `scale (needs ${missing ?? 'nothing missing'})`,
    () => {
      beforeAll(() => void buildKit(kit), 600_000);

      it('passes quiver module test', async () => {
        const report = await moduleTest(scaleWasm(kit), scaleManifest(kit));
        expect(report).toContain('7 passed, 0 failed');
        expect(report.startsWith('0\n')).toBe(true);
      }, 180_000);

      it('scales flights-200k like the C module, and the C module like DuckDB', async () => {
        const { output } = await runModule(
          scaleWasm(kit),
          scaleManifest(kit),
          flightsPath,
          PARAMS,
          2,
        );
        if (kit.language === 'c') {
          const want = await oracle.columns(
            `SELECT distance::DOUBLE * ${FACTOR}::DOUBLE AS distance FROM flights ORDER BY file_row_number`,
          );
          const got = output.getChild('distance')?.toArray() as Float64Array;
          expect(got.length).toBe(200_000);
          expect([...got]).toEqual((want.distance as number[]).map(Number));
          reference = output;
        }
        expect(reference, 'the C kit runs first').toBeDefined();
        expect(tableDifferences(output, reference!)).toEqual([]);
      }, 180_000);

      it(`makes a project with quiver module new ${kit.language} that builds and passes`, async () => {
        const parent = mkdtempSync(join(tmpdir(), 'quiver-kit-new-'));
        expect(await quiverModule('new', kit.language, 'my_step', '--dir', parent)).toMatch(/^0\n/);
        const dir = join(parent, 'my_step');
        execFileSync(join(dir, 'build.sh'), [], { stdio: ['ignore', 'ignore', 'pipe'] });
        const report = await moduleTest(join(dir, 'build/my_step.wasm'), join(dir, 'my_step.json'));
        expect(report).toContain('7 passed, 0 failed');
      }, 600_000);
    },
  );
});
