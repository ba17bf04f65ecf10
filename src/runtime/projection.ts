/**
 * Which columns of a step's output its downstream steps read, so that a Parquet source can
 * decode only those (DuckDB does the same). Derived only from modules whose column use is known
 * from their params: `filter` (its expression's columns, passes rows through), `sort` (its keys,
 * passes rows through), `limit` (passes rows through) and `aggregate` (its group keys and
 * aggregated columns; its output holds nothing else). Any other consumer, a collected port, a
 * step output nobody consumes (a result: every column is shown) or params that do not read as
 * expected make the answer `null`: read every column.
 */
import type { Ast } from '../pipeline/expression/ast';
import { parseExpression } from '../pipeline/expression/parse';
import type { PipelineDocument, Step } from '../pipeline/types';

/** Pass-through modules whose output holds exactly the columns of their input. */
const PASS_THROUGH = new Set(['filter', 'sort', 'limit']);

/**
 * Column names read downstream of `stepId`'s output `port`, or `null` when not known for every
 * consumer (then all columns must be read). `collected` holds the `"<stepId>.<port>"` keys the
 * caller collects whole.
 */
export function columnsReadDownstream(
  doc: PipelineDocument,
  stepId: string,
  port: string,
  collected: readonly string[] = [],
): Set<string> | null {
  return readFrom(doc, stepId, port, collected, new Set());
}

function readFrom(
  doc: PipelineDocument,
  stepId: string,
  port: string,
  collected: readonly string[],
  visiting: Set<string>,
): Set<string> | null {
  if (collected.includes(`${stepId}.${port}`) || visiting.has(stepId)) return null;
  const edges = doc.edges.filter((e) => e.from.step === stepId && e.from.port === port);
  if (edges.length === 0) return null;
  const columns = new Set<string>();
  for (const edge of edges) {
    const consumer = doc.steps.find((s) => s.id === edge.to.step);
    if (consumer === undefined || edge.to.port !== 'in') return null;
    const own = columnsOfParams(consumer);
    if (own === null) return null;
    for (const c of own) columns.add(c);
    if (PASS_THROUGH.has(consumer.moduleId)) {
      const next = readFrom(doc, consumer.id, 'out', collected, new Set([...visiting, stepId]));
      if (next === null) return null;
      for (const c of next) columns.add(c);
    }
  }
  return columns;
}

/** Columns a known module's params name, or null for an unknown module or unexpected params. */
function columnsOfParams(step: Step): string[] | null {
  const p = step.params;
  switch (step.moduleId) {
    case 'limit':
      return [];
    case 'filter': {
      if (typeof p.expression !== 'string') return null;
      const parsed = parseExpression(p.expression);
      return parsed.ok ? columnsOfAst(parsed.ast) : null;
    }
    case 'sort':
      return stringsAt(p.keys, 'column', true);
    case 'aggregate': {
      const keys = p.groupBy ?? [];
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) return null;
      const measured = stringsAt(p.aggregates ?? [], 'column', false);
      return measured === null ? null : [...(keys as string[]), ...measured];
    }
    default:
      return null;
  }
}

/** `items[i][field]` of an array of objects; null when a required one is not a string. */
function stringsAt(items: unknown, field: string, required: boolean): string[] | null {
  if (!Array.isArray(items)) return null;
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== 'object' || item === null) return null;
    const value = (item as Record<string, unknown>)[field];
    if (typeof value === 'string') out.push(value);
    else if (required || value !== undefined) return null;
  }
  return out;
}

function columnsOfAst(ast: Ast): string[] {
  switch (ast.type) {
    case 'column':
      return [ast.name];
    case 'call':
      return ast.args.flatMap(columnsOfAst);
    case 'unary':
    case 'is_null':
      return columnsOfAst(ast.arg);
    case 'binary':
      return [...columnsOfAst(ast.left), ...columnsOfAst(ast.right)];
    default:
      return [];
  }
}
