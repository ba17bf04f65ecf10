import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedBundle } from './bundle-cache';

const dir = mkdtempSync(join(tmpdir(), 'quiver-bundle-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cachedBundle', () => {
  it('reuses a bundle while its inputs are unchanged and rebuilds when one changes', () => {
    const entry = join(dir, 'entry.ts');
    const lib = join(dir, 'lib.ts');
    writeFileSync(entry, "import { word } from './lib';\nconsole.log(word);\n");
    writeFileSync(lib, "export const word: string = 'first';\n");
    const options = { entryPoints: [entry], bundle: true, format: 'esm' as const, write: false };
    const cache = join(dir, 'cache');

    const first = cachedBundle(cache, 'test', options);
    expect(readFileSync(first, 'utf8')).toContain('first');
    const record = join(cache, readdirSync(cache).find((f) => f.endsWith('.json')) ?? '');
    const written = statSync(record).mtimeMs;
    // Reused: the record is not written again (no build).
    expect(cachedBundle(cache, 'test', options)).toBe(first);
    expect(statSync(record).mtimeMs).toBe(written);

    // Another size, so the change shows even within one mtime tick.
    writeFileSync(lib, "export const word: string = 'second one';\n");
    const second = cachedBundle(cache, 'test', options);
    expect(second).not.toBe(first);
    expect(readFileSync(second, 'utf8')).toContain('second one');
  });
});
