/**
 * The select, limit, sort and aggregate C sources built natively with AddressSanitizer and
 * UndefinedBehaviorSanitizer (clang-19) and run on the same inputs as the wasm tests: every
 * run must finish without a sanitizer report, and its output must decode to the same table
 * as the wasm build's. Error paths (unknown columns, overflow) must exit 1 cleanly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { Table } from 'apache-arrow';
import { DRIVER_SOURCES, SANITIZE_FLAGS, sdkSources } from '../sdk/c-build';
import {
  REPO_ROOT,
  dictionaryEncode,
  dictionaryPerBatch,
  loadDataset,
  loadQuery,
  openOracle,
  rechunk,
  runModule,
  withoutBatches,
} from './testkit';
import type { Oracle } from './testkit';

const MODULES: Record<string, string[]> = {
  select: ['modules/select/select.c'],
  limit: ['modules/limit/limit.c'],
  sort: ['modules/sort/sort.c', 'modules/sort/sort_perm.c'],
  aggregate: [
    'modules/aggregate/aggregate.c',
    'modules/aggregate/groups.c',
    'modules/aggregate/ops.c',
  ],
};

let work: string;
let driver: string;
let oracle: Oracle;
const inputs: Record<string, Table> = {};

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'quiver-relational-native-'));
  const objects: string[] = [];
  for (const [id, moduleSources] of Object.entries(MODULES)) {
    const dir = join(work, id);
    mkdirSync(dir);
    // A QV_MODULE module gets its `main` from the SDK's v1 driver; each module's copy of the
    // driver and of its definition is renamed, so that they can share one executable.
    const oneSource = moduleSources.some((s) =>
      /^QV_MODULE\(/m.test(readFileSync(join(REPO_ROOT, s), 'utf8')),
    );
    const sources = oneSource ? [...moduleSources, DRIVER_SOURCES[1]] : moduleSources;
    const renames = [`-Dmain=${id}_main`];
    if (oneSource) renames.push(`-Dqv_module_definition_=${id}_definition`);
    execFileSync(
      'clang-19',
      [...SANITIZE_FLAGS, ...renames, '-c', ...sources.map((s) => join(REPO_ROOT, s))],
      { cwd: dir },
    );
    for (const s of sources) objects.push(join(dir, s.split('/').pop()!.replace(/\.c$/, '.o')));
  }
  driver = join(work, 'driver');
  execFileSync(
    'clang-19',
    [
      ...SANITIZE_FLAGS,
      '-Wl,--wrap=fopen',
      '-o',
      driver,
      join(REPO_ROOT, 'modules/sort/native_driver_test.c'),
      ...objects,
      // The expression evaluator (filter/derive) is not used here; leaving it out saves a third of the build.
      ...sdkSources()
        .filter((s) => !s.startsWith('modules/sdk/expr'))
        .map((s) => join(REPO_ROOT, s)),
      '-lm',
    ],
    { cwd: work },
  );

  oracle = await openOracle();
  inputs.weather = rechunk(
    await loadDataset(oracle, 'weather', 'seattle-weather.csv'),
    [0, 100, 0, 400],
  );
  inputs.flights = await loadDataset(oracle, 'flights', 'flights-200k.arrow', 30_000);
  inputs.nullable = await loadQuery(
    oracle,
    'nullable',
    `SELECT date, CASE WHEN file_row_number % 7 = 3 THEN NULL ELSE temp_max END AS t,
            CASE WHEN file_row_number % 11 = 2 THEN NULL ELSE weather END AS kind,
            CASE file_row_number % 13 WHEN 0 THEN 'NaN'::DOUBLE WHEN 4 THEN NULL ELSE wind END AS w
     FROM weather ORDER BY file_row_number`,
    333,
  );
  inputs.dictionary = rechunk(dictionaryEncode(inputs.weather, 'weather'), [300, 0, 500]);
  inputs.perBatch = dictionaryPerBatch(inputs.nullable, 'kind', 250);
  inputs.empty = withoutBatches(inputs.weather);
}, 300_000);

afterAll(() => {
  oracle?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Runs the native build of `id`; returns exit status, stderr and output bytes. */
