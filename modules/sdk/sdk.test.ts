/**
 * Evidence for the C guest SDK:
 * - every golden Arrow IPC stream of ../shared/conformance round-trips through a wasm module
 *   built with the SDK (test-fixtures/sdk/roundtrip.c, ABI v1), and through an ABI v2 module
 *   (test-fixtures/sdk/roundtrip_step.c, one message per push), checked with apache-arrow as
 *   the oracle; streams with unsupported types fail, naming the type and field (expected names
 *   derived from the streams' JSON twins);
 * - every hostile stream of the conformance fuzz folder is rejected with an error by a native
 *   ASan/UBSan build of the reader, with no sanitizer report;
 * - the JSON parameter parser's C unit tests pass under the sanitizers;
 * - the ABI v2 driver, played message by message by a native host (step_v2_test.c) under the
 *   sanitizers, never reads a pushed block after freeing it and writes what the v1 path writes;
 * - the ABI.md example module (one source) behaves the same in its v1 and v2 builds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  Dictionary,
  type Field,
  Float64,
  Int32,
  Utf8,
  RecordBatchReader,
  type Schema,
  Table,
  tableFromArrays,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSchema } from '../../src/modules/json-schema';
import { manifestSchema } from '../../src/modules/manifest';
import { runWasiCommand } from '../../src/runtime/wasi-host';
import { DRIVER_SOURCES, buildNativeSanitized, buildWasm, repoRoot } from './c-build';
import { runReactor } from './reactor.testkit';

const conformance = join(repoRoot, '../shared/conformance/arrow-ipc');
const goldenDir = join(conformance, 'golden');
const fuzzDir = join(conformance, 'fuzz');
const goldenFiles = readdirSync(goldenDir)
  .filter((f) => f.endsWith('.stream'))
  .sort();

/** A field of the Arrow integration JSON format (the golden files' twins). */
interface JsonField {
  name: string;
  type: { name: string; bitWidth?: number; unit?: string; mode?: string };
  children?: JsonField[];
}
interface JsonTwin {
  schema: { fields: JsonField[] };
  batches: { count: number }[];
}

/** How the SDK must name an integration-JSON type it refuses; undefined when supported. */
function refusedName(t: JsonField['type']): string | undefined {
  switch (t.name) {
    case 'decimal':
      return `Decimal${t.bitWidth ?? 128}`;
    case 'interval':
      return `Interval(${t.unit})`;
    case 'union':
      return t.mode === 'SPARSE' ? 'Union(Sparse)' : 'Union(Dense)';
    case 'list':
      return 'List';
    case 'largelist':
      return 'LargeList';
    case 'fixedsizelist':
      return 'FixedSizeList';
    case 'fixedsizebinary':
      return 'FixedSizeBinary';
    case 'struct':
      return 'Struct';
    case 'map':
      return 'Map';
    case 'floatingpoint':
      return (t as { precision?: string }).precision === 'HALF' ? 'Float16' : undefined;
    default:
      return undefined;
  }
}

function twin(file: string): JsonTwin {
  const gz = readFileSync(join(goldenDir, file.replace(/\.stream$/, '.json.gz')));
  return JSON.parse(gunzipSync(gz).toString('utf8')) as JsonTwin;
}

/** A value in a form `toEqual` compares exactly (bigint, bytes, NaN, -0 included). */
function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return `bigint:${v}`;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  if (typeof v === 'number') return Object.is(v, -0) ? 'number:-0' : Number.isNaN(v) ? 'NaN' : v;
  return v;
}

function describeField(f: Field): string {
  return `${f.name}: ${String(f.type)}${f.nullable ? '' : ' not null'}`;
}

/** Batches of a stream, as apache-arrow decodes them (schema read before the batches). */
function decode(bytes: Uint8Array): { schema: Schema; rows: unknown[][][] } {
  const reader = RecordBatchReader.from(bytes);
  reader.open({ autoDestroy: false });
  const schema = reader.schema;
  const rows = reader.readAll().map((batch) =>
    schema.fields.map((_, c) => {
      const col = batch.getChildAt(c);
      return Array.from({ length: batch.numRows }, (_, i) => norm(col?.get(i)));
    }),
  );
  return { schema, rows };
}

