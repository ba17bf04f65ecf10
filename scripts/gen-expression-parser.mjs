/**
 * Writes the expression parser (src/pipeline/expression/parser.generated.js and its .d.ts)
 * from the peggy grammar in src/pipeline/expression/grammar.ts. Run with tsx (it imports
 * TypeScript): `npm run gen:expression-parser`. With `--check`, writes nothing and exits 1
 * naming each file that differs from what the grammar gives.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generatedParserFiles } from '../src/pipeline/expression/grammar.ts';

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../src/pipeline/expression');
const files = generatedParserFiles();
const targets = [
  [resolve(dir, 'parser.generated.js'), files.js],
  [resolve(dir, 'parser.generated.d.ts'), files.dts],
];

if (process.argv.includes('--check')) {
  let stale = 0;
  for (const [path, text] of targets) {
    const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
    if (current !== text) {
      stale++;
      console.error(`${path}: out of date with grammar.ts (run npm run gen:expression-parser)`);
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}
for (const [path, text] of targets) {
  writeFileSync(path, text);
  console.log(`wrote ${path} (${Buffer.byteLength(text)} bytes)`);
}
