/**
 * The plan the Spark runner (`python/quiver_spark`) executes: Node prepares, Python runs. The
 * plan is the pipeline with everything only the TypeScript host knows worked out: source files
 * resolved to paths and formats, every port's Arrow schema, and each module step's params as
 * the module reads them (filter and derive get their expression compiled against the input
 * schema, exactly as `src/runtime/step-params.ts` does for a local run). Node only.
 */
import { RecordBatchReader } from 'apache-arrow';
import type { ModuleCatalog } from '../modules/catalog';
import type { GrantedPermissions, ModuleManifest, StepLimits } from '../modules/manifest';
import { compileExpressionParams } from '../pipeline/expression';
import { topologicalOrder } from '../pipeline/graph';
import { applyBypass } from '../runtime/bypass';
import type { PipelineDocument, PortRef, Step } from '../pipeline/types';
import { concatStream } from '../runtime/ipc';
import { resolveNodeSource } from '../runtime/node-host';
import { formatOfName, type SourceFormat } from '../runtime/sources/format';
import {
  arrowFileSchema,
  moduleSchemas,
  parquetFileSchema,
  type PortSchemas,
  type SchemaProbe,
} from './spark-schemas';

/** Format tag and version of {@link SparkPlan}; `quiver_spark/plan.py` checks both. */
export const SPARK_PLAN_FORMAT = 'quiver-spark-plan';
export const SPARK_PLAN_VERSION = 1;

/** One step of a {@link SparkPlan}. Schemas are IPC Schema messages, base64. */
export interface SparkPlanStep {
  id: string;
  moduleId: string;
  /** A file source, or a WebAssembly module. */
  kind: 'source' | 'wasm';
  /** Sources only: the file's absolute path and how to read it. */
  source?: { path: string; format: SourceFormat };
  /** Modules only: what of the manifest the runner needs; the file is `<moduleId>.wasm`. */
  module?: {
    abi: 1 | 2;
    version: string;
    streamable: boolean;
    partialMerge: boolean;
    inputs: { name: string; type: 'arrow' | 'bytes' }[];
    outputs: string[];
  };
  /** The params as the module reads them (`qv_begin` / `/params.json`). */
  params: Record<string, unknown>;
  permissions: GrantedPermissions;
  limits: StepLimits;
  /** Input port → the output feeding it. */
  inputs: Record<string, PortRef>;
  /** Output port → its Arrow schema (absent for a `bytes` port). */
  schemas: Record<string, string>;
}

/** What the Spark runner executes. */
export interface SparkPlan {
  format: typeof SPARK_PLAN_FORMAT;
  version: typeof SPARK_PLAN_VERSION;
  pipeline: { id: string; name: string };
  /** In an order where every step comes after the steps feeding it. */
  steps: SparkPlanStep[];
  /** The pipeline's results: outputs feeding nothing (each step's `out`, else its first). */
  results: PortRef[];
  /**
   * Bypassed steps (`Step.bypass`), left out of `steps`, with the reason the CLI shows: passed
   * through (its consumers read its input), or switched off (skipped with its downstream).
   */
  skipped: { step: string; reason: string }[];
}

/** Where {@link buildSparkPlan} finds modules. */
export interface PlanContext {
  catalog: ModuleCatalog;
  loadModule: (id: string) => Promise<Uint8Array>;
}

/**
 * Works out the plan of `doc` (its source URIs already overridden by `--input`). Throws an
 * Error naming the step for an unknown module, an unreadable source, an expression that does
 * not fit its input, or a module that fails on its input schemas.
 */
export async function buildSparkPlan(
  original: PipelineDocument,
  ctx: PlanContext,
): Promise<SparkPlan> {
  const { doc, skipped } = withoutBypassed(original, ctx.catalog);
  const sorted = topologicalOrder(doc);
  if ('cycle' in sorted) throw new Error(`the pipeline has a cycle: ${sorted.cycle.join(' → ')}`);
  const byId = new Map(doc.steps.map((s) => [s.id, s]));
  const schemas = new Map<string, PortSchemas>();
  const steps: SparkPlanStep[] = [];
  for (const id of sorted.order) {
    const step = byId.get(id)!;
    const manifest = ctx.catalog.get(step.moduleId);
    if (manifest === undefined) throw new Error(`step "${id}": unknown module "${step.moduleId}"`);
    try {
      const planned = await planStep(doc, step, manifest, ctx, schemas, steps);
      steps.push(planned.step);
      schemas.set(id, planned.schemas);
    } catch (error) {
      throw new Error(`step "${id}": ${(error as Error).message}`, { cause: error });
    }
  }
  return {
    format: SPARK_PLAN_FORMAT,
    version: SPARK_PLAN_VERSION,
    pipeline: { id: doc.id, name: doc.name },
    steps,
    // A `bytes` port (a CSV source's whose reader was switched off) is no table to collect.
    results: resultPorts(doc, ctx).filter((r) =>
      steps.some((s) => s.id === r.step && s.schemas[r.port] !== undefined),
    ),
    skipped,
  };
}

/**
 * `doc` as a run sees it (`runtime/bypass.ts`): each bypassed step that passes its input
 * through taken out, its consumers fed by its producer; a bypassed step that cannot pass
 * through taken out with everything downstream of it, as the local run skips them.
 */
