import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('generated Unicode case tables', () => {
  it('modules/sdk/unicode_case.c is what the Unicode Character Database gives (else npm run gen:unicode-case)', () => {
    const script = resolve(import.meta.dirname, 'gen-unicode-case.mjs');
    expect(() => execFileSync('node', [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
