/**
 * `join`: the output columns of modules/join (join_layout.c), computed before a run. The left
 * columns, then the right ones; a key pair with the same name and value type on both sides is
 * one column at the left's place (plain values, not dictionary-encoded); any other name on both
 * sides gets the left or right suffix. Semi and anti joins keep the left columns only. Every
 * output column is nullable. Each key must name a column of its side, and a key pair must be
 * comparable (both strings, both binary, both numbers, or the same temporal type).
 */
import {
  isNumericType,
  unknownSchema,
  type ColumnField,
  type ColumnType,
  type SchemaInfo,
  type TableSchema,
} from '../table-schema';
import { missingColumnMessage, type RuleIssue, type SchemaRule } from './rule';

interface JoinParams {
  how?: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti';
  keys: { left: string; right: string }[];
  leftSuffix?: string;
  rightSuffix?: string;
}

type Side = 'left' | 'right';

/** The type without dictionary encoding. */
function valueType(t: ColumnType): ColumnType {
  return t.type === 'dictionary' ? valueType(t.value) : t;
}

/** How the module compares a key pair (join_keys.c), or undefined when it cannot. */
function comparable(a: ColumnType, b: ColumnType): boolean {
  const x = valueType(a);
  const y = valueType(b);
  const text = (t: ColumnType) => t.type === 'utf8' || t.type === 'large_utf8';
  const bytes = (t: ColumnType) => t.type === 'binary' || t.type === 'large_binary';
  if ((text(x) && text(y)) || (bytes(x) && bytes(y))) return true;
  if (isNumericType(x) && isNumericType(y)) return x.type !== 'float16' && y.type !== 'float16';
  if (text(x) || bytes(x) || isNumericType(x) || x.type === 'null' || x.type === 'other') {
    return false;
  }
  return JSON.stringify(x) === JSON.stringify(y);
}

/** Checks every key against both schemas; returns the merged pairs' left column names. */
function checkKeys(
  p: JoinParams,
  schemas: Record<Side, TableSchema>,
  issues: RuleIssue[],
): Set<string> {
  const merged = new Set<string>();
  p.keys.forEach((key, i) => {
    const found: Partial<Record<Side, ColumnField>> = {};
    for (const side of ['left', 'right'] as const) {
      const field = schemas[side].fields.find((f) => f.name === key[side]);
      if (field) found[side] = field;
      else {
        const message = missingColumnMessage(key[side], schemas[side]).replace(
          'in the input',
          `in the ${side} input`,
        );
        issues.push({ field: `/keys/${i}/${side}`, message, severity: 'error' });
      }
    }
    const { left, right } = found;
    if (!left || !right) return;
    if (!comparable(left.type, right.type)) {
      issues.push({
        field: `/keys/${i}`,
        message: `key columns "${left.name}" and "${right.name}" cannot be compared`,
        severity: 'error',
      });
    } else if (
      left.name === right.name &&
      JSON.stringify(valueType(left.type)) === JSON.stringify(valueType(right.type))
    ) {
      merged.add(left.name);
    }
  });
  return merged;
}

/** The output columns, or an issue when two get the same name. */
function layout(p: JoinParams, schemas: Record<Side, TableSchema>, merged: Set<string>) {
  const filtering = p.how === 'semi' || p.how === 'anti';
  const suffix = { left: p.leftSuffix ?? '_left', right: p.rightSuffix ?? '_right' };
  const other = { left: schemas.right, right: schemas.left };
  const fields: ColumnField[] = [];
  for (const side of filtering ? (['left'] as const) : (['left', 'right'] as const)) {
    for (const f of schemas[side].fields) {
      const isMerged = merged.has(f.name);
      if (isMerged && side === 'right') continue;
      const clash = !filtering && !isMerged && other[side].fields.some((g) => g.name === f.name);
      const type = isMerged ? valueType(f.type) : f.type;
      fields.push({ name: clash ? f.name + suffix[side] : f.name, type, nullable: true });
    }
  }
  return fields;
}

export const joinRule: SchemaRule = ({ params, inputs }) => {
  const left = inputs.left ?? unknownSchema('input "left" is not connected');
  const right = inputs.right ?? unknownSchema('input "right" is not connected');
  if (!left.known) return { outputs: { out: left }, issues: [] };
  if (!right.known) return { outputs: { out: right }, issues: [] };
  const p = params as unknown as JoinParams;
  const schemas = { left: left.schema, right: right.schema };
  const issues: RuleIssue[] = [];
  const merged = checkKeys(p, schemas, issues);
  const fields = layout(p, schemas, merged);
  const names = new Set<string>();
  for (const f of fields) {
    if (names.has(f.name)) {
      issues.push({
        field: '/rightSuffix',
        message: `output column "${f.name}" appears twice; choose other suffixes`,
        severity: 'error',
      });
    }
    names.add(f.name);
  }
  const out: SchemaInfo = { known: true, schema: { fields } };
  return { outputs: { out }, issues };
};
