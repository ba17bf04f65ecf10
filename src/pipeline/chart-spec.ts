/**
 * The chart step's own Vega-Lite spec (its `spec` param, JSON text): parsed for the runtime
 * (`src/runtime/chart/spec.ts`) and checked by the schema rule as the user types.
 */

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
