/** Input ports that hold their input: the manifest checks and resolving a condition. */
import { describe, expect, it } from 'vitest';
import { checkManifest, ManifestError } from './catalog';
import { portHoldsInput, type ModuleManifest } from './manifest';

const joinLike: ModuleManifest = {
  abi: 2,
  id: 'demo',
  name: 'Demo',
  version: '1.0.0',
  description: 'two inputs',
  category: 'combine',
  inputs: [
    { name: 'left', type: 'arrow', holdsInput: { param: 'build', equals: 'left' } },
    { name: 'right', type: 'arrow', holdsInput: { param: 'build', equals: 'right' } },
  ],
  outputs: [{ name: 'out', type: 'arrow' }],
  params: {
    type: 'object',
    properties: { build: { enum: ['left', 'right'], default: 'right' } },
  },
  permissions: {},
  streamable: false,
  limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
};

function messageOf(manifest: unknown): string {
  try {
    checkManifest(manifest, 'demo.json');
  } catch (error) {
    if (error instanceof ManifestError) return error.message;
    throw error;
  }
  return 'accepted';
}

describe('input ports that hold their input', () => {
  it('resolves a condition against the params, else the schema default', () => {
    const [left, right] = checkManifest(joinLike, 'demo.json').manifest.inputs;
    expect(portHoldsInput(joinLike, left!, {})).toBe(false);
    expect(portHoldsInput(joinLike, right!, {})).toBe(true);
    expect(portHoldsInput(joinLike, left!, { build: 'left' })).toBe(true);
    expect(portHoldsInput(joinLike, right!, { build: 'left' })).toBe(false);
  });

  it('falls back to the module-wide holdsInput, and takes a plain boolean', () => {
    const port = { name: 'in', type: 'arrow' as const };
    expect(portHoldsInput({ ...joinLike, holdsInput: true }, port, {})).toBe(true);
    expect(portHoldsInput(joinLike, port, {})).toBe(false);
    expect(portHoldsInput(joinLike, { ...port, holdsInput: true }, {})).toBe(true);
  });

  it('refuses a condition on an unknown parameter, and a held port in ABI 1', () => {
    const unknownParam = {
      ...joinLike,
      inputs: [{ name: 'left', type: 'arrow', holdsInput: { param: 'side', equals: 'left' } }],
    };
    expect(messageOf(unknownParam)).toBe(
      'demo.json: inputs[0].holdsInput: no parameter "side" in params',
    );
    expect(messageOf({ ...joinLike, abi: 1 })).toBe(
      'demo.json: inputs[0].holdsInput: only ABI 2 modules hold an input',
    );
    expect(
      messageOf({ ...joinLike, inputs: [{ name: 'x', type: 'arrow', holdsInput: 1 }] }),
    ).toMatch(/^demo\.json: inputs\[0\]\.holdsInput: /);
  });
});
