/** The syntax tree the grammar produces (before type checking). Offsets in UTF-16 code units. */

/** A span of the source text. */
export interface Span {
  offset: number;
  length: number;
}

export type BinaryOp =
  '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type Ast =
  | { type: 'number'; text: string; isInteger: boolean; loc: Span }
  | { type: 'string'; value: string; loc: Span }
  | { type: 'bool'; value: boolean; loc: Span }
  | { type: 'null'; loc: Span }
  | { type: 'column'; name: string; loc: Span }
  | { type: 'call'; name: string; args: Ast[]; loc: Span; nameLoc: Span }
  | { type: 'unary'; op: '-' | '!'; arg: Ast; loc: Span }
  | { type: 'binary'; op: BinaryOp; left: Ast; right: Ast; loc: Span; opLoc: Span }
  | { type: 'is_null'; negated: boolean; arg: Ast; loc: Span };
