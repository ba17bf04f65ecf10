import { describe, expect, it } from 'vitest';
import type { WorkerHandle } from './env';
import { postedSpec, WorkerModules } from './module-handoff';
import type { PostedWasmSpec, WasmStepSpec } from './protocol';

/** A worker handle that is only an identity. */
function fakeWorker(): WorkerHandle {
  return {
    post: () => undefined,
    onMessage: () => undefined,
    onCrash: () => undefined,
    setIdle: () => undefined,
    terminate: () => undefined,
  };
}

/** The smallest valid module: a new object each call. */
const emptyModule = (): WebAssembly.Module =>
  new WebAssembly.Module(new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));

function spec(module: WebAssembly.Module, stepId = 'filter'): WasmStepSpec {
  return {
    kind: 'wasm',
    stepId,
    moduleId: 'filter',
    abi: 2,
    module,
    params: {},
    permissions: { clock: 'deterministic', random: 'deterministic', storage: 'none' },
    limits: { timeoutMs: 1000, maxMemoryMiB: 64 },
    streamable: true,
    inputs: [{ name: 'in', type: 'arrow' }],
    outputs: ['out'],
  } as WasmStepSpec;
}

describe('module hand-off', () => {
  it('posts a module to a worker once, then its number alone, which the worker resolves', () => {
    const worker = fakeWorker();
    const modules = new WorkerModules();
    const module = emptyModule();
    const first = postedSpec(worker, spec(module, 'a')) as PostedWasmSpec;
    expect(first.module).toBe(module);
    expect(modules.resolve(first)).toMatchObject({ stepId: 'a', module });
    const second = postedSpec(worker, spec(module, 'b')) as PostedWasmSpec;
    expect(second.module).toBeUndefined();
    expect(second.moduleRef).toBe(first.moduleRef);
    expect(modules.resolve(second)).toMatchObject({ stepId: 'b', module });
    // Another worker holds nothing yet: it is sent the module.
    expect((postedSpec(fakeWorker(), spec(module)) as PostedWasmSpec).module).toBe(module);
  });

  it('refuses a module number the worker was never sent', () => {
    const module = emptyModule();
    postedSpec(fakeWorker(), spec(module));
    const elsewhere = postedSpec(fakeWorker(), spec(module)) as PostedWasmSpec;
    const leftOut: PostedWasmSpec = { ...elsewhere };
    delete leftOut.module;
    expect(() => new WorkerModules().resolve(leftOut)).toThrow(/neither sent nor kept/);
  });

  it('has the worker drop its cache past 32 modules, and sends again what it dropped', () => {
    const worker = fakeWorker();
    const modules = new WorkerModules();
    const all = Array.from({ length: 33 }, emptyModule);
    const posted = all.map((m) => postedSpec(worker, spec(m)) as PostedWasmSpec);
    for (const p of posted) modules.resolve(p);
    expect(posted.slice(0, 32).every((p) => p.dropCached === undefined)).toBe(true);
    expect(posted[32]?.dropCached).toBe(true);
    const again = postedSpec(worker, spec(all[0]!)) as PostedWasmSpec;
    expect(again.module).toBe(all[0]);
    expect(modules.resolve(again)).toMatchObject({ module: all[0] });
  });
});
