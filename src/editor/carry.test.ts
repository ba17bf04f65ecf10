import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { unpackEmbedded } from '../modules/embedded';
import { readModulePackage } from '../modules/package';
import type { PipelineDocument, Step } from '../pipeline/types';
import { withCarriedModules } from './carry';

const wasm = new Uint8Array(readFileSync('public/modules/limit.wasm'));
const manifest = {
  ...JSON.parse(readFileSync('public/modules/limit.json', 'utf8')),
  id: 'acme.head',
};

function step(id: string, moduleId: string, pin?: Step['pin']): Step {
  return {
    id,
    moduleId,
    params: {},
    permissions: { storage: 'none', clock: 'none', random: 'none' },
    limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
    position: { x: 0, y: 0 },
    ...(pin ? { pin } : {}),
  };
}

describe('withCarriedModules', () => {
  it('carries each pinned installed binary once, never built-ins, and reads back the same bytes', async () => {
    const pkg = await readModulePackage(wasm, { manifestText: JSON.stringify(manifest) });
    const pin = { version: '1.0.0', sha256: pkg.sha256 };
    const doc: PipelineDocument = {
      format: 'quiver-pipeline',
      version: 4,
      id: 'p',
      name: 'p',
      steps: [step('a', 'acme.head', pin), step('b', 'acme.head', pin), step('l', 'limit')],
      edges: [],
    };
    const out = withCarriedModules(doc, new Map([['acme.head', { pkg, wasm }]]));
    expect(out.modules).toHaveLength(1);
    const back = await unpackEmbedded(out.modules![0]!, 'modules[0]');
    expect(back.pkg.sha256).toBe(pkg.sha256);
    expect(back.wasm).toEqual(wasm);
    expect(back.pkg.manifest).toEqual(manifest);
  });

  it('carries nothing for a pipeline of built-ins, and drops a stale list', () => {
    const doc: PipelineDocument = {
      format: 'quiver-pipeline',
      version: 4,
      id: 'p',
      name: 'p',
      steps: [step('l', 'limit')],
      edges: [],
      modules: [{ manifest: {}, sha256: '0'.repeat(64), wasmBase64: '' }],
    };
    expect(withCarriedModules(doc, new Map())).not.toHaveProperty('modules');
  });
});