let work: string;
let roundtrip: WebAssembly.Module;
let roundtripV2: WebAssembly.Module;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'quiver-sdk-test-'));
  const wasmPath = join(work, 'roundtrip.wasm');
  buildWasm(['test-fixtures/sdk/roundtrip.c'], wasmPath);
  roundtrip = new WebAssembly.Module(readFileSync(wasmPath));
  const v2Path = join(work, 'roundtrip-v2.wasm');
  buildWasm(['test-fixtures/sdk/roundtrip_step.c'], v2Path, { abi: 2 });
  roundtripV2 = new WebAssembly.Module(readFileSync(v2Path));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runRoundtrip(input: Uint8Array) {
  return runWasiCommand({ module: roundtrip, files: { '/in/in.arrow': input } });
}

/** Expects `output` to hold the schema and the batches of `input`, value for value. */
function expectSameStream(output: Uint8Array, input: Uint8Array): void {
  const want = decode(input);
  const got = decode(output);
  expect(got.schema.fields.map(describeField)).toEqual(want.schema.fields.map(describeField));
  expect(got.rows.length).toBe(want.rows.length);
  want.rows.forEach((batch, b) => {
    batch.forEach((column, c) => {
      expect(got.rows[b]?.[c], `batch ${b}, column ${want.schema.fields[c]?.name}`).toEqual(column);
    });
  });
}

describe('golden Arrow IPC streams through a wasm module built with the SDK', () => {
  const supported: string[] = [];
  const refused: string[] = [];
  afterAll(() => {
    console.log(`supported as a whole: ${supported.join(', ')}`);
    console.log(`refused (supported columns checked separately): ${refused.join(', ')}`);
  });

  for (const file of goldenFiles) {
    it(file, () => {
      const original = new Uint8Array(readFileSync(join(goldenDir, file)));
      const fields = twin(file).schema.fields;
      const firstRefused = fields.find((f) => refusedName(f.type) !== undefined);
      let input: Uint8Array = original;
      if (firstRefused !== undefined) {
        refused.push(file.replace(/^generated_|\.stream$/g, ''));
        const message = `unsupported Arrow type ${refusedName(firstRefused.type)} in field '${firstRefused.name}'`;
        const result = runRoundtrip(original);
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toContain(message);
        const v2 = runReactor(roundtripV2, {}, original);
        expect(v2.statuses).toEqual([0, 2]); // refused at the schema push
        expect(v2.reactor.stderr).toBe(`error: roundtrip: input 'in': ${message}\n`);
        // The supported columns, re-encoded by apache-arrow, must still round-trip.
        const keep = fields.flatMap((f, i) => (refusedName(f.type) === undefined ? [i] : []));
        if (keep.length === 0) return;
        input = tableToIPC(tableFromIPC(original).selectAt(keep), 'stream');
      } else {
        supported.push(file.replace(/^generated_|\.stream$/g, ''));
      }
      const result = runRoundtrip(input);
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      const output = result.outputs['/out/out.arrow'];
      expect(output).toBeDefined();
      expectSameStream(output as Uint8Array, input);
      const v2 = runReactor(roundtripV2, {}, input, { reuseFreed: true });
      expect(v2.reactor.stderr).toBe('');
      expect(v2.ok).toBe(true);
      expectSameStream(v2.reactor.output(), input);
    });
  }
});

describe('real data through the round-trip module', () => {
  it('reads an Arrow IPC *file* (flights-200k.arrow) and writes the same values as a stream', () => {
    const file = join(repoRoot, 'node_modules/vega-datasets/data/flights-200k.arrow');
    const bytes = new Uint8Array(readFileSync(file));
    expect(Buffer.from(bytes.subarray(0, 6)).toString('latin1')).toBe('ARROW1');
    const result = runRoundtrip(bytes);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const want = tableFromIPC(bytes);
    const got = tableFromIPC(result.outputs['/out/out.arrow'] as Uint8Array);
    expect(got.schema.fields.map(describeField)).toEqual(want.schema.fields.map(describeField));
    expect(got.numRows).toBe(200_000);
    want.schema.fields.forEach((f, c) => {
      expect(got.getChildAt(c)?.toArray(), f.name).toEqual(want.getChildAt(c)?.toArray());
    });
  });
});

describe('dictionaries that change between batches', () => {
  it('round-trips a dictionary column whose dictionary differs per batch (apache-arrow writes it)', () => {
    const type = new Dictionary(new Utf8(), new Int32());
    const first = vectorFromArray(['a', 'b', 'a'], type);
    const second = vectorFromArray(['c', null, 'a', 'd'], type);
    const input = tableToIPC(new Table({ d: first }).concat(new Table({ d: second })), 'stream');
    const result = runRoundtrip(input);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const got = decode(result.outputs['/out/out.arrow'] as Uint8Array);
    expect(got.schema.fields.map(describeField)).toEqual(['d: Dictionary<Int32, Utf8>']);
    expect(got.rows).toEqual([[['a', 'b', 'a']], [['c', null, 'a', 'd']]]);
  });
});

