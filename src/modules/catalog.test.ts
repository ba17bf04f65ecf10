import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkManifest, createCatalog, fetchLoader, loadCatalog, ManifestError } from './catalog';
import { defaultLimits, defaultParams, defaultPermissions } from './defaults';
import type { ModuleManifest } from './manifest';
import { fsLoader } from './node-loader';

const MODULES_DIR = fileURLToPath(new URL('../../modules', import.meta.url));

/** The built-in manifests committed so far under modules/<id>/<id>.json. */
function builtinManifestFiles(): string[] {
  return readdirSync(MODULES_DIR)
    .map((id) => join(MODULES_DIR, id, `${id}.json`))
    .filter((p) => existsSync(p));
}

const filterLike: ModuleManifest = {
  abi: 1,
  id: 'demo',
  name: 'Demo',
  version: '1.0.0',
  description: 'A demo module.',
  category: 'transform',
  inputs: [{ name: 'in', type: 'arrow' }],
  outputs: [{ name: 'out', type: 'arrow' }],
  params: {
    type: 'object',
    additionalProperties: false,
    required: ['expression'],
    properties: {
      expression: { type: 'string', minLength: 1 },
      nested: {
        type: 'object',
        properties: { depth: { type: 'integer', default: 3 }, name: { type: 'string' } },
      },
      mode: { enum: ['a', 'b'], default: 'b' },
    },
  },
  permissions: { clock: true },
  streamable: true,
  limits: { timeoutMs: 5000, maxMemoryMiB: 64 },
};

function manifestErrorOf(fn: () => unknown): ManifestError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ManifestError) return e;
    throw e;
  }
  throw new Error('expected a ManifestError');
}

describe('checkManifest', () => {
  it.each(builtinManifestFiles())('accepts the committed manifest %s', (path) => {
    const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    const fileName = path.slice(path.lastIndexOf('/') + 1);
    expect(checkManifest(value, fileName).manifest.id).toBe(fileName.replace(/\.json$/, ''));
  });

  it('rejects an unknown field, naming the file and the field', () => {
    const e = manifestErrorOf(() =>
      checkManifest({ ...filterLike, limits: { ...filterLike.limits, cpus: 2 } }, 'demo.json'),
    );
    expect(e.message).toBe('demo.json: limits.cpus: unknown field');
    expect(e.fields).toMatchObject([{ pointer: '/limits/cpus', message: 'unknown field' }]);
  });

  it('rejects wrong types and missing fields, naming each', () => {
    const noStreamable: Partial<ModuleManifest> = { ...filterLike };
    delete noStreamable.streamable;
    const e = manifestErrorOf(() =>
      checkManifest({ ...noStreamable, limits: { timeoutMs: 1.5, maxMemoryMiB: 64 } }, 'demo.json'),
    );
    expect(e.message).toContain('demo.json: streamable: missing required field');
    expect(e.message).toContain('demo.json: limits.timeoutMs: must be integer');
  });

  it('rejects a port type outside arrow/bytes and a duplicated port', () => {
    const bad = { ...filterLike, inputs: [{ name: 'in', type: 'csv' }] };
    expect(manifestErrorOf(() => checkManifest(bad, 'demo.json')).message).toBe(
      'demo.json: inputs[0].type: must be one of "arrow", "bytes"',
    );
    const dup = { ...filterLike, outputs: [filterLike.outputs[0], filterLike.outputs[0]] };
    expect(manifestErrorOf(() => checkManifest(dup, 'demo.json')).message).toBe(
      'demo.json: outputs[1].name: port "out" is declared twice',
    );
  });

  it('accepts ABI 2 with holdsInput and an output cap, and refuses other values', () => {
    const v2: ModuleManifest = {
      ...filterLike,
      abi: 2,
      holdsInput: true,
      limits: { ...filterLike.limits, maxOutputMiB: 65536 },
    };
    expect(checkManifest(v2, 'demo.json').manifest.holdsInput).toBe(true);
    const refused: [unknown, string][] = [
      [{ ...filterLike, abi: 3 }, 'demo.json: abi: must be one of 1, 2'],
      [{ ...filterLike, holdsInput: 'yes' }, 'demo.json: holdsInput: must be boolean'],
      [
        { ...filterLike, limits: { ...filterLike.limits, maxOutputMiB: 0 } },
        'demo.json: limits.maxOutputMiB: must be >= 1',
      ],
      [
        { ...filterLike, limits: { ...filterLike.limits, maxOutputMiB: 65537 } },
        'demo.json: limits.maxOutputMiB: must be <= 65536',
      ],
    ];
    for (const [manifest, message] of refused) {
      expect(manifestErrorOf(() => checkManifest(manifest, 'demo.json')).message).toBe(message);
    }
  });

  it('rejects an id that does not match its file name', () => {
    expect(manifestErrorOf(() => checkManifest(filterLike, 'filter.json')).message).toBe(
      'filter.json: id: "demo" does not match the file name (expected demo.json)',
    );
  });

  it('rejects a params schema that is not a usable JSON Schema', () => {
    const bad = {
      ...filterLike,
      params: { type: 'object', properties: { a: { type: 'strnig' } } },
    };
    expect(manifestErrorOf(() => checkManifest(bad, 'demo.json')).message).toMatch(
      /^demo\.json: params: not a usable JSON Schema: /,
    );
  });
});

