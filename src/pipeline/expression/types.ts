/**
 * Quiver's expression language: public types shared by the host (parser, type checker,
 * compiler) and, through the JSON compiled form, by the C evaluator in `modules/sdk/expr.c`.
 *
 * The compiled form is a JSON tree. Every node carries its result type, so the module does no
 * type inference: the checker has already inserted every implicit conversion as an explicit
 * `cast` call. It travels in the `compiled` field of the `filter` and `derive` params.
 */
import type { ExprFunction } from './catalog';

/** The value types expressions compute with. Input columns widen to these (see `schema.ts`). */
export type ExprType = 'int64' | 'float64' | 'bool' | 'utf8' | 'date32' | 'timestamp';

/** Every type name, for iteration and validation. */
export const EXPR_TYPES: readonly ExprType[] = [
  'int64',
  'float64',
  'bool',
  'utf8',
  'date32',
  'timestamp',
];

/** One input column as the checker sees it; `type: null` marks a column expressions cannot use. */
export interface ExprColumn {
  name: string;
  type: ExprType | null;
  /** Shown in errors when `type` is null, e.g. "Binary". */
  arrowType?: string;
}

/** Names of the operators and functions in compiled `call` nodes (see catalog.ts). */
export type { ExprFunction };

/**
 * A node of the compiled form.
 *
 * - `column`: input column `index` (0-based, in the input schema), whose name must be `name`;
 *   the module refuses the program if the batch's column differs (a stale compiled form).
 * - `literal`: `value` encodes by type: int64 → decimal string; float64 → finite number;
 *   bool → boolean; utf8 → string; date32 → integer days since 1970-01-01; timestamp → decimal
 *   string of microseconds since 1970-01-01T00:00:00Z; `null` is the typed null.
 * - `call`: operator or function `fn` applied to `args`.
 */
export type CompiledExpr =
  | { kind: 'column'; type: ExprType; index: number; name: string }
  | { kind: 'literal'; type: ExprType; value: string | number | boolean | null }
  | { kind: 'call'; type: ExprType; fn: ExprFunction; args: CompiledExpr[] };

/** The `compiled` field of filter/derive params. */
export interface CompiledProgram {
  /** Version of the compiled form; the module refuses any other. */
  version: 1;
  /** The source text it was compiled from (for messages). */
  source: string;
  expr: CompiledExpr;
}

/**
 * One error in an expression. `offset`/`length` are in UTF-16 code units of the source (as
 * JavaScript strings index), `line` and `column` are 1-based. `message` already ends with the
 * position, e.g. `unknown column "tmp_max" at 1:1 (did you mean "temp_max"?)`.
 */
export interface ExprError {
  message: string;
  offset: number;
  length: number;
  line: number;
  column: number;
}

/** Result of {@link checkExpression}. */
export type CheckResult =
  { ok: true; type: ExprType; compiled: CompiledProgram } | { ok: false; errors: ExprError[] };
