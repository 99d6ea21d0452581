import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ensureTfBackend, selectTfBackend, type TfBackendLogger } from '../models/sequence/tf-backend.js';

/** An importer for which the named packages are not installed. */
function without(...missing: string[]): (specifier: string) => Promise<unknown> {
  return (specifier) => (missing.includes(specifier) ? Promise.reject(new Error(`Cannot find package '${specifier}'`)) : import(specifier));
}

function collecting(): TfBackendLogger & { lines: { fields: object; message: string }[] } {
  const lines: { fields: object; message: string }[] = [];
  return { lines, info: (fields, message) => lines.push({ fields, message }) };
}

test('without tfjs-node, falls back to wasm, loading the SIMD binary from node_modules with no network', async () => {
  const realFetch = globalThis.fetch;
  globalThis.fetch = () => Promise.reject(new Error('network used'));
  try {
    const logger = collecting();
    const choice = await selectTfBackend({ importModule: without('@tensorflow/tfjs-node'), logger });
    assert.equal(choice.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    // Node 20 validates SIMD; tfjs 4.22 disables wasm threads on Node.
    assert.equal(choice.wasmBinary, 'simd');
    assert.deepEqual(choice.skipped.map((s) => s.name), ['tensorflow']);
    assert.match(choice.skipped[0].reason, /tfjs-node/);
    assert.equal(logger.lines.length, 1);
    assert.match(logger.lines[0].message, /backend: wasm/);
    assert.equal(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync()[1]), 3);
  } finally {
    globalThis.fetch = realFetch;
  }
});

test('without tfjs-node and wasm, falls back to cpu', async () => {
  const choice = await selectTfBackend({ importModule: without('@tensorflow/tfjs-node', '@tensorflow/tfjs-backend-wasm'), logger: collecting() });
  assert.equal(choice.name, 'cpu');
  assert.equal(choice.wasmBinary, null);
  assert.equal(tf.getBackend(), 'cpu');
  assert.deepEqual(choice.skipped.map((s) => s.name), ['tensorflow', 'wasm']);
});

test('an explicit candidate list is honoured and switching back works', async () => {
  const choice = await selectTfBackend({ candidates: ['wasm'], logger: collecting() });
  assert.equal(choice.name, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
});

test('the process-wide default is chosen once and re-activated after a switch', async () => {
  const logger = collecting();
  const first = await ensureTfBackend(logger);
  assert.ok(first.name === 'tensorflow' || first.name === 'wasm', first.name);
  await selectTfBackend({ candidates: ['cpu'], logger: collecting() });
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(await ensureTfBackend(logger), first);
  assert.equal(tf.getBackend(), first.name);
  assert.equal(logger.lines.length, 1);
});

test('fails with every reason when no candidate starts', async () => {
  await assert.rejects(
    selectTfBackend({ candidates: ['tensorflow'], importModule: without('@tensorflow/tfjs-node'), logger: collecting() }),
    /no tensorflow\.js backend could start: tensorflow: Cannot find package/,
  );
});
