/** Entry of a step worker in the browser: wires the worker's onmessage to {@link StepWorker}. */
import type { FromWorker, ToWorker } from './protocol';
import { StepWorker } from './step-worker';

const scope = globalThis as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
const worker = new StepWorker((message) => scope.postMessage(message));
scope.onmessage = (event) => worker.handle(event.data);
