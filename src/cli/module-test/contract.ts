/**
 * The module contract test (`quiver module test`): runs one module, through the same runtime as
 * a pipeline run (a worker per step, the manifest's memory and time limits, the import check),
 * on each of the fixed inputs of `inputs.ts`, twice, and checks what ABI.md promises:
 *
 * - the step finishes within the manifest's `limits` (time, memory, output), and seven small
 *   batches within at most 64 MiB and 10 s (`tight-limits`);
 * - every output port is a well-formed Arrow IPC stream that apache-arrow reads;
 * - its schema is the one the module's schema rule promises (built-in modules), or, for a
 *   module without a rule, the same for every input (they all share one schema), as a
 *   streamable module must;
 * - the two runs give the same values: the first on two workers (a streamable ABI 2 step's
 *   batches are dealt across instances), the second on one, so a module that is not
 *   deterministic, or keeps state across batches while claiming to be streamable, fails.
 *
 * Only modules whose inputs are all `arrow` ports are tested; every input port gets the same
 * stream. The clock and randomness a manifest asks for are granted, deterministic; storage is not.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import { createCatalog } from '../../modules/catalog';
import type { GrantedPermissions, ModuleManifest } from '../../modules/manifest';
import { fromArrowSchema } from '../../pipeline/arrow-schema';
import { schemaRules } from '../../pipeline/schema-rules';
import { formatColumnType, type ColumnType, type TableSchema } from '../../pipeline/table-schema';
import { PIPELINE_FORMAT_VERSION, type PipelineDocument } from '../../pipeline/types';
import { nodeHost, sourceManifest } from '../../runtime/node-host';
import { runPipeline } from '../../runtime/run';
import type { RunResult } from '../../runtime/types';
import { tableDifferences } from './compare';
import { CONTRACT_SCHEMA, contractInputs, type ContractInput } from './inputs';

/** What to test. */
export interface ContractOptions {
  /** The module's `.wasm` bytes. */
  wasm: Uint8Array;
  /** Its manifest, already checked. */
  manifest: ModuleManifest;
  /** The step's params (valid against the manifest's params schema). */
  params: Record<string, unknown>;
  /** Only the inputs with these names (default: all). */
  only?: string[];
}

/** The outcome on one input. */
export interface CaseResult {
  input: string;
  about: string;
  rowsIn: number;
  /** Rows on each output port (first run), when it finished. */
  rowsOut?: Record<string, number>;
  /** Milliseconds of the first run's step. */
  ms: number;
  /** What went wrong; empty when the case passed. */
  problems: string[];
  /** What is worth knowing but not wrong (a column's encoding differs from the promise). */
  notes: string[];
}

/** The outcome on every input. */
export interface ContractReport {
  cases: CaseResult[];
  /** Problems that stopped the test before any input (e.g. a bytes input port). */
  problems: string[];
  ok: boolean;
}

/** The id of the step under test in {@link pipelineFor}. */
export const STEP = 'module';
const SOURCE = 'source';

/**
 * What the test grants: the clock and randomness the manifest asks for, deterministic (so that
 * two runs can be compared; Go's runtime imports both), and no `/data` directory.
 */
function grants(manifest: ModuleManifest): GrantedPermissions {
  const ask = manifest.permissions;
  return {
    storage: 'none',
    clock: ask.clock === true ? 'deterministic' : 'none',
    random: ask.random === true ? 'deterministic' : 'none',
  };
}

/** A pipeline `source → module` reading the stream at `path`, with the manifest's limits. */
export function pipelineFor(
  manifest: ModuleManifest,
  params: object,
  path: string,
): PipelineDocument {
  const step = (id: string, moduleId: string, p: object, limits: ModuleManifest['limits']) => ({
    id,
    moduleId,
    params: { ...p },
    permissions: grants(id === STEP ? manifest : sourceManifest),
    limits: { ...limits },
    position: { x: 0, y: 0 },
  });
  return {
    format: 'quiver-pipeline',
    version: PIPELINE_FORMAT_VERSION,
    id: 'module-test',
    name: 'module test',
    steps: [
      step(SOURCE, 'source', { uri: path }, sourceManifest.limits),
      step(STEP, manifest.id, params, manifest.limits),
    ],
    edges: manifest.inputs.map((port) => ({
      id: `source-${port.name}`,
      from: { step: SOURCE, port: 'out' },
      to: { step: STEP, port: port.name },
    })),
  };
}

