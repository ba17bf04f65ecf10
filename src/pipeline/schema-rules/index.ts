/**
 * Schema rules of the built-in modules, by module id. A module without a rule (e.g. a user's
 * module) has unknown output schemas unless a previous run or preview supplies them.
 */
import { aggregateRule } from './aggregate';
import { csvRule } from './csv';
import { deriveRule } from './derive';
import { filterRule } from './filter';
import { javascriptRule } from './javascript';
import { limitRule } from './limit';
import type { SchemaRule } from './rule';
import { selectRule } from './select';
import { sortRule } from './sort';
import { sourceRule } from './source';

export type { RuleContext, RuleIssue, RuleResult, SchemaRule } from './rule';

/** Built-in rules, keyed by manifest id. */
export const schemaRules: Readonly<Record<string, SchemaRule>> = {
  aggregate: aggregateRule,
  csv: csvRule,
  derive: deriveRule,
  filter: filterRule,
  javascript: javascriptRule,
  limit: limitRule,
  select: selectRule,
  sort: sortRule,
  source: sourceRule,
};
