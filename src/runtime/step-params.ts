/**
 * A module step's parameters as the module reads them (`/params.json` in ABI v1, `qv_begin` in
 * v2): filter and derive get their expression compiled against the input schema.
 */
import { RecordBatchReader } from 'apache-arrow';
import { compileExpressionParams } from '../pipeline/expression';
import { concatStream } from './ipc';
import type { WasmStepSpec } from './protocol';
import { StepError } from './step-outputs';

/**
 * The params of `spec` as UTF-8 JSON, compiled against the IPC schema message of the first
 * input when they hold an `expression`. Throws {@link StepError} naming the expression's errors.
 */
export async function paramsBytes(
  spec: WasmStepSpec,
  schemaMessage: Uint8Array | undefined,
): Promise<Uint8Array> {
  return new TextEncoder().encode(JSON.stringify(await compileParams(spec, schemaMessage)));
}

/** Params as the module reads them: filter/derive get their expression compiled against the input schema. */
async function compileParams(
  spec: WasmStepSpec,
  schemaMessage: Uint8Array | undefined,
): Promise<Record<string, unknown>> {
  if (schemaMessage === undefined || !('expression' in spec.params)) return spec.params;
  const reader = await RecordBatchReader.from(concatStream([schemaMessage])).open();
  const compiled = compileExpressionParams(spec.moduleId, spec.params, reader.schema);
  if (compiled.ok) return compiled.params;
  const problems = compiled.errors.map((e) => e.message);
  throw new StepError(`params.expression: ${problems.join('; ')}`);
}
