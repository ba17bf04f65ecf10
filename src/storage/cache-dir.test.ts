import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { directoryCacheFiles } from './cache-dir';

describe('directoryCacheFiles', () => {
  it('creates the directory on first write, replaces files whole, and lists and removes them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'quiver-cache-dir-')), 'nested');
    const files = directoryCacheFiles(dir);
    expect(await files.list()).toEqual([]);
    expect(await files.read('a.json')).toBeNull();
    await files.write('a.json', [new Uint8Array([1, 2, 3])]);
    await files.write('a.json', [new Uint8Array([4]), new Uint8Array([5, 6])]);
    expect(await files.read('a.json')).toEqual(new Uint8Array([4, 5, 6]));
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['a.json']);
    await files.remove('a.json');
    await files.remove('a.json');
    expect(await files.list()).toEqual([]);
  });
});
