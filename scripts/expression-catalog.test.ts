import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATIONS, type OperationSpec } from '../src/pipeline/expression/catalog';
import { checkExpression } from '../src/pipeline/expression/index';
import type { CompiledExpr, ExprColumn } from '../src/pipeline/expression/types';
import { EXPR_TYPES } from '../src/pipeline/expression/types';
import { generatedCatalogFiles, parseSignature } from './expression-catalog';

const root = resolve(import.meta.dirname, '..');

/** Whether `node` (a call) matches one of its operation's signatures, as expr.c decides. */
function accepted(node: Extract<CompiledExpr, { kind: 'call' }>): boolean {
  const spec = (OPERATIONS as Record<string, OperationSpec>)[node.fn]!;
  const code = (t: string) => EXPR_TYPES.indexOf(t as (typeof EXPR_TYPES)[number]);
  return spec.signatures.some((text) => {
    const s = parseSignature(text, node.fn);
    if (node.args.length < s.fixed.length) return false;
    if (s.repeated < 0 && node.args.length !== s.fixed.length) return false;
    const bound: number[] = [-1, -1, -1];
    const fits = (c: number, t: number) => {
      if (c < EXPR_TYPES.length) return c === t;
      const v = c - EXPR_TYPES.length;
      if (bound[v]! >= 0) return bound[v] === t;
      if (v === 1 && t > 1) return false;
      if (v === 2 && t < 4) return false;
      bound[v] = t;
      return true;
    };
    if (!fits(s.result, code(node.type))) return false;
    return node.args.every((a, i) => fits(s.fixed[i] ?? s.repeated, code(a.type)));
  });
}

function calls(e: CompiledExpr): Extract<CompiledExpr, { kind: 'call' }>[] {
  return e.kind === 'call' ? [e, ...e.args.flatMap(calls)] : [];
}

const COLUMNS: ExprColumn[] = [
  { name: 'i', type: 'int64' },
  { name: 'f', type: 'float64' },
  { name: 's', type: 'utf8' },
  { name: 'b', type: 'bool' },
  { name: 'd', type: 'date32' },
  { name: 't', type: 'timestamp' },
];

/** Expressions covering every operation the checker emits. */
const EXPRESSIONS = [
  'i + f - i * 2 / f % 3',
  'i % 2 + -i',
  '-f',
  'i == f && s != "x" || !(b) && d < t && i <= 2 && f > 1 && s >= "a"',
  'i is null || s is not null',
  'abs(i) + floor(f) + ceil(i) + round(f) + round(f, 2) + round(i)',
  'sqrt(f) + ln(i) + exp(f) + pow(i, 2)',
  'length(lower(upper(s))) > 0 && contains(s, "a") && starts_with(s, "b")',
  'year(d) + month(t) + day(d) + hour(t)',
  'coalesce(d, t)',
  'if(b, s, "x")',
  'if(b, null, 1)',
  'coalesce(null, i)',
  'replace(s, "a", "b") || trim(s) || ltrim(s, "x") || rtrim(s) || substr(s, 2) || substr(s, i, 2)',
  'split_part(s, ",", i) || concat(s) || concat(s, null, "x")',
  'regexp_matches(s, "a+") && regexp_matches(s, "b", "i")',
  'regexp_replace(s, "a", "b") || regexp_replace(s, "a", s, "g") || regexp_extract(s, "(a)", 1) || regexp_extract(s, "a")',
  'minute(t) + second(d) + week(t) + dayofweek(d) + quarter(t)',
  'date_trunc("month", d) < date_trunc("hour", d) && date_trunc("day", t) > t',
  'date_diff("day", d, t) + date_diff("month", d, d)',
  'date_add("month", i, d) < date_add("second", 3, d)',
  'strftime(d, "%Y") || strftime(t, s) || strftime(strptime(s, "%Y"), "%H")',
];

describe('expression catalog (one source for TypeScript and C)', () => {
  it('the committed C files are what catalog.ts generates (else npm run gen:expression-catalog)', () => {
    for (const [rel, text] of Object.entries(generatedCatalogFiles())) {
      expect(readFileSync(resolve(root, rel), 'utf8'), rel).toBe(text);
    }
  });

  it('the C enum and names list every operation of the catalog, in order', () => {
    const files = generatedCatalogFiles();
    for (const op of Object.keys(OPERATIONS)) {
      expect(files['modules/sdk/expr_catalog.h']).toContain(`QV_OP_${op.toUpperCase()}_,`);
      expect(files['modules/sdk/expr_catalog.c']).toContain(`"${op}",`);
    }
  });

  it.each(EXPRESSIONS)('every call the checker compiles from %s has a C signature', (src) => {
    const r = checkExpression(src, COLUMNS);
    if (!r.ok) throw new Error(r.errors[0]!.message);
    for (const node of calls(r.compiled.expr)) {
      expect(accepted(node), `${node.fn}: ${JSON.stringify(node)}`).toBe(true);
    }
  });

  it('the signature check rejects a node of the wrong type', () => {
    const bad: CompiledExpr = {
      kind: 'call',
      type: 'int64',
      fn: 'lower',
      args: [{ kind: 'literal', type: 'utf8', value: 'x' }],
    };
    expect(accepted(bad as Extract<CompiledExpr, { kind: 'call' }>)).toBe(false);
  });

  it('refuses a malformed signature', () => {
    expect(() => parseSignature('int64(string)', 'x')).toThrow(/unknown type "string"/);
  });
});
