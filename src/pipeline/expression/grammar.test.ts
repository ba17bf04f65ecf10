import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPRESSION_GRAMMAR, generatedParserFiles } from './grammar';
import { parseExpression } from './parse';

const read = (name: string) => readFileSync(resolve(import.meta.dirname, name), 'utf8');

describe('generated expression parser', () => {
  it('is what the grammar generates today (else run npm run gen:expression-parser)', () => {
    const fresh = generatedParserFiles();
    // Compared as plain strings, so a failure names the first differing line, not a hash.
    expect(read('parser.generated.js')).toBe(fresh.js);
    expect(read('parser.generated.d.ts')).toBe(fresh.dts);
  });

  it('would differ after a grammar edit', () => {
    const edited = EXPRESSION_GRAMMAR.replace('"||"', '"or"');
    expect(edited).not.toBe(EXPRESSION_GRAMMAR);
    expect(generatedParserFiles(edited).js).not.toBe(read('parser.generated.js'));
  });

  it('is the one parseExpression uses, with no eval in it', () => {
    const r = parseExpression('a || b');
    expect(r.ok && r.ast.type === 'binary' && r.ast.op).toBe('||');
    expect(read('parser.generated.js')).not.toMatch(/\beval\s*\(|new Function\s*\(/);
  });
});
