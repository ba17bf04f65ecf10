// Generated from src/pipeline/expression/grammar.ts by `npm run gen:expression-parser`.
// Do not edit: change the grammar and regenerate.
import type { parser } from 'peggy';

/** Thrown by {@link parse}; `expected` is null for an `error()` raised by the grammar. */
export declare const SyntaxError: typeof parser.SyntaxError;
/** Parses an expression into its AST (see ast.ts); throws {@link SyntaxError}. */
export declare function parse(input: string): unknown;
