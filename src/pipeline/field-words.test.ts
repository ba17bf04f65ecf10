import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createCatalog } from '../modules/catalog';
import type { ModuleManifest } from '../modules/manifest';
import { fieldLabel, fieldMessage, itemLabel, placedMessage, type SchemaNode } from './field-words';

const manifestOf = (id: string) =>
  JSON.parse(
    readFileSync(resolve(import.meta.dirname, `../../public/modules/${id}.json`), 'utf8'),
  ) as ModuleManifest;
const ids = ['sort', 'aggregate', 'csv', 'limit', 'derive', 'filter'];
const catalog = createCatalog(
  ids.map((id) => ({ manifest: manifestOf(id), fileName: `${id}.json` })),
);
const schemaOf = (id: string) => manifestOf(id).params as SchemaNode;

/** The human sentences for what the real validator reports on `params` of module `id`. */
function sentences(id: string, params: unknown): string[] {
  return catalog
    .validateParams(id, params)
    .map((e) => placedMessage(schemaOf(id), e.pointer, fieldMessage(schemaOf(id), e)));
}

describe('item labels', () => {
  it.each([
    ['Sort keys', 0, 'Sort key 1'],
    ['Null tokens', 2, 'Null token 3'],
    ['Group by', 0, 'Group by, item 1'],
    ['Aggregates', 1, 'Aggregate 2'],
    ['Address', 0, 'Address, item 1'],
  ])('%s[%i] → %s', (title, index, label) => {
    expect(itemLabel(title, index)).toBe(label);
  });

  it('places a field by its labels', () => {
    expect(fieldLabel(schemaOf('sort'), '/keys/0/column')).toBe('Sort key 1 › Column');
    expect(fieldLabel(schemaOf('aggregate'), '/groupBy/1')).toBe('Group by, item 2');
  });
});

describe('messages for what the validator finds, with no jargon', () => {
  it.each<[string, unknown, string[]]>([
    ['sort', { keys: [{}] }, ['Sort key 1: Choose a column to sort by']],
    ['sort', { keys: [{ column: '' }] }, ['Sort key 1: Choose a column to sort by']],
    ['sort', { keys: [] }, ['Add at least one sort key']],
    ['aggregate', { aggregates: [{ op: 'count' }] }, ['Aggregate 1: Output name is required']],
    ['aggregate', { groupBy: [''] }, ['Group by, item 1: Choose a column to group by']],
    ['aggregate', { groupBy: ['a', 'a'] }, ['Group by: item 2 repeats item 1']],
    [
      'aggregate',
      { aggregates: [{ name: 'x', op: 'sum' }] },
      ['Aggregate 1: Choose a column to aggregate'],
    ],
    ['limit', { count: -1 }, ['Count must be at least 0']],
    ['limit', { count: 'ten' }, ['Count must be a whole number']],
    ['filter', { expression: 3 }, ['Expression must be text']],
    ['derive', { expression: 'a' }, ['Column is required']],
    ['csv', { quoting: true }, ['Quoting is not a setting of this step']],
  ])('%s %j', (id, params, expected) => {
    const got = sentences(id, params);
    expect(got).toEqual(expected);
    for (const s of got) expect(s).not.toMatch(/must have|must NOT|\/[a-z]+\/\d|property '|-1\*/);
  });

  it('keeps the validator message for a keyword it does not know', () => {
    expect(fieldMessage({}, { pointer: '', keyword: 'dependentRequired', message: 'x' })).toBe('x');
  });
});