describe('native reader under AddressSanitizer and UndefinedBehaviorSanitizer', () => {
  let harness: string;
  let ipcTest: string;
  let jsonTest: string;
  let stepV2Test: string;
  beforeAll(async () => {
    harness = join(work, 'ipc_harness');
    ipcTest = join(work, 'ipc_test');
    jsonTest = join(work, 'json_test');
    stepV2Test = join(work, 'step_v2_test');
    await buildNativeSanitized(
      [
        { sources: ['test-fixtures/sdk/ipc_harness.c'], out: harness },
        { sources: ['modules/sdk/ipc_test.c'], out: ipcTest },
        { sources: ['modules/sdk/json_test.c'], out: jsonTest },
        { sources: ['modules/sdk/step_v2_test.c', DRIVER_SOURCES[2]], out: stepV2Test },
      ],
      work,
    );
  });

  function runHarness(files: string[]) {
    const r = spawnSync(harness, files, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
  }

  it('rejects every conformance fuzz stream with an error and no sanitizer report', () => {
    const files = readdirSync(fuzzDir)
      .sort()
      .map((f) => join(fuzzDir, f));
    expect(files.length).toBeGreaterThan(50);
    const r = runHarness(files);
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error|LeakSanitizer/);
    expect(r.signal).toBeNull();
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // Each file is checked twice (aligned and misaligned buffer).
    expect(lines.length).toBe(files.length * 2);
    for (const line of lines) expect(line).toMatch(/: error (22|95) \S/);
  });

  it('reads the golden streams with the batch and row counts of their JSON twins', () => {
    const r = runHarness(goldenFiles.map((f) => join(goldenDir, f)));
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error|LeakSanitizer/);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    goldenFiles.forEach((file, k) => {
      const t = twin(file);
      const line = lines[2 * k] ?? '';
      if (t.schema.fields.some((f) => refusedName(f.type) !== undefined)) {
        expect(line).toMatch(/: error 95 unsupported Arrow type/);
      } else {
        const rows = t.batches.reduce((n, b) => n + b.count, 0);
        expect(line).toBe(`${join(goldenDir, file)}: ok ${t.batches.length} ${rows}`);
      }
    });
  });

  it('handles the streams that fuzzing once broke (test-fixtures/sdk/regressions)', () => {
    // shared-dictionary-id-type-mismatch: use after free in the error message;
    // nulls-in-non-nullable-field: the writer refused a batch the reader accepted.
    const dir = join(repoRoot, 'test-fixtures/sdk/regressions');
    const files = readdirSync(dir)
      .sort()
      .map((f) => join(dir, f));
    const r = runHarness(files);
    expect(r.stderr).not.toMatch(/AddressSanitizer|runtime error|LeakSanitizer/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('nulls-in-non-nullable-field.stream: ok 1 ');
    expect(r.stdout).toContain(
      "shared-dictionary-id-type-mismatch.stream: error 22 fields 'dict1' and 'dict2' share dictionary id 2",
    );
  });

  it('passes the IPC, builder and writer unit tests (modules/sdk/ipc_test.c)', () => {
    // Hand-built streams for each refused feature (big-endian, V3 metadata, LZ4/ZSTD bodies,
    // Decimal, BinaryView, buffers outside the body, decreasing offsets, dictionary indices
    // outside the dictionary), legacy framing, the file-format wrapper, truncation, builders.
    const r = spawnSync(ipcTest, { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok \d+ checks\n$/);
    expect(r.status).toBe(0);
  });

  it('drives the v2 driver message by message without touching freed blocks (step_v2_test.c)', () => {
    // Golden streams, plus dictionaries that change per batch and one dictionary for many
    // batches, each message in its own push; the output must equal the v1 path's bytes.
    const type = new Dictionary(new Utf8(), new Int32());
    const perBatch = new Table({ d: vectorFromArray(['a', 'b', 'a'], type) }).concat(
      new Table({ d: vectorFromArray(['c', null, 'a', 'd'], type) }),
    );
    const shared = new Table({ d: vectorFromArray(['x', 'y', null, 'x', 'z', 'y'], type) });
    const sharedBatches = new Table([0, 2, 4].map((at) => shared.batches[0]!.slice(at, at + 2)));
    const extra = { 'per-batch.stream': perBatch, 'shared.stream': sharedBatches };
    for (const [name, table] of Object.entries(extra)) {
      writeFileSync(join(work, name), tableToIPC(table, 'stream'));
    }
    const files = [
      ...goldenFiles.map((f) => join(goldenDir, f)),
      ...Object.keys(extra).map((f) => join(work, f)),
    ];
    for (const file of files) {
      for (const mode of ['stream', 'holds']) {
        const r = spawnSync(stepV2Test, [mode, file], { encoding: 'utf8' });
        const what = `${mode} ${file}`;
        expect(r.stderr, what).not.toMatch(/AddressSanitizer|runtime error|LeakSanitizer/);
        expect(r.status, what).toBe(0);
        const refused =
          goldenFiles.includes(file.split('/').pop()!) &&
          twin(file.split('/').pop()!).schema.fields.some((f) => refusedName(f.type) !== undefined);
        if (refused) {
          expect(r.stdout, what).toBe('error status 2\n');
          expect(r.stderr, what).toMatch(/^error: roundtrip: input 'in': unsupported Arrow type/);
        } else {
          expect(r.stdout, what).toMatch(/^ok \d+ \d+\n$/);
        }
      }
    }
  });

  it('passes the JSON parser unit tests (modules/sdk/json_test.c)', () => {
    const r = spawnSync(jsonTest, { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok \d+ checks\n$/);
    expect(r.status).toBe(0);
  });
});

describe.each([2, 1] as const)(
  'the ABI.md example module (test-fixtures/sdk/example/scale.c), ABI v%i build',
  (abi) => {
    let scale: WebAssembly.Module;
    beforeAll(() => {
      const wasmPath = join(work, `scale-v${abi}.wasm`);
      buildWasm(['test-fixtures/sdk/example/scale.c'], wasmPath, { abi });
      scale = new WebAssembly.Module(readFileSync(wasmPath));
    });

    /** Runs the build on `input` with `params`: exit code (v2: 1 on a failed status), stderr,
     * output stream. */
    function runScale(input: Uint8Array, params: unknown) {
      if (abi === 2) {
        const run = runReactor(scale, params, input);
        const output = run.ok ? run.reactor.output() : undefined;
        return { exitCode: run.ok ? 0 : 1, stderr: run.reactor.stderr, output };
      }
      const files = {
        '/in/in.arrow': input,
        '/params.json': new TextEncoder().encode(JSON.stringify(params)),
      };
      const r = runWasiCommand({ module: scale, files });
      return { exitCode: r.exitCode, stderr: r.stderr, output: r.outputs['/out/out.arrow'] };
    }

    it('has a manifest valid against the manifest schema', () => {
      const manifest: unknown = JSON.parse(
        readFileSync(join(repoRoot, 'test-fixtures/sdk/example/scale.json'), 'utf8'),
      );
      const validate = compileSchema(manifestSchema);
      expect(validate(manifest), JSON.stringify(validate.errors)).toBe(true);
    });

    it('adds <column>_scaled over every batch, keeping nulls and the other columns', () => {
      const x = [1.5, null, -2, 1e300, 0];
      const n = [1, 2, null, 4, 5];
      const table = new Table({
        x: vectorFromArray(x, new Float64()),
        n: vectorFromArray(n, new Int32()),
      });
      const two = tableToIPC(table.concat(table.slice(1, 3)), 'stream');
      const r = runScale(two, { column: 'x', factor: 3 });
      expect(r.stderr).toBe('scaled x by 3\n');
      expect(r.exitCode).toBe(0);
      const out = tableFromIPC(r.output as Uint8Array);
      expect(out.schema.fields.map(describeField)).toEqual([
        'x: Float64',
        'n: Int32',
        'x_scaled: Float64',
      ]);
      const xs = [...x, ...x.slice(1, 3)];
      expect(out.getChild('x_scaled')?.toJSON()).toEqual(
        xs.map((v) => (v === null ? null : v * 3)),
      );
      expect(out.getChild('n')?.toJSON()).toEqual([...n, ...n.slice(1, 3)]);
    });

    it('fails with a message naming the parameter or the column', () => {
      const input = tableToIPC(tableFromArrays({ s: ['a'] }), 'stream');
      const missing = runScale(input, {});
      expect(missing.exitCode).toBe(1);
      expect(missing.stderr).toBe("error: parameter 'column' is missing\n");
      const wrongType = runScale(input, { column: 's' });
      expect(wrongType.stderr).toBe("error: column 's' is utf8, not a number\n");
    });
  },
);
