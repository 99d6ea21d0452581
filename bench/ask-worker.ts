/** One request to a worker thread that answers each message with one message: the benches' floors. */
import type { Worker } from 'node:worker_threads';

/** Posts `request` and resolves with the worker's next message, or rejects with its error. One request at a time. */
export function askWorker<T>(worker: Worker, request: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    worker.once('error', onError);
    worker.once('message', (answer: T) => {
      worker.off('error', onError);
      resolve(answer);
    });
    worker.postMessage(request);
  });
}