/** Decodes one output stream, or says why it is not well-formed IPC. */
function decode(port: string, bytes: Uint8Array | undefined): Table | string {
  if (bytes === undefined || bytes.byteLength === 0) return `output "${port}" is empty`;
  try {
    return tableFromIPC(bytes);
  } catch (error) {
    return `output "${port}" is not a readable Arrow IPC stream: ${(error as Error).message}`;
  }
}

/** The type with any dictionary encoding removed: what the values are. */
function valueType(t: ColumnType): ColumnType {
  return t.type === 'dictionary' ? valueType(t.value) : t;
}

/**
 * How schema `got` differs from `want`, one sentence per difference. A column whose values have
 * the promised type but another encoding (plain where the promise says dictionary, or back) is
 * only a note: its readers see the same values.
 */
export function schemaDifferences(
  got: TableSchema,
  want: TableSchema,
): { problems: string[]; notes: string[] } {
  const names = (s: TableSchema) => s.fields.map((f) => f.name).join(', ');
  if (
    got.fields.length !== want.fields.length ||
    got.fields.some((f, i) => f.name !== want.fields[i]?.name)
  ) {
    return { problems: [`columns are (${names(got)}), expected (${names(want)})`], notes: [] };
  }
  const problems: string[] = [];
  const notes: string[] = [];
  got.fields.forEach((f, i) => {
    const w = want.fields[i]!;
    const [a, b] = [formatColumnType(f.type), formatColumnType(w.type)];
    if (a === b) return;
    const sameValues = formatColumnType(valueType(f.type)) === formatColumnType(valueType(w.type));
    (sameValues ? notes : problems).push(`column "${f.name}" is ${a}, expected ${b}`);
  });
  return { problems, notes };
}

/** The output schema a built-in module's rule promises for the contract input, if it has one. */
function promisedSchemas(manifest: ModuleManifest, params: Record<string, unknown>) {
  const rule = schemaRules[manifest.id];
  if (rule === undefined) return undefined;
  const input = { known: true as const, schema: fromArrowSchema(CONTRACT_SCHEMA) };
  const inputs = Object.fromEntries(manifest.inputs.map((p) => [p.name, input]));
  const result = rule({ params, inputs, known: undefined });
  const errors = result.issues.filter((i) => i.severity === 'error');
  if (errors.length > 0) {
    const list = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    throw new Error(`the params do not fit the contract inputs: ${list}`);
  }
  return result.outputs;
}

/** Checks of one finished run: well-formed outputs and the promised schemas. */
function checkOutputs(
  manifest: ModuleManifest,
  run: RunResult,
  promised: ReturnType<typeof promisedSchemas>,
  seen: Map<string, TableSchema>,
): { problems: string[]; notes: string[] } {
  const problems: string[] = [];
  const notes: string[] = [];
  for (const port of manifest.outputs) {
    const table = decode(port.name, run.collected[`${STEP}.${port.name}`]);
    if (typeof table === 'string') {
      problems.push(table);
      continue;
    }
    const schema = fromArrowSchema(table.schema);
    // Without a rule, the first input's schema is the promise: they all share one input schema.
    const promise = promised?.[port.name];
    const want = promise?.known ? promise.schema : seen.get(port.name);
    if (want !== undefined) {
      const { problems: wrong, notes: encodings } = schemaDifferences(schema, want);
      problems.push(...wrong.map((d) => `output "${port.name}": ${d}`));
      notes.push(...encodings.map((d) => `output "${port.name}": ${d}`));
    } else seen.set(port.name, schema);
  }
  return { problems, notes };
}

/**
 * Whether every collected port holds the same values in both runs. Values, not bytes: one
 * instance writes a dictionary once, two instances once each, and both streams are right.
 */
