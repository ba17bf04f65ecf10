/**
 * Giving the thread back between pieces of a long piece of work, so that input waiting behind
 * it is handled first: on the editor's main thread, the Run click prepares and starts every
 * step (module fetched, checked, compiled; a worker spawned; the spec posted), which in one task
 * held the page for tens of milliseconds of a six-step pipeline.
 */

interface Scheduler {
  yield(): Promise<void>;
}

/**
 * Resolves in a later task of this thread: `scheduler.yield()` where the platform has it
 * (Chromium 129+: the continuation runs before other queued tasks, after pending input), else
 * after a MessageChannel message (no 4 ms clamp, unlike nested `setTimeout`). Never rejects.
 */
export function yieldToThread(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: Partial<Scheduler> }).scheduler;
  if (typeof scheduler?.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      // Closed, or Node would keep running for the open port.
      port1.close();
      port2.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
