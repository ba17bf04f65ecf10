/**
 * Words for people about a step's params: labels for list items (`Sort key 1`, `Group by,
 * item 1`), a readable place for a field (`Sort key 1 › Column`) and a sentence for a failed
 * JSON Schema keyword (`Choose a column to sort by`, `Output name is required`) instead of a
 * validator's `must have required property 'column'` at `/keys/0`.
 *
 * Works from what JSON Schema itself defines (the failed keyword, its parameters as named by
 * the JSON Schema spec and ajv, and an RFC 6901 pointer to the value), so it does not depend
 * on which validator found the error; an unknown keyword keeps the validator's own message.
 */

/** The parts of a JSON Schema this file reads. */
export interface SchemaNode {
  type?: string | string[];
  title?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  enum?: unknown[];
  [k: string]: unknown;
}

/** A failed keyword at a place in the params, as any JSON Schema validator can report it. */
export interface KeywordError {
  /** RFC 6901 pointer to the value at fault (for `required`: to the missing property). */
  pointer: string;
  /** The JSON Schema keyword that failed: `required`, `type`, `minLength`, `enum`, ... */
  keyword?: string;
  /** Keyword parameters: `limit`, `type`, `allowedValues`, `i`/`j` (uniqueItems), ... */
  params?: Readonly<Record<string, unknown>>;
  /** The validator's own message, used when the keyword is not one known here. */
  message: string;
}

/** A column picked for a purpose: field path (indexes as `*`) → what the column is for. */
const COLUMN_PURPOSE: Readonly<Record<string, string>> = {
  '/keys/*/column': 'to sort by',
  '/groupBy/*': 'to group by',
  '/aggregates/*/column': 'to aggregate',
  '/partitionBy/*': 'to partition by',
  '/columns/*/column': 'to change',
  '/keys/*/left': 'from the left input',
  '/keys/*/right': 'from the right input',
};

function unescapeToken(token: string): string {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

function tokens(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unescapeToken);
}

const isIndex = (token: string) => /^(0|[1-9][0-9]*)$/.test(token);

/** `groupBy` → `Group by`, `nullTokens` → `Null tokens`, `left_suffix` → `Left suffix`. */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The label of item `index` (0-based) of a list titled `title`: a plural title names one item
 * (`Sort keys` → `Sort key 1`, `Null tokens` → `Null token 1`), any other says which item
 * (`Group by` → `Group by, item 1`).
 */
export function itemLabel(title: string, index: number): string {
  const n = index + 1;
  if (/[^s]s$/i.test(title)) return `${title.slice(0, -1)} ${n}`;
  return `${title}, item ${n}`;
}

/** The labels along `pointer` in `schema`, an item's label replacing its list's title. */
function labelParts(schema: SchemaNode, pointer: string): string[] {
  const parts: string[] = [];
  let node: SchemaNode | undefined = schema;
  for (const token of tokens(pointer)) {
    if (isIndex(token) && node?.items) {
      const list = parts.pop() ?? 'Item';
      parts.push(itemLabel(list, Number(token)));
      node = node.items;
    } else {
      const child: SchemaNode | undefined = node?.properties?.[token];
      parts.push(child?.title ?? humanizeKey(token));
      node = child;
    }
  }
  return parts;
}

/** Where `pointer` is, for people: `Sort key 1 › Column`, `Group by, item 2`; `''` for the root. */
export function fieldLabel(schema: SchemaNode, pointer: string): string {
  return labelParts(schema, pointer).join(' › ');
}

function schemaAt(schema: SchemaNode, pointer: string): SchemaNode | undefined {
  let node: SchemaNode | undefined = schema;
  for (const token of tokens(pointer)) {
    node = isIndex(token) && node?.items ? node.items : node?.properties?.[token];
  }
  return node;
}

/** Is the value at `pointer` a column name (by its key or title, the manifests' words)? */
function isColumnPlace(schema: SchemaNode, pointer: string): boolean {
  const last = tokens(pointer).pop() ?? '';
  const node = schemaAt(schema, pointer);
  // A column the step creates (derive's, window's) is named freely, not picked.
  if (/new column|column to add/i.test(String(node?.description ?? ''))) return false;
  const title = node?.title ?? '';
  return /column$/i.test(title) || /^column$/.test(last) || columnPurpose(pointer) !== undefined;
}

