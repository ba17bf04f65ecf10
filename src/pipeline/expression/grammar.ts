import peggy from 'peggy';

/**
 * The expression grammar (peggy, https://peggyjs.org). The parser is generated ahead of time
 * into `parser.generated.js` (+ `.d.ts`) by `npm run gen:expression-parser`, so neither peggy
 * nor its `eval` ships to the browser; `grammar.test.ts` fails when the committed files are
 * out of date. Only that script and test import this file.
 *
 * Precedence, loosest first: `||`, `&&`, comparison (`== != < <= > >=`, `is [not] null`;
 * not associative), `+ -`, `* / %`, unary `-` and `!`. Column names are identifiers
 * (`[A-Za-z_][A-Za-z0-9_]*`) or any text in backticks (`` `wind speed` ``; a backtick inside is
 * written twice). Strings are in double or single quotes with JSON-style escapes.
 */
export const EXPRESSION_GRAMMAR = String.raw`
{{
  function span(loc) {
    return { offset: loc.start.offset, length: loc.end.offset - loc.start.offset };
  }
  function fold(head, tail) {
    return tail.reduce(function (left, t) {
      return {
        type: 'binary', op: t[1].op, left: left, right: t[3],
        loc: { offset: left.loc.offset, length: t[3].loc.offset + t[3].loc.length - left.loc.offset },
        opLoc: t[1].loc,
      };
    }, head);
  }
}}

Start = _ e:Expr _ { return e; }

Expr = Or

Or = head:And tail:(_ OrOp _ And)* { return fold(head, tail); }
OrOp "operator" = op:"||" { return { op: op, loc: span(location()) }; }

And = head:Comparison tail:(_ AndOp _ Comparison)* { return fold(head, tail); }
AndOp "operator" = op:"&&" { return { op: op, loc: span(location()) }; }

Comparison = left:Additive rest:(IsNull / CmpTail)? {
    if (rest === null) return left;
    if (rest.kind === 'is_null') {
      return { type: 'is_null', negated: rest.negated, arg: left, loc: span(location()) };
    }
    return { type: 'binary', op: rest.op.op, left: left, right: rest.right, loc: span(location()), opLoc: rest.op.loc };
  }

IsNull = _ "is"i !IdentPart _ not:("not"i !IdentPart _)? NullKeyword {
    return { kind: 'is_null', negated: not !== null };
  }

NullKeyword '"null"' = "null"i !IdentPart

CmpTail = _ op:CmpOp _ right:Additive { return { kind: 'cmp', op: op, right: right }; }

CmpOp "comparison operator" = op:("==" / "!=" / "<=" / ">=" / "<" / ">") { return { op: op, loc: span(location()) }; }

Additive = head:Multiplicative tail:(_ AddOp _ Multiplicative)* { return fold(head, tail); }
AddOp "operator" = op:("+" / "-") { return { op: op, loc: span(location()) }; }

Multiplicative = head:Unary tail:(_ MulOp _ Unary)* { return fold(head, tail); }
MulOp "operator" = op:("*" / "/" / "%") { return { op: op, loc: span(location()) }; }

Unary
  = op:("-" / "!") _ arg:Unary { return { type: 'unary', op: op, arg: arg, loc: span(location()) }; }
  / Primary

Primary
  = Atom
  / "(" _ e:Expr _ ")" { return e; }

Atom "expression"
  = Number
  / String
  / Keyword
  / Call
  / Column

Number "number"
  = [0-9]+ ("." [0-9]*)? ([eE] [+-]? [0-9]+)? !IdentPart {
      var t = text();
      return { type: 'number', text: t, isInteger: /^[0-9]+$/.test(t), loc: span(location()) };
    }
  / "." [0-9]+ ([eE] [+-]? [0-9]+)? !IdentPart {
      return { type: 'number', text: text(), isInteger: false, loc: span(location()) };
    }

Keyword
  = "true"i !IdentPart { return { type: 'bool', value: true, loc: span(location()) }; }
  / "false"i !IdentPart { return { type: 'bool', value: false, loc: span(location()) }; }
  / "null"i !IdentPart { return { type: 'null', loc: span(location()) }; }

Call = name:Ident _ "(" _ args:Args? _ ")" {
    var loc = span(location());
    return { type: 'call', name: name, args: args || [], loc: loc, nameLoc: { offset: loc.offset, length: name.length } };
  }

Args = head:Expr tail:(_ "," _ e:Expr { return e; })* { return [head].concat(tail); }

Column
  = name:Ident { return { type: 'column', name: name, loc: span(location()) }; }
  / "${'`'}" chars:("${'`'}${'`'}" { return "${'`'}"; } / [^${'`'}])* "${'`'}" {
      return { type: 'column', name: chars.join(''), loc: span(location()) };
    }

Ident "column name" = $([A-Za-z_] IdentPart*)

IdentPart = [A-Za-z0-9_]

String "string"
  = '"' chars:DoubleChar* '"' { return { type: 'string', value: chars.join(''), loc: span(location()) }; }
  / "'" chars:SingleChar* "'" { return { type: 'string', value: chars.join(''), loc: span(location()) }; }
  / ['"] (!['"] .)* { error('unterminated string, or a bad escape or control character in it (escapes: \\" \\\\ \\n \\t \\r \\uXXXX ...)'); }

DoubleChar = [^"\\\0-\x1F] / Escape
SingleChar = [^'\\\0-\x1F] / Escape

Escape
  = "\\" c:(
      '"' / "'" / "\\" / "/"
      / "b" { return "\b"; } / "f" { return "\f"; } / "n" { return "\n"; }
      / "r" { return "\r"; } / "t" { return "\t"; }
      / "u" h:$([0-9a-fA-F]|4|) { return String.fromCharCode(parseInt(h, 16)); }
    ) { return c; }

_ = [ \t\r\n]*
__ = [ \t\r\n]+
`;

const BANNER =
  '// Generated from src/pipeline/expression/grammar.ts by `npm run gen:expression-parser`.\n' +
  '// Do not edit: change the grammar and regenerate.\n';

/** Types of the generated parser; its SyntaxError has the shape of peggy's own. */
const DECLARATIONS = `${BANNER}import type { parser } from 'peggy';

/** Thrown by {@link parse}; \`expected\` is null for an \`error()\` raised by the grammar. */
export declare const SyntaxError: typeof parser.SyntaxError;
/** Parses an expression into its AST (see ast.ts); throws {@link SyntaxError}. */
export declare function parse(input: string): unknown;
`;

/**
 * The contents of `parser.generated.js` (an ES module exporting `parse` and `SyntaxError`)
 * and `parser.generated.d.ts`, built from `grammar` with peggy.
 * @throws peggy's GrammarError when `grammar` is invalid.
 */
export function generatedParserFiles(grammar: string = EXPRESSION_GRAMMAR): {
  js: string;
  dts: string;
} {
  const js = peggy.generate(grammar, { output: 'source', format: 'es' });
  return { js: BANNER + js, dts: DECLARATIONS };
}
