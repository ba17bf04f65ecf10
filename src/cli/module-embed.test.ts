import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readModulePackage } from '../modules/package';
import { main } from './main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'quiver-embed-'));
const manifest = {
  ...JSON.parse(readFileSync('public/modules/limit.json', 'utf8')),
  id: 'acme.head',
};

describe('quiver module embed', () => {
  it('writes a .wasm that installs without its .json', async () => {
    const json = join(dir, 'acme.head.json');
    writeFileSync(json, JSON.stringify(manifest, null, 2));
    const out = join(dir, 'head.wasm');
    const { io, out: lines } = capture();
    expect(await main(['module', 'embed', 'public/modules/limit.wasm', json, '-o', out], io)).toBe(
      0,
    );
    const bytes = new Uint8Array(readFileSync(out));
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect(lines.join('\n')).toBe(
      `Wrote ${out}: acme.head ${manifest.version}, ${bytes.byteLength} bytes, sha256 ${sha}`,
    );
    const pkg = await readModulePackage(bytes);
    expect(pkg.manifest).toEqual(manifest);
  });

  it('refuses a manifest with a bad field, naming file and field, and writes nothing', async () => {
    const json = join(dir, 'acme.head.json');
    writeFileSync(json, JSON.stringify({ ...manifest, streamable: 'yes' }));
    const out = join(dir, 'never.wasm');
    const { io, err } = capture();
    expect(await main(['module', 'embed', 'public/modules/limit.wasm', json, '-o', out], io)).toBe(
      1,
    );
    expect(err.join('\n')).toContain('acme.head.json: streamable: must be boolean');
    expect(() => readFileSync(out)).toThrow();
  });

  it('explains a wrong command line', async () => {
    const { io, err } = capture();
    expect(await main(['module', 'embed', 'only.wasm'], io)).toBe(2);
    expect(err.join('\n')).toContain('module embed: expected <module.wasm> <manifest.json>');
  });
});
