/**
 * What the palette shows and searches for each step, in one table: its palette category, a
 * one-line summary, an example, and the words people search for it by ("merge" finds join,
 * "dedupe" finds distinct, "group by" finds aggregate, "where" finds filter). Steps not in the
 * table (installed modules, steps added later) fall back to their manifest's category and the
 * first sentence of its description, and are still found by name, id and description.
 *
 * Kept here rather than in the manifests: the words are the editor's, and a user's module
 * should not be able to claim "join" to push itself into every search.
 */
import type { ModuleManifest } from '../modules/manifest';

/** The palette's groups, in display order. */
export const PALETTE_CATEGORIES = [
  'Sources',
  'Rows',
  'Columns',
  'Combine',
  'Aggregate',
  'Output',
  'Other',
] as const;

export type PaletteCategory = (typeof PALETTE_CATEGORIES)[number];

/** One step's palette entry. */
export interface PaletteEntry {
  category: PaletteCategory;
  /** One line: what the step does. */
  summary: string;
  /** A concrete use, shown under the summary on hover. */
  example: string;
  /** Lower-case words and phrases users search by (other tools' names for the step). */
  synonyms: readonly string[];
}

/** The built-in steps (and those other engineers add: join, union), by module id. */
export const PALETTE_ENTRIES: Readonly<Record<string, PaletteEntry>> = {
  csv: {
    category: 'Sources',
    summary: 'Read a CSV or TSV file into a table.',
    example: 'seattle-weather.csv → date, precipitation, temp_max, …',
    synonyms: ['import', 'load', 'read', 'open', 'file', 'tsv', 'text file', 'spreadsheet'],
  },
  filter: {
    category: 'Rows',
    summary: 'Keep the rows where a condition holds.',
    example: 'temp_max > 15 && weather == "sun"',
    synonyms: ['where', 'keep rows', 'remove rows', 'subset', 'condition', 'select rows', 'query'],
  },
  sort: {
    category: 'Rows',
    summary: 'Order rows by one or more columns.',
    example: 'days descending, then weather',
    synonyms: ['order by', 'order', 'arrange', 'rank rows', 'ascending', 'descending'],
  },
  limit: {
    category: 'Rows',
    summary: 'Keep the first N rows, after skipping some.',
    example: 'offset 0, count 100: the first 100 rows',
    synonyms: ['head', 'top', 'first rows', 'take', 'offset', 'skip'],
  },
  distinct: {
    category: 'Rows',
    summary: 'Remove duplicate rows, keeping the first of each.',
    example: 'columns [city, state]: one row per city',
    synonyms: [
      'dedupe',
      'deduplicate',
      'unique',
      'remove duplicates',
      'drop duplicates',
      'distinct on',
    ],
  },
  sample: {
    category: 'Rows',
    summary: 'Keep a random, reproducible sample of rows.',
    example: '1000 rows, seed 42 (or a fraction: 0.1)',
    synonyms: ['random', 'subsample', 'reservoir', 'shuffle', 'sampling'],
  },
  fill: {
    category: 'Rows',
    summary: 'Replace missing values: a constant, or the previous or next value.',
    example: 'price: fill down within each symbol',
    synonyms: [
      'missing',
      'null',
      'nulls',
      'na',
      'fillna',
      'ffill',
      'bfill',
      'fill down',
      'coalesce',
      'impute',
      'replace null',
    ],
  },
  select: {
    category: 'Columns',
    summary: 'Keep, drop, rename and reorder columns.',
    example: 'keep date and temp_max as high',
    synonyms: [
      'project',
      'columns',
      'drop columns',
      'rename',
      'reorder',
      'choose columns',
      'remove columns',
    ],
  },
  derive: {
    category: 'Columns',
    summary: 'Add or replace a column computed from an expression.',
    example: 'range = temp_max - temp_min',
    synonyms: [
      'compute',
      'calculate',
      'formula',
      'expression',
      'new column',
      'mutate',
      'add column',
      'with column',
    ],
  },
  cast: {
    category: 'Columns',
    summary: 'Change column types; values that do not convert become null or an error.',
    example: 'Year (text) → date; Horsepower → string',
    synonyms: [
      'convert',
      'type',
      'change type',
      'to number',
      'to text',
      'parse',
      'try_cast',
      'as type',
    ],
  },
  window: {
    category: 'Columns',
    summary: 'Add ranks, running totals, lags and moving averages per group.',
    example: 'per symbol by date: row_number, lag(price), 5-row moving mean',
    synonyms: [
      'over',
      'partition by',
      'rank',
      'row number',
      'running total',
      'cumulative',
      'cumsum',
      'lag',
      'lead',
      'moving average',
      'rolling',
      'analytic',
    ],
  },
  unpivot: {
    category: 'Columns',
    summary: 'Turn columns into rows (wide to long).',
    example: 'USA, Europe, Japan → origin, count',
    synonyms: ['melt', 'gather', 'wide to long', 'stack', 'pivot longer', 'columns to rows'],
  },
  pivot: {
    category: 'Aggregate',
    summary: 'Turn a column’s values into columns (long to wide), aggregating.',
    example: 'rows Year, columns Origin, mean of Horsepower',
    synonyms: [
      'crosstab',
      'cross tab',
      'spread',
      'long to wide',
      'pivot table',
      'pivot wider',
      'rows to columns',
    ],
  },
  aggregate: {
    category: 'Aggregate',
    summary: 'Group rows and compute counts, sums, means, min and max.',
    example: 'group by weather: count, mean of temp_max',
    synonyms: [
      'group by',
      'group',
      'summarize',
      'summarise',
      'totals',
      'count',
      'sum',
      'average',
      'mean',
      'statistics',
      'rollup',
    ],
  },
  join: {
    category: 'Combine',
    summary: 'Combine two tables on matching key columns.',
    example: 'flights.origin = airports.iata (left join)',
    synonyms: [
      'merge',
      'lookup',
      'vlookup',
      'match',
      'combine',
      'inner join',
      'left join',
      'relate',
      'link',
    ],
  },
  union: {
    category: 'Combine',
    summary: 'Stack the rows of two tables.',
    example: 'flights 2019 + flights 2020, matched by column name',
    synonyms: [
      'append',
      'concatenate',
      'concat',
      'stack',
      'bind rows',
      'union all',
      'combine rows',
    ],
  },
};

