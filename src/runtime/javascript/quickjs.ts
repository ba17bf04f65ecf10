/**
 * QuickJS compiled to WebAssembly (npm `quickjs-emscripten`, its release-sync build), loaded
 * once per thread on first use: `import()` keeps it (about 500 KB of WebAssembly plus its loader)
 * in a chunk of its own, fetched only when a JavaScript step runs or its code is checked, and
 * precached with every other chunk and `.wasm` for offline use (vite.config.ts).
 */
import type { QuickJSWASMModule } from 'quickjs-emscripten-core';

let loading: Promise<QuickJSWASMModule> | undefined;

/** The QuickJS module of this thread; the first call loads and compiles it. */
export function loadQuickJS(): Promise<QuickJSWASMModule> {
  loading ??= (async () => {
    // Only the one build we use: the `quickjs-emscripten` index would bundle all four.
    const [core, variant] = await Promise.all([
      import('quickjs-emscripten-core'),
      import('@jitl/quickjs-wasmfile-release-sync'),
    ]);
    return core.newQuickJSWASMModuleFromVariant(variant.default);
  })();
  return loading;
}
