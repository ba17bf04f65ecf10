import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument, Step } from '../pipeline/types';
import { main } from './main';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'quiver-embedded-'));
const wasm = readFileSync('public/modules/limit.wasm');
const sha256 = createHash('sha256').update(wasm).digest('hex');
const manifest = {
  ...JSON.parse(readFileSync('public/modules/limit.json', 'utf8')),
  id: 'acme.head',
};

const grants = { storage: 'none', clock: 'none', random: 'none' } as const;
function step(
  id: string,
  moduleId: string,
  params: Record<string, unknown>,
  pin?: Step['pin'],
): Step {
  const s: Step = {
    id,
    moduleId,
    params,
    permissions: grants,
    limits: { timeoutMs: 60000, maxMemoryMiB: 256 },
    position: { x: 0, y: 0 },
  };
  return pin ? { ...s, pin } : s;
}

/** source → csv → `moduleId` (count 3), the last one pinned to `pinSha` when given. */
function doc(moduleId: string, pinSha?: string, carry = true): PipelineDocument {
  const pin = pinSha ? { version: manifest.version as string, sha256: pinSha } : undefined;
  return {
    format: 'quiver-pipeline',
    version: 4,
    id: 'p',
    name: 'p',
    steps: [
      step('source', 'source', { uri: 'sample:seattle-weather.csv' }),
      step('csv', 'csv', {}),
      step('head', moduleId, { count: 3 }, pin),
    ],
    edges: [
      { id: 'e1', from: { step: 'source', port: 'bytes' }, to: { step: 'csv', port: 'csv' } },
      { id: 'e2', from: { step: 'csv', port: 'out' }, to: { step: 'head', port: 'in' } },
    ],
    ...(carry ? { modules: [{ manifest, sha256, wasmBase64: wasm.toString('base64') }] } : {}),
  };
}

async function run(d: PipelineDocument, name: string) {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(d));
  const out = join(dir, `${name}.csv`);
  const c = capture();
  const status = await main(['run', file, '--output', out], c.io);
  return { status, ...c, csv: status === 0 ? readFileSync(out, 'utf8') : '' };
}

describe('quiver run with modules embedded in the document', () => {
  it('runs the carried module, with the result of the built-in it copies', async () => {
    const carried = await run(doc('acme.head', sha256), 'carried.quiver.json');
    expect(carried.err).toEqual([]);
    expect(carried.status).toBe(0);
    const builtin = await run(doc('limit', undefined, false), 'builtin.quiver.json');
    expect(carried.csv.trim().split('\r\n')).toHaveLength(4);
    expect(carried.csv).toBe(builtin.csv);
  });

  it('refuses a step pinned to another sha256, naming both', async () => {
    const other = 'f'.repeat(64);
    const r = await run(doc('acme.head', other), 'changed.quiver.json');
    expect(r.status).toBe(1);
    expect(r.err.join('\n')).toContain(
      `step "head" failed: refused: step pins module "acme.head" 1.0.0 with sha256 ${other}, but the module here (1.0.0) has sha256 ${sha256}`,
    );
  });

  it('refuses carried bytes whose sha256 is not the one recorded', async () => {
    const d = doc('acme.head', sha256);
    d.modules = [{ manifest, sha256: '0'.repeat(64), wasmBase64: wasm.toString('base64') }];
    const r = await run(d, 'tampered.quiver.json');
    expect(r.status).toBe(2);
    expect(r.err.join('\n')).toContain(
      `modules[0] (acme.head): the embedded .wasm has sha256 ${sha256}`,
    );
  });

  it('refuses a carried module that would replace a built-in', async () => {
    const d = doc('limit');
    d.modules = [
      { manifest: { ...manifest, id: 'limit' }, sha256, wasmBase64: wasm.toString('base64') },
    ];
    const r = await run(d, 'shadow.quiver.json');
    expect(r.status).toBe(2);
    expect(r.err.join('\n')).toContain('limit: id: "limit" is already a module of this app');
  });
});
