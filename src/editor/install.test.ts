import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embedManifest } from '../modules/package';
import { candidatesFromFiles, isModuleFile, permissionChanges, permissionWords } from './install';

const wasm = readFileSync('public/modules/limit.wasm');
const manifest = {
  ...JSON.parse(readFileSync('public/modules/limit.json', 'utf8')),
  id: 'acme.head',
};
const file = (name: string, body: BlobPart) => new File([body], name);

describe('candidatesFromFiles', () => {
  it('pairs a .wasm with the .json of its name, and reads a lone .wasm from its section', async () => {
    const embedded = embedManifest(wasm, JSON.stringify({ ...manifest, id: 'acme.tail' }));
    const found = await candidatesFromFiles([
      file('acme.head.json', JSON.stringify(manifest)),
      file('tail.wasm', embedded),
      file('acme.head.wasm', wasm),
    ]);
    expect(
      found.map((c) =>
        c.ok ? [c.module.pkg.manifest.id, c.module.pkg.manifestSource] : c.message,
      ),
    ).toEqual([
      ['acme.tail', 'embedded'],
      ['acme.head', 'file'],
    ]);
  });

  it('names the field of a bad manifest, and a manifest given without its .wasm', async () => {
    const [bad] = await candidatesFromFiles([
      file('x.wasm', wasm),
      file('acme.head.json', JSON.stringify({ ...manifest, streamable: 1 })),
    ]);
    expect(bad).toMatchObject({
      ok: false,
      fields: [{ field: 'streamable', message: 'must be boolean' }],
    });
    const [lonely] = await candidatesFromFiles([file('acme.head.json', JSON.stringify(manifest))]);
    expect(lonely).toMatchObject({
      ok: false,
      message: 'acme.head.json: no .wasm was given with this manifest',
    });
  });

  it('refuses a file that is not WebAssembly, naming it', async () => {
    const [c] = await candidatesFromFiles([file('notes.wasm', 'hello')]);
    expect(c).toMatchObject({ ok: false });
    expect(c?.ok === false && c.message).toMatch(/^notes\.wasm: not a WebAssembly module/);
  });
});

describe('permissions on the card', () => {
  it('words what a manifest asks for', () => {
    expect(permissionWords({})).toEqual([]);
    expect(permissionWords({ storage: 'read', random: true })).toEqual([
      'storage (read-only)',
      'random',
    ]);
  });

  it('lists what an update adds, drops and changes', () => {
    expect(permissionChanges({}, {})).toEqual([]);
    expect(permissionChanges({ random: true }, { clock: true })).toEqual(['+ clock', '- random']);
    expect(permissionChanges({ storage: 'read' }, { storage: 'readwrite' })).toEqual([
      'storage: read → readwrite',
    ]);
    expect(permissionChanges({}, { storage: 'read' })).toEqual(['+ storage (read)']);
  });

  it('tells module files from pipelines', () => {
    expect(isModuleFile('a.wasm')).toBe(true);
    expect(isModuleFile('a.json')).toBe(true);
    expect(isModuleFile('a.quiver.json')).toBe(false);
    expect(isModuleFile('a.csv')).toBe(false);
  });
});