describe('createCatalog', () => {
  it('validates params with field pointers', () => {
    const catalog = createCatalog([{ manifest: filterLike, fileName: 'demo.json' }]);
    expect(catalog.validateParams('demo', { expression: 'a > 1' })).toEqual([]);
    expect(catalog.validateParams('demo', { expression: 3, extra: true })).toEqual([
      {
        pointer: '/extra',
        message: 'unknown field',
        keyword: 'additionalProperties',
        params: { additionalProperty: 'extra' },
      },
      {
        pointer: '/expression',
        message: 'must be string',
        keyword: 'type',
        params: { type: 'string' },
      },
    ]);
    expect(() => catalog.validateParams('nope', {})).toThrow('unknown module "nope"');
  });

  it('with lazyParamsSchemas, validates the same and refuses a bad params schema on first use', () => {
    const params = { expression: 3, extra: true };
    const entry = (manifest: unknown) => [{ manifest, fileName: 'demo.json' }];
    const lazy = createCatalog(entry(filterLike), { lazyParamsSchemas: true });
    const eager = createCatalog(entry(filterLike));
    expect(lazy.validateParams('demo', params)).toEqual(eager.validateParams('demo', params));
    expect(lazy.validateParams('demo', { expression: 'a > 1' })).toEqual([]);

    const bad = {
      ...filterLike,
      params: { type: 'object', properties: { a: { type: 'strnig' } } },
    };
    const loaded = createCatalog(entry(bad), { lazyParamsSchemas: true });
    expect(loaded.get('demo')?.id).toBe('demo');
    expect(manifestErrorOf(() => loaded.validateParams('demo', {})).message).toMatch(
      /^demo\.json: params: not a usable JSON Schema: /,
    );
  });

  it('refuses the same id twice', () => {
    expect(() =>
      createCatalog([
        { manifest: filterLike, fileName: 'demo.json' },
        { manifest: filterLike, fileName: 'demo.json' },
      ]),
    ).toThrow('demo.json: id: module "demo" is defined twice');
  });
});

describe('loadCatalog with fsLoader', () => {
  it('loads index.json and each manifest, plus host manifests', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-catalog-'));
    const ids: string[] = [];
    for (const path of builtinManifestFiles()) {
      const fileName = path.slice(path.lastIndexOf('/') + 1);
      writeFileSync(join(dir, fileName), readFileSync(path));
      ids.push(fileName.replace(/\.json$/, ''));
    }
    writeFileSync(join(dir, 'index.json'), JSON.stringify(ids));
    const host = { ...filterLike, id: 'hostdemo', kind: 'host' as const };
    const catalog = await loadCatalog(fsLoader(dir), [host]);
    expect(catalog.list().map((m) => m.id)).toEqual([...ids, 'hostdemo']);
  });

  it('names the file of a broken manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quiver-catalog-'));
    writeFileSync(join(dir, 'index.json'), '["demo", "gone"]');
    writeFileSync(join(dir, 'demo.json'), '{"abi": 1,');
    await expect(loadCatalog(fsLoader(dir))).rejects.toThrow(
      /gone\.json: ENOENT|demo\.json: invalid JSON/,
    );
    writeFileSync(join(dir, 'index.json'), '["demo"]');
    await expect(loadCatalog(fsLoader(dir))).rejects.toThrow(/^demo\.json: invalid JSON: /);
    writeFileSync(join(dir, 'index.json'), '{"ids": []}');
    await expect(loadCatalog(fsLoader(dir))).rejects.toThrow(
      'index.json: expected an array of module ids (strings)',
    );
  });
});

describe('defaults for a new step', () => {
  it('takes params defaults from the schema, recursively, and leaves the rest absent', () => {
    expect(defaultParams(filterLike)).toEqual({ nested: { depth: 3 }, mode: 'b' });
  });

  it('copies defaults (editing a step never changes the manifest)', () => {
    const m: ModuleManifest = {
      ...filterLike,
      params: { type: 'object', properties: { keys: { type: 'array', default: ['a'] } } },
    };
    const p = defaultParams(m);
    (p.keys as string[]).push('b');
    expect(defaultParams(m)).toEqual({ keys: ['a'] });
  });

  it('denies every permission and copies the manifest limits', () => {
    expect(defaultPermissions()).toEqual({ storage: 'none', clock: 'none', random: 'none' });
    expect(defaultLimits(filterLike)).toEqual({ timeoutMs: 5000, maxMemoryMiB: 64 });
  });
});

describe('fetchLoader', () => {
  it('loads a catalog over HTTP and names the URL of a missing file', async () => {
    const { createServer } = await import('node:http');
    const files: Record<string, string> = {
      '/modules/index.json': '["demo"]',
      '/modules/demo.json': JSON.stringify(filterLike),
    };
    const server = createServer((req, res) => {
      const body = files[req.url ?? ''];
      res.statusCode = body === undefined ? 404 : 200;
      res.end(body ?? 'not found');
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const { port } = server.address() as { port: number };
      const catalog = await loadCatalog(fetchLoader(`http://127.0.0.1:${port}/modules`));
      expect(catalog.get('demo')?.name).toBe('Demo');
      files['/modules/index.json'] = '["demo", "gone"]';
      await expect(loadCatalog(fetchLoader(`http://127.0.0.1:${port}/modules/`))).rejects.toThrow(
        `http://127.0.0.1:${port}/modules/gone.json: HTTP 404`,
      );
    } finally {
      server.close();
    }
  });
});
