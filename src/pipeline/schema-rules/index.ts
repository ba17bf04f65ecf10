/**
 * Schema rules of the built-in modules, by module id. A module without a rule (e.g. a user's
 * module) has unknown output schemas unless a previous run or preview supplies them.
 */
import { aggregateRule } from './aggregate';
import { castRule } from './cast';
import { chartRule } from './chart';
import { csvRule } from './csv';
import { jsonRule } from './json';
import { deriveRule } from './derive';
import { distinctRule } from './distinct';
import { fillRule } from './fill';
import { filterRule } from './filter';
import { joinRule } from './join';
import { javascriptRule } from './javascript';
import { sqlRule } from './sql';
import { limitRule } from './limit';
import type { SchemaRule } from './rule';
import { pivotRule } from './pivot';
import { sampleRule } from './sample';
import { selectRule } from './select';
import { sortRule } from './sort';
import { sourceRule } from './source';
import { unpivotRule } from './unpivot';
import { windowRule } from './window';
import { unionRule } from './union';

export type { RuleContext, RuleIssue, RuleResult, SchemaRule } from './rule';

/** Built-in rules, keyed by manifest id. */
export const schemaRules: Readonly<Record<string, SchemaRule>> = {
  aggregate: aggregateRule,
  cast: castRule,
  chart: chartRule,
  csv: csvRule,
  json: jsonRule,
  derive: deriveRule,
  distinct: distinctRule,
  fill: fillRule,
  filter: filterRule,
  join: joinRule,
  javascript: javascriptRule,
  sql: sqlRule,
  sql2: sqlRule,
  limit: limitRule,
  pivot: pivotRule,
  sample: sampleRule,
  select: selectRule,
  sort: sortRule,
  source: sourceRule,
  unpivot: unpivotRule,
  window: windowRule,
  union: unionRule,
};
