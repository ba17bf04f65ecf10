/**
 * Vite plugin that lets the editor's start-up data load while its script is still being
 * parsed: `<link rel="preload" as="fetch">` in index.html for every file main.tsx fetches
 * before the first render — the built-in modules' list (`/modules/index.json`), each built-in
 * manifest (`/modules/<id>.json`, read from public/modules/index.json at build time) and the
 * sample catalogue (`/samples/index.json`). Without them these fetches start only once the
 * entry script has run, and the manifests only after the list has arrived: two round trips on
 * the way to the first screen. `crossorigin` makes each preload match main.tsx's plain
 * same-origin `fetch` (CORS mode, same-origin credentials), so the browser reuses it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HtmlTagDescriptor, Plugin } from 'vite';

/** The URLs to preload, in the order main.tsx needs them. */
export function bootFetchUrls(publicDir: string): string[] {
  const listFile = path.join(publicDir, 'modules', 'index.json');
  const ids: unknown = JSON.parse(readFileSync(listFile, 'utf8'));
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string'))
    throw new Error(`${listFile}: expected a JSON array of module ids`);
  return [
    '/modules/index.json',
    '/samples/index.json',
    ...ids.map((id) => `/modules/${encodeURIComponent(id)}.json`),
  ];
}

/** The plugin; `publicDir` is Vite's public directory (public/ of the repository). */
export function bootPreload(publicDir: string): Plugin {
  return {
    name: 'quiver-boot-preload',
    transformIndexHtml: (): HtmlTagDescriptor[] =>
      bootFetchUrls(publicDir).map((href) => ({
        tag: 'link',
        attrs: { rel: 'preload', as: 'fetch', crossorigin: '', href },
        injectTo: 'head',
      })),
  };
}
