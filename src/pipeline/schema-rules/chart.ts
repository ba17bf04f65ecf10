/**
 * The host `chart` step (src/runtime/chart/chart.json): its x, y, colour, size and facet must
 * be input columns, and the marks that need a y (point, heat map, box plot, an aggregate other than
 * count) say so; the chart table it outputs is known after a run.
 */
import { formatColumnType, isNumericType, unknownSchema } from '../table-schema';
import { parseSpec, specProblems } from '../chart-spec';
import { knownAfterReading, requireColumn, type RuleIssue, type SchemaRule } from './rule';

const afterRun = knownAfterReading('The chart’s', 'chart');

/** Marks whose y is a number the chart summarizes or places. */
const NUMERIC_Y = new Set(['bar', 'line', 'area', 'boxplot']);

export const chartRule: SchemaRule = (ctx) => {
  const input = ctx.inputs.in ?? unknownSchema('input "in" is not connected');
  const result = afterRun(ctx);
  const issues: RuleIssue[] = [];
  const p = ctx.params;
  if (typeof p.spec === 'string' && p.spec.trim() !== '') {
    try {
      for (const message of specProblems(parseSpec(p.spec)))
        issues.push({ field: '/spec', message, severity: 'error' });
    } catch (error) {
      issues.push({ field: '/spec', message: (error as Error).message, severity: 'error' });
    }
  }
  if (!input.known) return { ...result, issues };
  const mark = String(p.mark ?? 'bar');
  const pick = (key: string) =>
    typeof p[key] === 'string' && p[key] !== ''
      ? requireColumn(input.schema, p[key], `/${key}`, issues)
      : undefined;
  const x = pick('x');
  const y = pick('y');
  pick('color');
  pick('size');
  pick('facet');
  if (typeof p.size === 'string' && p.size !== '' && mark !== 'point') {
    issues.push({
      field: '/size',
      message: 'size applies to point charts only',
      severity: 'warning',
    });
  }
  const needsY =
    mark === 'point' ||
    mark === 'heatmap' ||
    mark === 'boxplot' ||
    (NUMERIC_Y.has(mark) && p.aggregate !== undefined && p.aggregate !== 'count');
  if (needsY && (p.y === undefined || p.y === '')) {
    issues.push({ field: '/y', message: `a ${mark} chart needs a y column`, severity: 'error' });
  }
  if (mark === 'histogram' && x && !isNumericType(x.type)) {
    issues.push({
      field: '/x',
      message: `a histogram bins numbers; "${x.name}" is ${formatColumnType(x.type)}`,
      severity: 'error',
    });
  }
  if (NUMERIC_Y.has(mark) && p.aggregate !== 'count' && y && !isNumericType(y.type)) {
    issues.push({ field: '/y', message: `"${y.name}" is not a number`, severity: 'warning' });
  }
  return { ...result, issues };
};
