/**
 * The environment adapter: the little the runtime needs from a worker, so that browser
 * `Worker`s and Node `worker_threads` look the same to the pool. Node's side is in
 * `env-node.ts`, the browser's in `env-browser.ts`; neither is imported by the other.
 */
import type { FromWorker, ToWorker } from './protocol';

/** One step worker, as the pool sees it. */
export interface WorkerHandle {
  post(message: ToWorker, transfer: Transferable[]): void;
  /** Sets the one listener for the worker's messages. */
  onMessage(listener: (message: FromWorker) => void): void;
  /** Sets the one listener for the worker dying (uncaught error, out of memory, exit). */
  onCrash(listener: (error: Error) => void): void;
  /** An idle worker must not keep a Node process alive; a no-op in browsers. */
  setIdle(idle: boolean): void;
  terminate(): void;
}

/** Starts a new step worker. */
export type WorkerFactory = () => WorkerHandle;
