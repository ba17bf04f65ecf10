/** Step workers in the browser: module Web Workers bundled by Vite. */
import type { WorkerFactory, WorkerHandle } from './env';
import type { FromWorker } from './protocol';

/** A {@link WorkerFactory} of module Web Workers. */
export function browserWorkerFactory(): WorkerFactory {
  return (): WorkerHandle => {
    const worker = new Worker(new URL('./worker-entry.browser.ts', import.meta.url), {
      type: 'module',
    });
    let crash: (error: Error) => void = () => undefined;
    worker.onerror = (event) => crash(new Error(`step worker crashed: ${event.message}`));
    return {
      post: (message, transfer) => worker.postMessage(message, transfer),
      onMessage: (listener) => {
        worker.onmessage = (event: MessageEvent<FromWorker>) => listener(event.data);
      },
      onCrash: (listener) => (crash = listener),
      setIdle: () => undefined,
      terminate: () => worker.terminate(),
    };
  };
}
