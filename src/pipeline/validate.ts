/**
 * Validation before a run: everything that can be known to be wrong without running anything.
 * Each issue names its step and field (see {@link ValidationIssue}).
 */
import { pointerToPath, validateWith } from '../modules/ajv';
import { compileSchema } from '../modules/json-schema';
import type { ModuleCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import { pipelineDocumentSchema } from './document-schema';
import { topologicalOrder } from './graph';
import { inferSchemas, type InferredSchemas, type KnownSchemas } from './infer';
import { fieldMessage, type SchemaNode } from './field-words';
import { paramIssue, stepIssue, type ValidationIssue } from './issues';
import type { PipelineDocument, Step } from './types';

/** The shape of one step (limits, permissions, position), checked for documents built in memory. */
const validateStepShape = compileSchema(
  pipelineDocumentSchema.properties.steps.items,
  pipelineDocumentSchema.properties.steps.items,
  { ownSchema: true },
);

/** What `manifest` asks for that `step` was not granted, as warnings. */
function permissionWarnings(step: Step, manifest: ModuleManifest): ValidationIssue[] {
  const asked = manifest.permissions;
  const granted = step.permissions;
  const out: ValidationIssue[] = [];
  const warn = (what: string, detail: string) =>
    out.push(stepIssue(step.id, `permissions.${what}: ${detail}`, {}, 'warning'));
  if (asked.storage === 'readwrite' && granted.storage !== 'readwrite') {
    warn('storage', 'the module asks to read and write storage (/data); not granted');
  } else if (asked.storage === 'read' && granted.storage === 'none') {
    warn('storage', 'the module asks to read storage (/data); not granted');
  }
  if (asked.clock && granted.clock === 'none') {
    warn(
      'clock',
      'the module asks for the clock; not granted, so it may be refused before running',
    );
  }
  if (asked.random && granted.random === 'none') {
    warn(
      'random',
      'the module asks for randomness; not granted, so it may be refused before running',
    );
  }
  return out;
}

export type { ValidationIssue } from './issues';

/** Result of {@link validatePipelineWithSchemas}. */
export interface PipelineCheck {
  issues: ValidationIssue[];
  schemas: InferredSchemas;
}

/**
 * Check `doc` against `catalog`, in this order: unique step and edge ids; each step's shape
 * (limits, permissions, position); known module ids; permissions the module asks for but was
 * not granted (warnings);
 * edges between existing steps and ports of the same type; every input port connected exactly
 * once; no cycle (the issue names the cycle's steps); params valid against each module's JSON
 * Schema; column references and expressions valid against the propagated schemas. Returns
 * every issue found (empty when the pipeline can run), errors and warnings alike.
 */
export function validatePipeline(
  doc: PipelineDocument,
  catalog: Pick<ModuleCatalog, 'get' | 'validateParams'>,
  knownSchemas?: KnownSchemas,
): ValidationIssue[] {
  return validatePipelineWithSchemas(doc, catalog, knownSchemas).issues;
}

/** {@link validatePipeline}, also returning the inferred schemas (for the inspector). */
export function validatePipelineWithSchemas(
  doc: PipelineDocument,
  catalog: Pick<ModuleCatalog, 'get' | 'validateParams'>,
  knownSchemas?: KnownSchemas,
): PipelineCheck {
  const issues: ValidationIssue[] = [];
  const steps = new Map<string, PipelineDocument['steps'][number]>();
  for (const s of doc.steps) {
    if (steps.has(s.id)) issues.push(stepIssue(s.id, `step id "${s.id}" is used by two steps`));
    steps.set(s.id, s);
    for (const f of validateWith(validateStepShape, s)) {
      if (f.pointer.startsWith('/params/')) continue; // checked against the module's schema below
      issues.push(stepIssue(s.id, `${pointerToPath(f.pointer, '')}: ${f.message}`));
    }
    const manifest = catalog.get(s.moduleId);
    if (!manifest) issues.push(stepIssue(s.id, `unknown module "${s.moduleId}"`));
    else issues.push(...permissionWarnings(s, manifest));
  }

  const edgeIds = new Set<string>();
  const into = new Map<string, string[]>(); // "step\0port" → source descriptions
  for (const e of doc.edges) {
    if (edgeIds.has(e.id)) {
      issues.push(stepIssue(null, `edge id "${e.id}" is used twice`, { edgeId: e.id }));
    }
    edgeIds.add(e.id);
    const src = steps.get(e.from.step);
    const dst = steps.get(e.to.step);
    if (!src || !dst) {
      const missing = !src ? e.from.step : e.to.step;
      issues.push(
        stepIssue(null, `edge "${e.id}" refers to no step "${missing}"`, { edgeId: e.id }),
      );
      continue;
    }
    const out = catalog.get(src.moduleId)?.outputs.find((p) => p.name === e.from.port);
    const inp = catalog.get(dst.moduleId)?.inputs.find((p) => p.name === e.to.port);
    if (catalog.get(src.moduleId) && !out) {
      issues.push(
        stepIssue(src.id, `has no output port "${e.from.port}" (edge "${e.id}")`, {
          port: e.from.port,
          edgeId: e.id,
        }),
      );
    }
    if (catalog.get(dst.moduleId) && !inp) {
      issues.push(
        stepIssue(dst.id, `has no input port "${e.to.port}" (edge "${e.id}")`, {
          port: e.to.port,
          edgeId: e.id,
        }),
      );
    }
    if (out && inp && out.type !== inp.type) {
      issues.push(
        stepIssue(
          dst.id,
          `input port "${inp.name}" takes ${inp.type}, but step "${src.id}" output "${out.name}" gives ${out.type}`,
          { port: inp.name, edgeId: e.id },
        ),
      );
    }
    const key = `${e.to.step}\u0000${e.to.port}`;
    into.set(key, [...(into.get(key) ?? []), `"${e.from.step}"`]);
  }

  for (const s of doc.steps) {
    for (const port of catalog.get(s.moduleId)?.inputs ?? []) {
      const sources = into.get(`${s.id}\u0000${port.name}`) ?? [];
      if (sources.length === 0) {
        issues.push(
          stepIssue(s.id, `input port "${port.name}" is not connected`, { port: port.name }),
        );
      } else if (sources.length > 1) {
        issues.push(
          stepIssue(
            s.id,
            `input port "${port.name}" is connected ${sources.length} times (from steps ${sources.join(', ')}); an input takes one edge`,
            { port: port.name },
          ),
        );
      }
    }
  }

  const sorted = topologicalOrder(doc);
  if ('cycle' in sorted) {
    const loop = [...sorted.cycle, sorted.cycle[0]].map((id) => `"${id}"`).join(' → ');
    issues.push(stepIssue(sorted.cycle[0] ?? null, `steps form a cycle: ${loop}`));
  }

  for (const s of doc.steps) {
    const manifest = catalog.get(s.moduleId);
    if (!manifest) continue;
    for (const f of catalog.validateParams(s.moduleId, s.params)) {
      issues.push(paramIssue(s.id, f.pointer, fieldMessage(manifest.params as SchemaNode, f)));
    }
  }

  const schemas = inferSchemas(doc, catalog, knownSchemas);
  issues.push(...schemas.issues);
  return { issues, schemas };
}
