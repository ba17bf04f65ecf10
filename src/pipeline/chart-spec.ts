/**
 * The chart step's own Vega-Lite spec (its `spec` param, JSON text): parsed for the runtime
 * (`src/runtime/chart/spec.ts`) and checked by the schema rule as the user types: as JSON, then
 * against Vega-Lite's JSON Schema once it is loaded (`json-schema-check.ts`, no eval).
 */
import { checkJsonSchema, formatPath, type JsonSchema } from './json-schema-check';
import type { PipelineDocument } from './types';

/** A user's spec text as an object; throws Error with the line and column of a JSON error. */
export function parseSpec(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const at = /position (\d+)/.exec(message);
    if (at === null) throw new Error(`spec: ${message}`, { cause: error });
    const before = text.slice(0, Number(at[1])).split('\n');
    const column = (before.at(-1)?.length ?? 0) + 1;
    throw new Error(`spec, line ${before.length}, column ${column}: ${message}`, {
      cause: error,
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error('spec: a Vega-Lite spec is a JSON object');
  return value as Record<string, unknown>;
}

/**
 * Vega-Lite's JSON Schema (`vega-lite/build/vega-lite-schema.json`, 1.9 MB), once someone has
 * loaded it: the editor imports it lazily when a chart step has a spec, the CLI before a run.
 * Until then {@link specProblems} finds nothing (the spec is still checked as JSON).
 */
let vegaLiteSchema: JsonSchema | undefined;

/** Makes `schema` (Vega-Lite's JSON Schema) the one specs are checked against. */
export function setVegaLiteSchema(schema: JsonSchema): void {
  vegaLiteSchema = schema;
}

/**
 * Loads Vega-Lite's schema (in the browser a chunk of its own, fetched on first use and
 * precached like every other chunk) and checks specs against it from then on.
 */
export async function loadVegaLiteSchema(): Promise<void> {
  if (vegaLiteSchema !== undefined) return;
  const module = await import('vega-lite/vega-lite-schema.json');
  setVegaLiteSchema(module.default as JsonSchema);
}

/** Whether a chart step of `doc` has its own spec (so Vega-Lite's schema is needed). */
export function needsVegaLiteSchema(doc: PipelineDocument): boolean {
  return doc.steps.some(
    (s) => s.moduleId === 'chart' && typeof s.params.spec === 'string' && s.params.spec !== '',
  );
}

/** Whether {@link setVegaLiteSchema} has been called. */
export function hasVegaLiteSchema(): boolean {
  return vegaLiteSchema !== undefined;
}

/** Most schema problems reported for one spec (the first ones usually explain the rest). */
const MAX_PROBLEMS = 3;

/**
 * What is wrong with a parsed spec by Vega-Lite's schema, each as `path: message` (e.g.
 * `encoding.x.type: must be one of "quantitative", …`; the spec itself is `spec`). The spec is
 * checked as drawn: with the step's summary as its `data`. Empty if the schema is not loaded.
 */
export function specProblems(spec: Record<string, unknown>): string[] {
  if (vegaLiteSchema === undefined) return [];
  const drawn = { ...spec, data: { values: [] } };
  return checkJsonSchema(drawn, vegaLiteSchema)
    .slice(0, MAX_PROBLEMS)
    .map((e) => `${formatPath(e.path) || 'spec'}: ${e.message}`);
}
