/**
 * Entry of a step worker on Node worker_threads: wires parentPort to {@link StepWorker}, and lets
 * sources open files by path (as file-backed Blobs, read by slices), and keeps module data
 * (`/data`) in directories.
 */
import { parentPort } from 'node:worker_threads';
import { setDataStore } from './module-data';
import { nodeDataStore } from './module-data-node';
import { setPathOpener } from './sources/open';
import { setSqlEngineLoader } from './sql/engine';
import { loadNodeSqlEngine } from './sql/engine-node';
import { openFileBlob } from './sources/open-node';
import type { FromWorker, ToWorker } from './protocol';
import { StepWorker } from './step-worker';

if (parentPort === null) throw new Error('worker-entry.node.ts must run in a worker thread');
const port = parentPort;
setPathOpener(openFileBlob);
setDataStore(nodeDataStore);
setSqlEngineLoader(loadNodeSqlEngine);
const worker = new StepWorker((message: FromWorker) => port.postMessage(message));
port.on('message', (message: ToWorker) => worker.handle(message));