/** Palette category of a manifest category the table does not know. */
function fallbackCategory(category: string): PaletteCategory {
  const c = category.toLowerCase();
  if (c === 'source') return 'Sources';
  if (c === 'sink' || c === 'output') return 'Output';
  return 'Other';
}

/** The palette entry of `m`: from the table, or built from its manifest. */
export function paletteEntry(m: ModuleManifest): PaletteEntry {
  const known = PALETTE_ENTRIES[m.id];
  if (known) return known;
  const firstSentence = /^.*?[.!?](\s|$)/.exec(m.description)?.[0].trim() ?? m.description;
  return {
    category: fallbackCategory(m.category),
    summary: firstSentence,
    example: '',
    synonyms: [],
  };
}

/** True if `m` (with its entry) matches the search `query` (any case; blank matches all). */
export function matchesQuery(m: ModuleManifest, entry: PaletteEntry, query: string): boolean {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!q) return true;
  const fields = [m.name, m.id, m.description, entry.category, entry.summary, ...entry.synonyms];
  return fields.some((f) => f.toLowerCase().includes(q));
}

/**
 * How well `m` matches `query`, for putting the likeliest step first (Enter picks it): 0 its
 * name starts with the query, 1 its name or id contains it, 2 another tool's name for it does,
 * 3 only its description or category does. Use with {@link matchesQuery}.
 */
export function matchRank(m: ModuleManifest, entry: PaletteEntry, query: string): number {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  const name = m.name.toLowerCase();
  if (name.startsWith(q)) return 0;
  if (name.includes(q) || m.id.toLowerCase().includes(q)) return 1;
  if (entry.synonyms.some((w) => w.toLowerCase().includes(q))) return 2;
  return 3;
}

/**
 * Steps the table knows that match `query` but are not among `installed` ids (e.g. "merge" when
 * no join module is installed), so the palette can say why nothing shows. Ids in table order.
 */
export function missingMatches(query: string, installed: ReadonlySet<string>): string[] {
  const q = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (!q) return [];
  return Object.entries(PALETTE_ENTRIES)
    .filter(
      ([id, e]) => !installed.has(id) && (id.includes(q) || e.synonyms.some((w) => w.includes(q))),
    )
    .map(([id]) => id);
}
