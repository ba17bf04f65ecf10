import { describe, expect, it } from 'vitest';
import { fixtureWasm } from '../../test-fixtures/runtime/build';
import { runWasiCommand } from './wasi-host';
import { memoryMaximumPages, withMemoryMaximum } from './wasm-binary';

describe('withMemoryMaximum', () => {
  it('bounds memory.grow: a module allocating without limit gets NULL from malloc below the maximum', () => {
    const rewritten = withMemoryMaximum(fixtureWasm('grow'), 16 * 16); // 16 MiB
    if (!rewritten.ok) throw new Error(rewritten.message);
    const result = runWasiCommand({ module: new WebAssembly.Module(rewritten.bytes) });
    expect(result.exitCode).toBe(1);
    const mib = Number(/malloc failed after (\d+) MiB/.exec(result.stderr)?.[1]);
    expect(mib).toBeGreaterThan(8);
    expect(mib).toBeLessThan(16);
    expect(result.memoryBytes).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  it('refuses a cap below the initial memory', () => {
    const rewritten = withMemoryMaximum(fixtureWasm('grow'), 1);
    expect(rewritten).toEqual({
      ok: false,
      message: expect.stringMatching(/needs [\d.]+ MiB of memory at start/),
    });
  });

  it('compiles twice the cap, at most 4 GiB', () => {
    expect(memoryMaximumPages(64)).toBe(2048);
    expect(memoryMaximumPages(4096)).toBe(65536);
  });
});
