/**
 * Writes modules/sdk/expr_catalog.h and expr_catalog.c from the expression catalog
 * (src/pipeline/expression/catalog.ts). Run with tsx (it imports TypeScript):
 * `npm run gen:expression-catalog`. With `--check`, writes nothing and exits 1 naming each
 * file that differs from what the catalog gives.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedCatalogFiles } from './expression-catalog.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const files = Object.entries(generatedCatalogFiles());

if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [rel, text] of files) {
    const path = resolve(root, rel);
    if ((existsSync(path) ? readFileSync(path, 'utf8') : null) !== text) {
      stale++;
      console.error(`${rel}: out of date with catalog.ts (run npm run gen:expression-catalog)`);
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}
for (const [rel, text] of files) {
  writeFileSync(resolve(root, rel), text);
  console.log(`wrote ${rel} (${Buffer.byteLength(text)} bytes)`);
}
