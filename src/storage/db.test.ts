import { describe, expect, it } from 'vitest';
import { DB_UPGRADES, storesToCreate } from './db';

describe('IndexedDB upgrades', () => {
  it('creates every store in a fresh browser', () => {
    expect(storesToCreate(0)).toEqual(['pipelines', 'files', 'meta', 'modules']);
  });

  it('adds only the modules store to a version 1 database, keeping its pipelines and files', () => {
    expect(storesToCreate(1)).toEqual(['modules']);
    expect(storesToCreate(2)).toEqual([]);
  });

  it('lists versions in order, each store once', () => {
    const versions = DB_UPGRADES.map((u) => u.version);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const stores = DB_UPGRADES.flatMap((u) => u.stores);
    expect(new Set(stores).size).toBe(stores.length);
  });
});