function sameValues(a: RunResult, b: RunResult): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(a.collected)) {
    const [x, y] = [a.collected[key], b.collected[key]];
    const port = key.slice(STEP.length + 1);
    const where = `output "${port}" differs between a run on two workers and one on one`;
    if (x === undefined || y === undefined) {
      problems.push(`${where}: missing`);
      continue;
    }
    const differences = tableDifferences(tableFromIPC(x), tableFromIPC(y));
    if (differences.length > 0)
      problems.push(`${where} (state kept across batches?): ${differences[0]}`);
  }
  return problems;
}

/** Runs the contract test; never throws for a misbehaving module. */
export async function runContract(opts: ContractOptions): Promise<ContractReport> {
  const { manifest, params } = opts;
  const bytesPorts = manifest.inputs.filter((p) => p.type !== 'arrow').map((p) => p.name);
  if (bytesPorts.length > 0) {
    const problem = `inputs ${bytesPorts.join(', ')} are bytes ports; the contract test feeds arrow ports only`;
    return { cases: [], problems: [problem], ok: false };
  }
  const promised = promisedSchemas(manifest, params);
  const host = await nodeHost();
  const catalog = createCatalog([
    { manifest, fileName: `${manifest.id}.json` },
    { manifest: sourceManifest, fileName: 'source.json' },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'quiver-module-test-'));
  const seen = new Map<string, TableSchema>();
  const cases: CaseResult[] = [];
  try {
    const inputs = contractInputs().filter((i) => !opts.only || opts.only.includes(i.name));
    for (const input of inputs) {
      const run = async (parallelism: number) =>
        runPipeline(pipelineFor(limitedBy(manifest, input), params, fileOf(dir, input)), {
          ...host,
          catalog,
          loadModule: async () => opts.wasm,
          parallelism,
          projectColumns: false,
          collect: manifest.outputs.map((p) => `${STEP}.${p.name}`),
        });
      cases.push(await runCase(input, run, (r) => checkOutputs(manifest, r, promised, seen)));
    }
  } finally {
    host.pool.terminate();
    rmSync(dir, { recursive: true, force: true });
  }
  return { cases, problems: [], ok: cases.every((c) => c.problems.length === 0) };
}

/** `manifest` with its limits lowered to `input`'s tight limits, if it has any. */
function limitedBy(manifest: ModuleManifest, input: ContractInput): ModuleManifest {
  const tight = input.tightLimits;
  if (tight === undefined) return manifest;
  const limits = {
    ...manifest.limits,
    maxMemoryMiB: Math.min(manifest.limits.maxMemoryMiB, tight.maxMemoryMiB),
    timeoutMs: Math.min(manifest.limits.timeoutMs, tight.timeoutMs),
  };
  return { ...manifest, limits };
}

/** Writes `input`'s stream to `dir` and returns the path. */
function fileOf(dir: string, input: ContractInput): string {
  const path = join(dir, `${input.name}.arrows`);
  writeFileSync(path, input.stream);
  return path;
}

/** Runs one input twice and checks it. */
async function runCase(
  input: ContractInput,
  run: (parallelism: number) => Promise<RunResult>,
  check: (r: RunResult) => { problems: string[]; notes: string[] },
): Promise<CaseResult> {
  const rowsIn = input.batchRows.reduce((a, b) => a + b, 0);
  const base = { input: input.name, about: input.about, rowsIn };
  const first = await run(2);
  const step = first.steps[STEP];
  if (!first.ok || step?.status !== 'finished') {
    const why = step?.message ?? first.steps[SOURCE]?.message ?? 'did not finish';
    return { ...base, ms: step?.ms ?? 0, problems: [`step failed: ${why}`], notes: [] };
  }
  const { problems, notes } = check(first);
  const second = await run(1);
  if (!second.ok) problems.push(`second run failed: ${second.steps[STEP]?.message ?? ''}`);
  else problems.push(...sameValues(first, second));
  return { ...base, rowsOut: step.rowsByPort, ms: step.ms, problems, notes };
}
