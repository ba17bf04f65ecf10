/**
 * Regenerates the seed corpus of modules/sdk/fuzz_expr.c: each expression below, compiled by
 * the host's checker against the fuzz target's fixed schema, written as seed<N>.json.
 * Run: npx tsx modules/sdk/fuzz_expr_seeds/generate.ts && npx prettier --write modules/sdk/fuzz_expr_seeds
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExpression } from '../../../src/pipeline/expression/index';
import type { ExprColumn } from '../../../src/pipeline/expression/types';

/** The columns of the batch built in fuzz_expr.c (setup()), in order. */
const COLUMNS: ExprColumn[] = [
  { name: 'n', type: 'int64' },
  { name: 'f', type: 'float64' },
  { name: 'b', type: 'bool' },
  { name: 's', type: 'utf8' },
  { name: 'd', type: 'date32' },
  { name: 't', type: 'timestamp' },
  { name: 'k', type: 'utf8' },
];

const EXPRESSIONS = [
  'n + 1',
  'n * 9223372036854775807',
  'n % 0',
  '-n',
  'abs(n)',
  'f / 0',
  'f % 0',
  'round(f, 2)',
  'round(f, -400)',
  'sqrt(f)',
  'ln(f)',
  'exp(f)',
  'pow(f, n)',
  'lower(s)',
  'upper(k)',
  'length(s)',
  'contains(s, k)',
  'starts_with(k, "r")',
  'year(d)',
  'month(t)',
  'day(d)',
  'hour(t)',
  'coalesce(s, k, "x")',
  'if(b, s, upper(k))',
  'if(n > 0, ln(n), 0)',
  'b && n > 0 || !b',
  's < k',
  'd < t',
  'f == f',
  'n is null',
  'k is not null',
  'coalesce(lower(s), upper(k))',
  'if(b, lower(s), if(n > 1, upper(k), s))',
  'floor(f) + ceil(f)',
  'd > "2020-01-01"',
  't > "1970-01-01 00:00:00"',
];

EXPRESSIONS.forEach((source, i) => {
  const r = checkExpression(source, COLUMNS);
  if (!r.ok) throw new Error(`${source}: ${r.errors[0]!.message}`);
  writeFileSync(join(import.meta.dirname, `seed${i}.json`), JSON.stringify(r.compiled));
});
