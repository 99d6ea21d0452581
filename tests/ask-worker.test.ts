/** askWorker: a worker's next message answers the request; its error rejects it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { askWorker } from '../bench/ask-worker.js';

const worker = (code: string) => new Worker(`const { parentPort } = require('node:worker_threads'); ${code}`, { eval: true });

test('askWorker resolves with the answer to each request in turn', async () => {
  const w = worker(`parentPort.on('message', (n) => parentPort.postMessage(n * 2));`);
  try {
    assert.equal(await askWorker<number>(w, 21), 42);
    assert.equal(await askWorker<number>(w, 5), 10);
  } finally {
    await w.terminate();
  }
});

test('askWorker rejects with the error the worker throws', async () => {
  const w = worker(`parentPort.on('message', () => { throw new Error('floor broke'); });`);
  try {
    await assert.rejects(askWorker(w, 1), /floor broke/);
  } finally {
    await w.terminate();
  }
});
