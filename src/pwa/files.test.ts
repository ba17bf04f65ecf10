import { describe, expect, it } from 'vitest';
import { kindOfFileName, launchActionOf, onFilesOpened } from './files';
import { OPENABLE_TYPES } from './manifest';

describe('kindOfFileName', () => {
  it('classifies every extension the manifest declares', () => {
    const declared = Object.values(OPENABLE_TYPES).flat();
    for (const ext of declared) expect(kindOfFileName(`data${ext}`), ext).not.toBeNull();
  });

  it('prefers .quiver.json over plain JSON and ignores case', () => {
    expect(kindOfFileName('Trip.QUIVER.JSON')).toBe('pipeline');
    expect(kindOfFileName('weather.CSV')).toBe('csv');
    expect(kindOfFileName('flights.parquet')).toBe('parquet');
    expect(kindOfFileName('notes.json')).toBeNull();
    expect(kindOfFileName('csv')).toBeNull();
  });
});

describe('launchActionOf', () => {
  it('reads the manifest shortcut actions and rejects others', () => {
    expect(launchActionOf('https://q.example/?action=new')).toBe('new');
    expect(launchActionOf('/?action=examples')).toBe('examples');
    expect(launchActionOf('/?action=shared&x=1')).toBe('shared');
    expect(launchActionOf('/?action=delete-everything')).toBeNull();
    expect(launchActionOf('/')).toBeNull();
  });
});

describe('onFilesOpened', () => {
  it('subscribes and unsubscribes without delivering anything when nothing was opened', () => {
    const seen: unknown[] = [];
    const off = onFilesOpened((b) => seen.push(b));
    off();
    expect(seen).toEqual([]);
  });
});