function withoutBypassed(
  original: PipelineDocument,
  catalog: ModuleCatalog,
): { doc: PipelineDocument; skipped: SparkPlan['skipped'] } {
  const { doc, passed, off } = applyBypass(original, catalog);
  const skipped = [...passed].map(([step, reason]) => ({ step, reason }));
  const gone = new Set(off.keys());
  for (const [step, reason] of off) skipped.push({ step, reason });
  const sorted = topologicalOrder(doc);
  for (const id of 'order' in sorted ? sorted.order : []) {
    const cause = doc.edges.find((e) => e.to.step === id && gone.has(e.from.step));
    if (gone.has(id) || cause === undefined) continue;
    gone.add(id);
    skipped.push({ step: id, reason: `needs "${cause.from.step}", which cannot run` });
  }
  const steps = doc.steps.filter((s) => !gone.has(s.id));
  const edges = doc.edges.filter((e) => !gone.has(e.from.step) && !gone.has(e.to.step));
  return { doc: { ...doc, steps, edges }, skipped };
}

/** The plan of one step and its output schemas, given the steps planned before it. */
async function planStep(
  doc: PipelineDocument,
  step: Step,
  manifest: ModuleManifest,
  ctx: PlanContext,
  schemas: Map<string, PortSchemas>,
  planned: SparkPlanStep[],
): Promise<{ step: SparkPlanStep; schemas: PortSchemas }> {
  const inputs: Record<string, PortRef> = {};
  for (const edge of doc.edges) if (edge.to.step === step.id) inputs[edge.to.port] = edge.from;
  const base = { id: step.id, moduleId: step.moduleId, permissions: step.permissions };
  if (manifest.kind === 'host') {
    const { path, format } = await locateSource(step);
    const out: PortSchemas = {};
    if (format === 'arrow') out['out'] = await arrowFileSchema(path);
    if (format === 'parquet') out['out'] = await parquetFileSchema(path);
    const plan: SparkPlanStep = {
      ...base,
      kind: 'source',
      source: { path, format },
      params: step.params,
      limits: step.limits,
      inputs,
      schemas: encodeSchemas(out),
    };
    return { step: plan, schemas: out };
  }
  const probeInputs: SchemaProbe['inputs'] = manifest.inputs.map((port) => {
    const from = inputs[port.name];
    if (from === undefined) throw new Error(`input '${port.name}' is not connected`);
    if (port.type === 'bytes') {
      const source = planned.find((s) => s.id === from.step)?.source;
      if (source === undefined)
        throw new Error(`input '${port.name}' must come from a file source`);
      return { file: source.path };
    }
    const schema = schemas.get(from.step)?.[from.port];
    if (schema === undefined)
      throw new Error(`input '${port.name}': "${from.step}".${from.port} carries no Arrow table`);
    return { schema };
  });
  const first = probeInputs[0];
  const params = await compiledParams(step, first && 'schema' in first ? first.schema : undefined);
  const wasm = await ctx.loadModule(manifest.id);
  const out = await moduleSchemas({ step, manifest, wasm, params, inputs: probeInputs });
  const plan: SparkPlanStep = {
    ...base,
    kind: 'wasm',
    module: {
      abi: manifest.abi,
      version: manifest.version,
      streamable: manifest.streamable,
      partialMerge: manifest.partialMerge ?? false,
      inputs: manifest.inputs.map((p) => ({ name: p.name, type: p.type })),
      outputs: manifest.outputs.map((p) => p.name),
    },
    params,
    limits: step.limits,
    inputs,
    schemas: encodeSchemas(out),
  };
  return { step: plan, schemas: out };
}

/** A source's file and format (the `format` param, else the file's extension). */
async function locateSource(step: Step): Promise<{ path: string; format: SourceFormat }> {
  const uri = step.params['uri'];
  if (typeof uri !== 'string') throw new Error('params.uri must be a string');
  const resolved = await resolveNodeSource(uri);
  if (!('path' in resolved)) throw new Error(`${uri}: not a file on this machine`);
  const { name, path } = resolved;
  const given = step.params['format'];
  const format = typeof given === 'string' ? (given as SourceFormat) : formatOfName(name);
  if (format === null) throw new Error(`${name}: unknown file format (give params.format)`);
  return { path, format };
}

/** The params as the module reads them: an `expression` compiled against the input schema. */
async function compiledParams(
  step: Step,
  schemaMessage: Uint8Array | undefined,
): Promise<Record<string, unknown>> {
  if (schemaMessage === undefined || !('expression' in step.params)) return step.params;
  const reader = await RecordBatchReader.from(concatStream([schemaMessage])).open();
  const compiled = compileExpressionParams(step.moduleId, step.params, reader.schema);
  if (compiled.ok) return compiled.params;
  throw new Error(`params.expression: ${compiled.errors.map((e) => e.message).join('; ')}`);
}

function encodeSchemas(schemas: PortSchemas): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [port, bytes] of Object.entries(schemas))
    out[port] = Buffer.from(bytes).toString('base64');
  return out;
}

/** Each step feeding nothing, at its `out` port (else its first output), as the CLI shows. */
function resultPorts(doc: PipelineDocument, ctx: PlanContext): PortRef[] {
  const feeding = new Set(doc.edges.map((e) => e.from.step));
  return doc.steps
    .filter((s) => !feeding.has(s.id))
    .map((s) => {
      const outputs = ctx.catalog.get(s.moduleId)?.outputs ?? [];
      const port = outputs.some((p) => p.name === 'out') ? 'out' : (outputs[0]?.name ?? 'out');
      return { step: s.id, port };
    });
}
