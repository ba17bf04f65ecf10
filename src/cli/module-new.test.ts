/** `quiver module new`: the copy, the renames, the placeholders, and what it refuses. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { MADE_BY, TEMPLATE_LANGUAGES } from './module-new';

async function run(...args: string[]) {
  const lines: string[] = [];
  const io = { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) };
  const status = await main(['module', 'new', ...args], io);
  return { status, text: lines.join('\n') };
}

describe('quiver module new', () => {
  it.each(TEMPLATE_LANGUAGES)(
    'makes a %s project named after the module, with no placeholder left',
    async (language) => {
      const parent = mkdtempSync(join(tmpdir(), 'quiver-new-'));
      const { status, text } = await run(language, 'price_in_euros', '--dir', parent);
      expect(text).toContain(`Created ${join(parent, 'price_in_euros')}`);
      expect(status).toBe(0);
      const dir = join(parent, 'price_in_euros');
      const files = readdirSync(dir, { recursive: true }).map(String);
      expect(files).toContain('price_in_euros.json');
      expect(files).toContain('build.sh');
      for (const file of files.filter((f) => /\.(json|sh|c|cpp|rs|go|mod|toml|md|ts)$/.test(f))) {
        const content = readFileSync(join(dir, file), 'utf8');
        expect(content, file).not.toMatch(/quiver_template|\.\.\/\.\.\/\.\.\/\.\./);
        // Only the README names the example it started from.
        if (!file.endsWith('.md'))
          expect(content.replace(MADE_BY, ''), file).not.toMatch(/\bscale\b/);
        expect(content, file).not.toMatch(/(=> |path = ")\.\.\//);
      }
      const sources = files.filter((f) => /\.(c|cpp|rs|go|ts)$/.test(f));
      const source = readFileSync(join(dir, sources[0]!), 'utf8');
      expect(source).toContain(MADE_BY);
      const manifest = JSON.parse(readFileSync(join(dir, 'price_in_euros.json'), 'utf8'));
      expect(manifest.id).toBe('price_in_euros');
    },
  );

  it('refuses an unknown language, a bad id and an existing folder', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'quiver-new-'));
    expect((await run('cobol', 'x', '--dir', parent)).text).toContain('no template for "cobol"');
    expect((await run('c', 'Bad-Id', '--dir', parent)).text).toContain('module id "Bad-Id"');
    expect((await run('c', 'twice', '--dir', parent)).status).toBe(0);
    const again = await run('c', 'twice', '--dir', parent);
    expect(again.status).toBe(2);
    expect(again.text).toContain('already exists');
  });
});