function runNative(id: string, input: Table, params: unknown) {
  const root = mkdtempSync(join(work, 'run-'));
  mkdirSync(join(root, 'in'));
  mkdirSync(join(root, 'out'));
  writeFileSync(join(root, 'in/in.arrow'), tableToIPC(input, 'stream'));
  writeFileSync(join(root, 'params.json'), JSON.stringify(params));
  const run = spawnSync(driver, [id], {
    env: { ...process.env, QV_TEST_ROOT: root },
    encoding: 'utf8',
  });
  let output: Uint8Array | undefined;
  try {
    output = readFileSync(join(root, 'out/out.arrow'));
  } catch {
    output = undefined;
  }
  return { status: run.status, stderr: run.stderr, output };
}

function columnsOf(table: Table): Record<string, unknown[]> {
  return Object.fromEntries(table.schema.fields.map((f) => [f.name, [...table.getChild(f.name)!]]));
}

const CASES: [string, string, unknown][] = [
  ['select', 'weather', { columns: [{ name: 'weather', as: 'kind' }, { name: 'date' }] }],
  ['select', 'dictionary', { drop: ['wind'], rename: [{ name: 'date', as: 'day' }] }],
  ['limit', 'weather', { offset: 95, count: 300 }],
  ['limit', 'dictionary', { offset: 299, count: 2 }],
  [
    'sort',
    'nullable',
    {
      keys: [
        { column: 'kind', nulls: 'first' },
        { column: 'w', descending: true },
      ],
    },
  ],
  ['sort', 'flights', { keys: [{ column: 'delay' }, { column: 'time', descending: true }] }],
  ['sort', 'perBatch', { keys: [{ column: 'kind', descending: true }] }],
  ['sort', 'dictionary', { keys: [{ column: 'weather' }, { column: 'date', descending: true }] }],
  ['sort', 'empty', { keys: [{ column: 'date' }] }],
  [
    'aggregate',
    'nullable',
    {
      groupBy: ['kind'],
      aggregates: [
        { name: 'n', op: 'count' },
        { name: 'd', op: 'count_distinct', column: 'w' },
        { name: 's', op: 'sum', column: 't' },
        { name: 'm', op: 'mean', column: 'w' },
        { name: 'lo', op: 'min', column: 'kind' },
        { name: 'hi', op: 'max', column: 'w' },
        { name: 'f', op: 'first', column: 't' },
        { name: 'l', op: 'last', column: 'date' },
      ],
    },
  ],
  [
    'aggregate',
    'perBatch',
    { groupBy: ['kind', 'date'], aggregates: [{ name: 'n', op: 'count' }] },
  ],
  [
    'aggregate',
    'dictionary',
    { groupBy: ['weather'], aggregates: [{ name: 'x', op: 'max', column: 'weather' }] },
  ],
  [
    'aggregate',
    'flights',
    {
      groupBy: ['distance'],
      aggregates: [
        { name: 's', op: 'sum', column: 'delay' },
        { name: 'd', op: 'count_distinct', column: 'time' },
      ],
    },
  ],
  [
    'aggregate',
    'empty',
    {
      aggregates: [
        { name: 'n', op: 'count' },
        { name: 'f', op: 'first', column: 'weather' },
      ],
    },
  ],
];

describe('native ASan/UBSan builds of select, limit, sort, aggregate', () => {
  it.each(CASES)('%s on %s: no sanitizer report, same output as wasm', (id, input, params) => {
    const table = inputs[input]!;
    const native = runNative(id, table, params);
    expect(native.status, native.stderr).toBe(0);
    expect(native.stderr).toBe('');
    const wasm = runModule(id, tableToIPC(table, 'stream'), params);
    expect(wasm.exitCode, wasm.stderr).toBe(0);
    const fromNative = tableFromIPC(native.output!);
    expect(fromNative.schema.fields.map((f) => String(f))).toEqual(
      wasm.output!.schema.fields.map((f) => String(f)),
    );
    expect(columnsOf(fromNative)).toEqual(columnsOf(wasm.output!));
  });

  it('fails cleanly (exit 1, no sanitizer report) on bad parameters', () => {
    const bad: [string, unknown][] = [
      ['select', { columns: [{ name: 'nope' }] }],
      ['sort', { keys: [{ column: 'nope' }] }],
      ['aggregate', { groupBy: ['nope'], aggregates: [] }],
      ['limit', { count: -3 }],
    ];
    for (const [id, params] of bad) {
      const run = runNative(id, inputs.weather!, params);
      expect(run.status, run.stderr).toBe(1);
      expect(run.stderr).not.toContain('Sanitizer');
      expect(run.stderr).toContain(`${id}:`);
    }
  });
});
