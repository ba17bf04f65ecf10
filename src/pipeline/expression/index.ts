/**
 * Quiver's expression language, host side: parse, type-check and compile expressions for the
 * `filter` and `derive` modules. See README "Expressions" for the language and `types.ts` for
 * the compiled form the modules evaluate (`modules/sdk/expr.c`).
 */
import { CheckError, Checker, MAX_DEPTH, depthOf } from './check';
import { parseExpression, tooDeep } from './parse';
import { type ExprSchema, columnsOf } from './schema';
import type { CheckResult, CompiledProgram, ExprError, ExprType } from './types';

export type * from './types';
export { EXPR_TYPES } from './types';
export { parseExpression } from './parse';
export {
  exprTypeOfArrow,
  exprTypeOfColumnType,
  columnTypeOfExprType,
  columnsOf,
  type ExprSchema,
} from './schema';
export { FUNCTIONS } from './functions';
export { MAX_DEPTH } from './check';

/**
 * Parses and type-checks `source` against the input columns (`schema`: an Arrow Schema or a
 * list of `{name, type}`), and compiles it. With `expected`, the result must have that type
 * (filter passes 'bool'). Never throws on bad input: every problem is an {@link ExprError}
 * with its position.
 */
export function checkExpression(
  source: string,
  schema: ExprSchema,
  expected?: ExprType,
): CheckResult {
  const parsed = parseExpression(source);
  if (!parsed.ok) return parsed;
  const checker = new Checker(source, columnsOf(schema));
  try {
    const typed = checker.check(parsed.ast);
    const type: ExprType = typed.type === 'null' ? (expected ?? 'int64') : typed.type;
    if (expected !== undefined && type !== expected) {
      checker.fail(
        parsed.ast.loc,
        `expression must be ${expected === 'bool' ? 'a boolean' : expected}, but it is ${typed.type === 'utf8' ? 'a string' : `of type ${type}`}`,
      );
    }
    const expr = checker.coerce(typed, type);
    const depth = depthOf(expr);
    if (depth > MAX_DEPTH) {
      checker.fail(
        parsed.ast.loc,
        `expression nested too deeply (${depth} levels, at most ${MAX_DEPTH})`,
        'split it over several derive steps',
      );
    }
    const compiled: CompiledProgram = { version: 1, source, expr };
    return { ok: true, type, compiled };
  } catch (e) {
    if (e instanceof CheckError) return { ok: false, errors: [e.error] };
    if (e instanceof RangeError) return { ok: false, errors: [tooDeep(source)] };
    throw e;
  }
}

/** Module ids whose params hold an `expression` that {@link compileExpressionParams} compiles. */
export const EXPRESSION_MODULES: readonly string[] = ['filter', 'derive'];

/**
 * For the pipeline validator: given a step's module id, its params and its input schema,
 * returns the params with `compiled` filled in (replacing any stale one), or the expression's
 * errors. Params of other modules come back unchanged. The `filter` expression must be
 * boolean; `derive` may have any type. Errors' `message`s are prefixed with nothing; callers
 * add the step and field (`params.expression`).
 */
export function compileExpressionParams(
  moduleId: string,
  params: Readonly<Record<string, unknown>>,
  inputSchema: ExprSchema,
): { ok: true; params: Record<string, unknown> } | { ok: false; errors: ExprError[] } {
  if (!EXPRESSION_MODULES.includes(moduleId)) return { ok: true, params: { ...params } };
  const source = params['expression'];
  if (typeof source !== 'string') {
    return {
      ok: false,
      errors: [
        { message: 'params.expression must be a string', offset: 0, length: 0, line: 1, column: 1 },
      ],
    };
  }
  const result = checkExpression(source, inputSchema, moduleId === 'filter' ? 'bool' : undefined);
  if (!result.ok) return result;
  return { ok: true, params: { ...params, compiled: result.compiled } };
}
