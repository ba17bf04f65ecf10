/**
 * Vite plugin: builds apache-arrow with `src/runtime/arrow-valid.ts` in place of its
 * `builder/valid.mjs`, whose `createIsValidFunction` uses `new Function`, refused by the app's
 * Content-Security-Policy (no `'unsafe-eval'`, src/pwa/csp.ts). Used for the page and for the
 * workers' bundles.
 */
import path from 'node:path';
import type { Plugin } from 'vite';

const REPLACEMENT = path.resolve(import.meta.dirname, '../src/runtime/arrow-valid.ts');

export function arrowNoEval(): Plugin {
  return {
    name: 'quiver-arrow-no-eval',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer || !/[\\/]apache-arrow[\\/]/.test(importer)) return null;
      return /(^|\/)builder\/valid(\.mjs|\.js)?$/.test(source) ? REPLACEMENT : null;
    },
  };
}
