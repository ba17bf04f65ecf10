import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootFetchUrls, bootPreload } from './boot-preload-plugin';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A public directory whose modules/index.json holds `list` (JSON text). */
function publicDir(list: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'quiver-boot-preload-'));
  made.push(dir);
  mkdirSync(join(dir, 'modules'));
  writeFileSync(join(dir, 'modules', 'index.json'), list);
  return dir;
}

describe('boot preload', () => {
  it('preloads the module list, the sample catalogue and every built-in manifest', () => {
    const dir = resolve(import.meta.dirname, '../public');
    const ids = JSON.parse(readFileSync(join(dir, 'modules/index.json'), 'utf8')) as string[];
    const urls = bootFetchUrls(dir);
    expect(urls.slice(0, 2)).toEqual(['/modules/index.json', '/samples/index.json']);
    expect(urls.slice(2)).toEqual(ids.map((id) => `/modules/${id}.json`));
    expect(ids).toContain('filter');
  });

  it('emits one <link rel=preload as=fetch crossorigin> per URL, in the head', () => {
    const plugin = bootPreload(publicDir('["a b", "c"]'));
    const hook = plugin.transformIndexHtml as unknown as () => { attrs: Record<string, string> }[];
    expect(hook().map((t) => t.attrs)).toEqual(
      ['/modules/index.json', '/samples/index.json', '/modules/a%20b.json', '/modules/c.json'].map(
        (href) => ({ rel: 'preload', as: 'fetch', crossorigin: '', href }),
      ),
    );
  });

  it('names the list file when it is not an array of ids', () => {
    const dir = publicDir('{"filter": true}');
    expect(() => bootFetchUrls(dir)).toThrow(`${join(dir, 'modules', 'index.json')}: expected`);
  });
});
