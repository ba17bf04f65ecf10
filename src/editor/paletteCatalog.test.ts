/** The palette's table: every built-in step has an entry, and searches by other tools' words find
 * the step they mean. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModuleManifest } from '../modules/manifest';
import { matchesQuery, missingMatches, PALETTE_ENTRIES, paletteEntry } from './paletteCatalog';

const dir = new URL('../../public/modules/', import.meta.url);
const ids = JSON.parse(readFileSync(new URL('index.json', dir), 'utf8')) as string[];
const manifests = ids.map(
  (id) => JSON.parse(readFileSync(new URL(`${id}.json`, dir), 'utf8')) as ModuleManifest,
);
const stub = (id: string): ModuleManifest => ({
  ...manifests[0]!,
  id,
  name: id,
  description: `The ${id} step. More text.`,
  category: 'transform',
});
const all = [
  ...manifests.filter((m) => m.id !== 'join' && m.id !== 'union'),
  stub('join'),
  stub('union'),
];

/** Ids the palette shows for `query`. */
const search = (query: string) =>
  all.filter((m) => matchesQuery(m, paletteEntry(m), query)).map((m) => m.id);

describe('palette catalog', () => {
  it('gives every listed step a category, a one-line summary and an example', () => {
    for (const [id, entry] of Object.entries(PALETTE_ENTRIES)) {
      expect(entry.example, id).not.toBe('');
      expect(entry.summary.length, id).toBeLessThan(90);
      expect(entry.category, id).not.toBe('Other');
    }
  });

  it('lists every built-in step of this branch (others fall back to their manifest)', () => {
    for (const id of ['csv', 'filter', 'derive', 'select', 'sort', 'limit', 'aggregate']) {
      expect(PALETTE_ENTRIES[id], id).toBeDefined();
    }
    for (const id of ['distinct', 'window', 'cast', 'fill', 'sample', 'pivot', 'unpivot']) {
      expect(PALETTE_ENTRIES[id], id).toBeDefined();
    }
    for (const m of manifests) expect(paletteEntry(m).summary, m.id).not.toBe('');
  });

  it.each([
    ['dedupe', 'distinct'],
    ['group by', 'aggregate'],
    ['GROUP   BY', 'aggregate'],
    ['where', 'filter'],
    ['merge', 'join'],
    ['vlookup', 'join'],
    ['append', 'union'],
    ['melt', 'unpivot'],
    ['crosstab', 'pivot'],
    ['rolling', 'window'],
    ['fillna', 'fill'],
    ['convert', 'cast'],
    ['order by', 'sort'],
  ])('"%s" finds %s', (query, id) => {
    expect(search(query)).toContain(id);
  });

  it('files a step it does not know by its manifest, with its first sentence as summary', () => {
    const entry = paletteEntry({ ...stub('mystep'), category: 'sink' });
    expect(entry).toEqual({
      category: 'Output',
      summary: 'The mystep step.',
      example: '',
      synonyms: [],
    });
    expect(search('nothing like this')).toEqual([]);
  });
});

describe('missingMatches', () => {
  it('names known steps a search means that are not installed', () => {
    const installed = new Set(['filter', 'distinct']);
    expect(missingMatches('merge', installed)).toEqual(['join']);
    expect(missingMatches('dedupe', installed)).toEqual([]);
    expect(missingMatches('  ', installed)).toEqual([]);
  });
});
