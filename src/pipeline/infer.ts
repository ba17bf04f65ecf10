/**
 * Schema propagation: the schema of every port, computed from sources down through each step's
 * rule (`schema-rules/`), before anything runs. Column references in params are checked on
 * the way. Where a schema cannot be known yet (a CSV file not previewed, a module without a
 * rule) it is `unknown`, which disables checks downstream instead of failing.
 */
import type { ModuleCatalog } from '../modules/catalog';
import { schemaRules, type SchemaRule } from './schema-rules';
import { topologicalOrder } from './graph';
import { paramIssue, type ValidationIssue } from './issues';
import { unknownSchema, type SchemaInfo, type TableSchema } from './table-schema';
import type { PipelineDocument } from './types';

/** Output schemas seen in a previous run or preview: step id → output port → schema. */
export type KnownSchemas = Readonly<Record<string, Readonly<Record<string, TableSchema>>>>;

/** Step id → port name → what is known about that port's data. */
export type PortSchemas = Record<string, Record<string, SchemaInfo>>;

/** Result of {@link inferSchemas}. */
export interface InferredSchemas {
  /** Each step's input ports (for the inspector's column pickers). */
  inputs: PortSchemas;
  /** Each step's output ports. */
  outputs: PortSchemas;
  /** Column references and expressions that do not fit their input schema. */
  issues: ValidationIssue[];
}

/**
 * Propagate schemas through `doc`. `knownSchemas` supplies outputs that cannot be inferred
 * (sources, modules without a rule); it is used only where inference gives `unknown`, and the
 * caller must drop entries made stale by edits to the step producing them (compare
 * `stepFingerprints`). Steps whose params are invalid, or with an unknown module, get unknown
 * outputs and no rule issues (the validator reports those problems itself). Never throws for a
 * bad document.
 */
export function inferSchemas(
  doc: PipelineDocument,
  catalog: Pick<ModuleCatalog, 'get' | 'validateParams'>,
  knownSchemas: KnownSchemas = {},
  rules: Readonly<Record<string, SchemaRule>> = schemaRules,
): InferredSchemas {
  const result: InferredSchemas = { inputs: {}, outputs: {}, issues: [] };
  const sorted = topologicalOrder(doc);
  const stepById = new Map(doc.steps.map((s) => [s.id, s]));
  if ('cycle' in sorted) {
    for (const s of doc.steps) {
      result.inputs[s.id] = {};
      result.outputs[s.id] = {};
      for (const p of catalog.get(s.moduleId)?.outputs ?? []) {
        result.outputs[s.id]![p.name] = unknownSchema('the pipeline has a cycle');
      }
    }
    return result;
  }
  for (const id of sorted.order) {
    const step = stepById.get(id)!;
    const manifest = catalog.get(step.moduleId);
    const inputs: Record<string, SchemaInfo> = {};
    for (const port of manifest?.inputs ?? []) {
      const edge = doc.edges.find((e) => e.to.step === id && e.to.port === port.name);
      inputs[port.name] = edge
        ? (result.outputs[edge.from.step]?.[edge.from.port] ??
          unknownSchema(`step "${edge.from.step}" has no output "${edge.from.port}"`))
        : unknownSchema(`input "${port.name}" is not connected`);
    }
    result.inputs[id] = inputs;
    const outputs: Record<string, SchemaInfo> = {};
    const rule = rules[step.moduleId];
    let why = `no schema rule for module "${step.moduleId}"`;
    if (!manifest) why = `unknown module "${step.moduleId}"`;
    else if (catalog.validateParams(step.moduleId, step.params).length > 0) {
      why = 'its parameters are invalid';
    } else if (rule) {
      const r = rule({ params: step.params, inputs, known: knownSchemas[id] });
      Object.assign(outputs, r.outputs);
      for (const i of r.issues) result.issues.push(paramIssue(id, i.field, i.message, i.severity));
    }
    for (const port of manifest?.outputs ?? []) {
      const inferred = outputs[port.name];
      if (inferred?.known) continue;
      const seen = knownSchemas[id]?.[port.name];
      outputs[port.name] = seen
        ? { known: true, schema: seen }
        : (inferred ?? unknownSchema(`step "${id}": ${why}`));
    }
    result.outputs[id] = outputs;
  }
  return result;
}
