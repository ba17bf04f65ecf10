/**
 * `select` (modules/select/select.json): either a non-empty `columns` (output columns in
 * order, each optionally renamed with `as`), or `drop` then `rename` in place; an empty
 * `columns` counts as absent, as in modules/select/select.c.
 */
import { known, type ColumnField } from '../table-schema';
import {
  checkUniqueNames,
  requireColumn,
  singleInput,
  type RuleIssue,
  type SchemaRule,
} from './rule';

interface SelectParams {
  columns?: { name: string; as?: string }[];
  drop?: string[];
  rename?: { name: string; as: string }[];
}

export const selectRule: SchemaRule = singleInput((input, { params }) => {
  const p = params as SelectParams;
  const issues: RuleIssue[] = [];
  const drop = p.drop ?? [];
  const rename = p.rename ?? [];
  if (p.columns !== undefined && p.columns.length > 0) {
    if (drop.length > 0 || rename.length > 0) {
      issues.push({
        field: '/columns',
        message: 'cannot be combined with "drop" or "rename"; use one or the other',
        severity: 'error',
      });
    }
    const out: ColumnField[] = [];
    const names: { name: string; field: string }[] = [];
    p.columns.forEach((c, i) => {
      const f = requireColumn(input, c.name, `/columns/${i}/name`, issues);
      const name = c.as ?? c.name;
      names.push({ name, field: `/columns/${i}${c.as !== undefined ? '/as' : '/name'}` });
      if (f) out.push({ ...f, name });
    });
    checkUniqueNames(names, issues);
    return { output: known({ fields: out }), issues };
  }
  drop.forEach((d, i) => requireColumn(input, d, `/drop/${i}`, issues));
  const dropped = new Set(drop);
  const kept = input.fields.filter((f) => !dropped.has(f.name));
  const keptSchema = { fields: kept };
  const newName = new Map<string, string>();
  rename.forEach((r, i) => {
    if (newName.has(r.name)) {
      issues.push({
        field: `/rename/${i}/name`,
        message: `column "${r.name}" is renamed twice`,
        severity: 'error',
      });
    } else if (dropped.has(r.name)) {
      issues.push({
        field: `/rename/${i}/name`,
        message: `column "${r.name}" is dropped, so it cannot be renamed`,
        severity: 'error',
      });
    } else if (requireColumn(keptSchema, r.name, `/rename/${i}/name`, issues)) {
      newName.set(r.name, r.as);
    }
  });
  const out = kept.map((f) => ({ ...f, name: newName.get(f.name) ?? f.name }));
  checkUniqueNames(
    out.map((f) => {
      const i = rename.findIndex((r) => r.name !== undefined && newName.get(r.name) === f.name);
      return { name: f.name, field: i >= 0 ? `/rename/${i}/as` : '/rename' };
    }),
    issues,
  );
  return { output: known({ fields: out }), issues };
});
