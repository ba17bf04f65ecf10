/**
 * Names for steps the user has not named, read from their params (`temp_max > 15`,
 * `by weather`, `sort by date`, `first 10`), so a canvas reads as what it does rather than
 * `filter-1`. Display only: the step's id (what edges, caches and runs refer to) never changes,
 * and a label the user set always wins.
 */
import type { Step } from './types';

/** Longest default name, in characters; longer ones end in "…" (the node stays narrow). */
export const MAX_STEP_NAME_CHARS = 32;

type Params = Readonly<Record<string, unknown>>;

function shorten(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_STEP_NAME_CHARS ? flat : `${flat.slice(0, MAX_STEP_NAME_CHARS - 1)}…`;
}

/** The non-empty strings of `value` if it is an array, else []. */
function strings(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string' && v !== '')
    : [];
}

/** The non-empty `key` strings of the objects in array `value`. */
function fieldOf(value: unknown, key: string): string[] {
  if (!Array.isArray(value)) return [];
  return strings(value.map((v) => (v && typeof v === 'object' ? (v as Params)[key] : undefined)));
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function sortName(p: Params): string | null {
  if (!Array.isArray(p.keys)) return null;
  const keys = p.keys.flatMap((k: unknown) => {
    const key = (k ?? {}) as Params;
    const column = text(key.column);
    return column ? [key.descending === true ? `${column} ↓` : column] : [];
  });
  return keys.length ? `sort by ${keys.join(', ')}` : null;
}

function limitName(p: Params): string | null {
  const count = typeof p.count === 'number' ? p.count : null;
  const offset = typeof p.offset === 'number' ? p.offset : 0;
  if (count === null) return null;
  return offset > 0 ? `rows ${offset + 1}–${offset + count}` : `first ${count}`;
}

function aggregateName(p: Params): string | null {
  const by = strings(p.groupBy);
  if (by.length) return `by ${by.join(', ')}`;
  const names = fieldOf(p.aggregates, 'name');
  return names.length ? `total ${names.join(', ')}` : null;
}

function selectName(p: Params): string | null {
  const keep = strings(p.columns);
  if (keep.length) return `keep ${keep.join(', ')}`;
  const drop = strings(p.drop);
  return drop.length ? `drop ${drop.join(', ')}` : null;
}

function deriveName(p: Params): string | null {
  const column = text(p.column);
  const expression = text(p.expression);
  if (column && expression) return `${column} = ${expression}`;
  return column;
}

/** Per module id: a name from the params, or null when they say too little. */
const NAMERS: Readonly<Record<string, (p: Params) => string | null>> = {
  filter: (p) => text(p.expression),
  derive: deriveName,
  aggregate: aggregateName,
  sort: sortName,
  limit: limitName,
  select: selectName,
  distinct: (p) => (strings(p.columns).length ? `distinct ${strings(p.columns).join(', ')}` : null),
  sample: (p) => (typeof p.rows === 'number' ? `sample ${p.rows}` : null),
  join: (p) => {
    const keys = fieldOf(p.keys, 'left');
    const how = typeof p.how === 'string' && p.how !== 'inner' ? `${p.how} ` : '';
    return keys.length ? `${how}join on ${keys.join(', ')}` : null;
  },
  cast: (p) => {
    const cols = fieldOf(p.columns, 'column');
    return cols.length ? `cast ${cols.join(', ')}` : null;
  },
  fill: (p) => (strings(p.columns).length ? `fill ${strings(p.columns).join(', ')}` : null),
  pivot: (p) => (text(p.column) ? `pivot ${String(p.column)}` : null),
  unpivot: (p) => (strings(p.columns).length ? `unpivot ${strings(p.columns).join(', ')}` : null),
  window: (p) => {
    const names = fieldOf(p.columns, 'name');
    return names.length ? names.join(', ') : null;
  },
  source: (p) => {
    const uri = text(p.uri);
    // `sample:seattle-weather.csv`, `file:…/data.csv`, `https://…/x.csv?y` → the file's name.
    return uri ? (uri.split(/[/:]/).pop()?.split('?')[0] ?? null) || null : null;
  },
};

/**
 * The name a step shows: its label if the user set one, else one read from its params (see
 * {@link NAMERS}), else its id.
 */
export function stepDisplayName(step: Pick<Step, 'id' | 'moduleId' | 'label' | 'params'>): string {
  const label = step.label?.trim();
  if (label) return label;
  const named = NAMERS[step.moduleId]?.(step.params);
  return named ? shorten(named) : step.id;
}
