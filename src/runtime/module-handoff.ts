/**
 * Posting each compiled module to a worker once: the first step a worker runs with a module
 * gets the `WebAssembly.Module` in its spec, under a number (`moduleRef`) that stands for that
 * module object in this thread; later steps on that worker send the number alone, and the
 * worker takes the module from its own cache. A posted module costs a structured clone every
 * time (about 1.4 ms a run of six steps in the editor); workers outlive runs, so most warm runs
 * post none.
 *
 * The main thread knows exactly what each worker holds (it sent it), so nothing is asked; a
 * worker's cache is bounded by dropping it whole, on the main thread's word, past
 * {@link MAX_CACHED_MODULES}.
 */
import type { WorkerHandle } from './env';
import type { PostedStepSpec, PostedWasmSpec, StepSpec, WasmStepSpec } from './protocol';

/** Modules a worker keeps; past this the main thread tells it to drop them and starts over. */
const MAX_CACHED_MODULES = 32;

/** The number of each module object posted from this thread. */
const moduleRefs = new WeakMap<WebAssembly.Module, number>();
let nextModuleRef = 1;
/** What each worker holds, by module number. */
const held = new WeakMap<WorkerHandle, Set<number>>();

/** `spec` as posted to `worker`: a module step's module left out when the worker holds it. */
export function postedSpec(worker: WorkerHandle, spec: StepSpec): PostedStepSpec {
  if (spec.kind !== 'wasm') return spec;
  let ref = moduleRefs.get(spec.module);
  if (ref === undefined) {
    ref = nextModuleRef++;
    moduleRefs.set(spec.module, ref);
  }
  let refs = held.get(worker);
  if (refs === undefined) held.set(worker, (refs = new Set()));
  if (refs.has(ref)) {
    const posted: PostedWasmSpec = { ...spec, moduleRef: ref };
    delete posted.module;
    return posted;
  }
  const dropCached = refs.size >= MAX_CACHED_MODULES;
  if (dropCached) refs.clear();
  refs.add(ref);
  return { ...spec, moduleRef: ref, ...(dropCached ? { dropCached } : {}) };
}

/** A worker's modules, by the numbers the main thread gave them. */
export class WorkerModules {
  private readonly modules = new Map<number, WebAssembly.Module>();

  /**
   * The spec to run: a module that came with it is kept under its number, a module left out is
   * taken from here. Throws when a module left out was never sent (the main thread's bookkeeping
   * is wrong: a bug, not a user error).
   */
  resolve(spec: PostedStepSpec): StepSpec {
    if (spec.kind !== 'wasm') return spec;
    const { moduleRef, dropCached, module: sent, ...rest } = spec;
    if (dropCached === true) this.modules.clear();
    if (sent !== undefined) {
      if (moduleRef !== undefined) this.modules.set(moduleRef, sent);
      return { ...rest, module: sent } satisfies WasmStepSpec;
    }
    const module = moduleRef === undefined ? undefined : this.modules.get(moduleRef);
    if (module === undefined) {
      throw new Error(
        `step ${spec.stepId}: module ${String(moduleRef)} was neither sent nor kept in this worker`,
      );
    }
    return { ...rest, module };
  }
}
