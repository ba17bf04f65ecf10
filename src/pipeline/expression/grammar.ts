import peggy from 'peggy';

/**
 * The expression grammar (peggy, https://peggyjs.org). The parser is generated ahead of time
 * into `parser.generated.js` (+ `.d.ts`) by `npm run gen:expression-parser`, so neither peggy
 * nor its `eval` ships to the browser; `grammar.test.ts` fails when the committed files are
 * out of date. Only that script and test import this file.
 *
 * Precedence, loosest first: `||`, `&&`, SQL's `NOT`, comparison (`== != < <= > >=`,
 * `is [not] null`; not associative), `+ -`, `* / %`, unary `-` and `!`.
 *
 * SQL spellings people type are accepted and rewritten into the same tree, so the modules never
 * see them: `=` (`==`), `<>` (`!=`), `AND` `OR` `NOT` (case-insensitive; `NOT` binds looser than
 * a comparison, as in SQL), `x [NOT] IN (a, b)` (`x == a || x == b`), `x [NOT] BETWEEN a AND b`
 * (`x >= a && x <= b`) and `x [NOT] LIKE 'p%'` / `ILIKE` (`regexp_matches` on the pattern turned
 * into an anchored regex: `%` any text, `_` one character). Those words are therefore reserved:
 * a column named `in` or `and` is written in backticks. `CASE` is refused with the spelling to
 * use instead (`if(...)`), and a call left open (`round(x`) is reported where its `)` is missing. Column names are identifiers
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
  function binary(op, left, right, loc, opLoc) {
    return { type: 'binary', op: op, left: left, right: right, loc: loc, opLoc: opLoc };
  }
  function negate(arg, negated, loc) {
    return negated ? { type: 'unary', op: '!', arg: arg, loc: loc } : arg;
  }
  // SQL LIKE pattern -> anchored regex in the modules' dialect (regex.h): % is any text, _ one
  // code point (newlines included, hence [\s\S]); other punctuation is escaped to stand for
  // itself. SQL LIKE has no escape character unless ESCAPE is given (not supported).
  function isPunctuation(c) {
    return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
  }
  function likeRegex(pattern) {
    var out = '^';
    for (var ch of pattern) {
      if (ch === '%') out += '[\\s\\S]*';
      else if (ch === '_') out += '[\\s\\S]';
      else if (isPunctuation(ch.charCodeAt(0))) out += '\\' + ch;
      else out += ch;
    }
    return out + '$';
  }
  // x [NOT] IN (a, b), x [NOT] BETWEEN lo AND hi, x [NOT] [I]LIKE 'p' as the tree of their
  // meaning in SQL.
  function sqlPredicate(left, rest, loc) {
    if (rest.kind === 'in') {
      var tests = rest.items.map(function (item) {
        return binary('==', left, item, loc, rest.opLoc);
      });
      var any = tests.slice(1).reduce(function (acc, t) {
        return binary('||', acc, t, loc, rest.opLoc);
      }, tests[0]);
      return negate(any, rest.negated, loc);
    }
    if (rest.kind === 'between') {
      var both = binary('&&', binary('>=', left, rest.low, loc, rest.opLoc),
        binary('<=', left, rest.high, loc, rest.opLoc), loc, rest.opLoc);
      return negate(both, rest.negated, loc);
    }
    var args = [left, { type: 'string', value: likeRegex(rest.pattern.value), loc: rest.pattern.loc }];
    if (rest.ignoreCase) args.push({ type: 'string', value: 'i', loc: rest.opLoc });
    var call = { type: 'call', name: 'regexp_matches', args: args, loc: loc, nameLoc: rest.opLoc };
    return negate(call, rest.negated, loc);
  }
}}

Start = _ e:Expr _ { return e; }

Expr = Or

Or = head:And tail:(_ OrOp _ And)* { return fold(head, tail); }
OrOp "operator"
  = op:"||" { return { op: op, loc: span(location()) }; }
  / OrKw { return { op: '||', loc: span(location()) }; }

And = head:Not tail:(_ AndOp _ Not)* { return fold(head, tail); }
AndOp "operator"
  = op:"&&" { return { op: op, loc: span(location()) }; }
  / AndKw { return { op: '&&', loc: span(location()) }; }

// SQL's NOT: looser than a comparison, so NOT a = 1 is NOT (a = 1).
Not
  = NotKw _ arg:Not { return { type: 'unary', op: '!', arg: arg, loc: span(location()) }; }
  / Comparison

Comparison = left:Additive rest:(IsNull / SqlPredicate / CmpTail)? {
    if (rest === null) return left;
    if (rest.kind === 'is_null') {
      return { type: 'is_null', negated: rest.negated, arg: left, loc: span(location()) };
    }
    if (rest.kind !== 'cmp') return sqlPredicate(left, rest, span(location()));
    return { type: 'binary', op: rest.op.op, left: left, right: rest.right, loc: span(location()), opLoc: rest.op.loc };
  }

IsNull = _ "is"i !IdentPart _ not:("not"i !IdentPart _)? NullKeyword {
    return { kind: 'is_null', negated: not !== null };
  }

NullKeyword '"null"' = "null"i !IdentPart

SqlPredicate = __ not:(NotKw __)? p:(InList / Between / Like) {
    p.negated = not !== null;
    return p;
  }

InList = InKw _ "(" _ items:Args _ ")" {
    return { kind: 'in', items: items, opLoc: span(location()) };
  }

Between = BetweenKw _ low:Additive _ AndKw _ high:Additive {
    return { kind: 'between', low: low, high: high, opLoc: span(location()) };
  }

Like = kw:(LikeKw / ILikeKw) _ pattern:Additive {
    if (pattern.type !== 'string') {
      error(kw.toUpperCase() + " needs a quoted pattern such as 'sea%'; for a computed pattern use regexp_matches(text, pattern)");
    }
    return { kind: 'like', pattern: pattern, ignoreCase: kw.toLowerCase() === 'ilike', opLoc: span(location()) };
  }

CmpTail = _ op:CmpOp _ right:Additive { return { kind: 'cmp', op: op, right: right }; }

CmpOp "comparison operator"
  = op:("==" / "!=" / "<>" / "<=" / ">=" / "<" / ">" / "=") {
      var sql = { '=': '==', '<>': '!=' };
      return { op: sql[op] || op, loc: span(location()) };
    }

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
  / Case
  / Call
  / Column

Case = "case"i !IdentPart {
    error('CASE is not supported: write if(condition, value_if_true, value_if_false)');
  }

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

Call = name:Ident _ "(" _ args:Args? _ close:")"? {
    var loc = span(location());
    if (close === null) {
      // Reported where the ")" is missing (the end of what the call holds), not at its "(".
      var end = location().end;
      var wanted = args ? '"," or ")"' : 'an argument or ")"';
      var what = end.offset >= input.length
        ? name + '( is not closed: expected ' + wanted
        : 'expected ' + wanted + ' in ' + name + '(...) but found ' + JSON.stringify(input.charAt(end.offset));
      error(what, { source: location().source, start: end, end: end });
    }
    return { type: 'call', name: name, args: args || [], loc: loc, nameLoc: { offset: loc.offset, length: name.length } };
  }

Args = head:Expr tail:(_ "," _ e:Expr { return e; })* { return [head].concat(tail); }

Column
  = name:Ident { return { type: 'column', name: name, loc: span(location()) }; }
  / "${'`'}" chars:("${'`'}${'`'}" { return "${'`'}"; } / [^${'`'}])* "${'`'}" {
      return { type: 'column', name: chars.join(''), loc: span(location()) };
    }

Ident "column name" = !Reserved name:$([A-Za-z_] IdentPart*) { return name; }

// Words of the SQL spellings; a column of that name is written in backticks.
Reserved = ("and"i / "or"i / "not"i / "in"i / "between"i / "like"i / "ilike"i / "case"i) !IdentPart
AndKw = "and"i !IdentPart
OrKw = "or"i !IdentPart
NotKw = "not"i !IdentPart
InKw = "in"i !IdentPart
BetweenKw = "between"i !IdentPart
LikeKw = kw:$"like"i !IdentPart { return kw; }
ILikeKw = kw:$"ilike"i !IdentPart { return kw; }

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
