/**
 * Entry of a step worker in the browser: wires the worker's onmessage to {@link StepWorker}, and
 * keeps module data (`/data`) in the Origin Private File System.
 */
import { setDataStore } from './module-data';
import { opfsDataStore } from './module-data-opfs';
import type { FromWorker, ToWorker } from './protocol';
import { StepWorker } from './step-worker';
import { setSqlEngineLoader } from './sql/engine';
import { loadBrowserSqlEngine } from './sql/engine-browser';

const scope = globalThis as unknown as {
  postMessage(message: FromWorker): void;
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
};
setDataStore(opfsDataStore);
setSqlEngineLoader(loadBrowserSqlEngine);
const worker = new StepWorker((message) => scope.postMessage(message));
scope.onmessage = (event) => worker.handle(event.data);
