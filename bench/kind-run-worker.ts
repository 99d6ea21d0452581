/** Worker thread of kindsBench (pipeline-bench.ts): one kind run (kind-run.ts) in a heap of its own. */
import { parentPort, workerData } from 'node:worker_threads';
import { kindRun, type KindRunOptions } from './kind-run.js';

parentPort?.postMessage(await kindRun(workerData as KindRunOptions));