function columnPurpose(pointer: string): string | undefined {
  return COLUMN_PURPOSE[pointer.replace(/\/(0|[1-9][0-9]*)(?=\/|$)/g, '/*')];
}

function typeWords(type: unknown): string {
  const words: Record<string, string> = {
    string: 'text',
    number: 'a number',
    integer: 'a whole number',
    boolean: 'on or off',
    array: 'a list',
    object: 'a group of settings',
    null: 'empty',
  };
  const list = Array.isArray(type) ? type : String(type).split(',');
  return list.map((t) => words[String(t)] ?? String(t)).join(' or ');
}

function quoteList(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

/** What is missing, said as the action that fixes it. */
function missingWords(schema: SchemaNode, pointer: string, label: string): string {
  if (isColumnPlace(schema, pointer)) {
    const purpose = columnPurpose(pointer);
    if (purpose) return `Choose a column ${purpose}`;
    return /^column$/i.test(label) ? 'Choose a column' : `Choose a column for ${label}`;
  }
  return `${label} is required`;
}

/**
 * The sentence shown at the field (it names the field, not its place): e.g. `Choose a column
 * to sort by`, `Output name is required`, `Count must be at least 0`, `Add at least one sort
 * key`, `Repeats item 1`.
 */
export function fieldMessage(schema: SchemaNode, error: KeywordError): string {
  const parts = labelParts(schema, error.pointer);
  const label = parts[parts.length - 1] ?? 'This step';
  const p = error.params ?? {};
  const limit = p.limit as number;
  switch (error.keyword) {
    case 'required':
      return missingWords(schema, error.pointer, label);
    case 'minLength':
      return limit === 1
        ? missingWords(schema, error.pointer, label)
        : `${label} needs at least ${limit} characters`;
    case 'maxLength':
      return `${label} takes at most ${limit} characters`;
    case 'type':
      return `${label} must be ${typeWords(p.type)}`;
    case 'minimum':
      return `${label} must be at least ${limit}`;
    case 'maximum':
      return `${label} must be at most ${limit}`;
    case 'exclusiveMinimum':
      return `${label} must be more than ${limit}`;
    case 'exclusiveMaximum':
      return `${label} must be less than ${limit}`;
    case 'multipleOf':
      return `${label} must be a multiple of ${p.multipleOf as number}`;
    case 'enum':
      return `Choose one of: ${quoteList((p.allowedValues as unknown[]) ?? [])}`;
    case 'const':
      return `${label} can only be ${quoteList([p.allowedValue])}`;
    case 'minItems': {
      const one = itemLabel(label, 0).replace(/ 1$|, item 1$/, '');
      return limit === 1
        ? `Add at least one ${one === label ? 'item' : one.toLowerCase()}`
        : `${label} needs at least ${limit} items`;
    }
    case 'maxItems':
      return `${label} takes at most ${limit} items`;
    case 'uniqueItems':
      return `${label}: item ${Math.max(Number(p.i), Number(p.j)) + 1} repeats item ${Math.min(Number(p.i), Number(p.j)) + 1}`;
    case 'additionalProperties':
      return `${label} is not a setting of this step`;
    case 'pattern':
      return `${label} is not in the expected form (see its description)`;
    case 'format':
      return `${label} must be a valid ${String(p.format)}`;
    default:
      return error.message;
  }
}

/**
 * The sentence for a list of problems (no field beside it): the place, then the field's
 * sentence (`Sort key 1: Choose a column to sort by`, `Group by, item 1: …`); just the
 * sentence for a top-level field, whose sentence names it.
 */
export function placedMessage(schema: SchemaNode, pointer: string, message: string): string {
  const parts = labelParts(schema, pointer);
  const place = parts.slice(0, -1).join(' › ');
  const leaf = parts[parts.length - 1];
  if (place) return `${place}: ${message}`;
  // "Add at least one sort key" names "Sort keys" already.
  const named = leaf && message.toLowerCase().includes(leaf.toLowerCase().replace(/s$/, ''));
  if (leaf && !named) return `${leaf}: ${message}`;
  return message;
}
