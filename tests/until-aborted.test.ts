import { test } from 'node:test';
import assert from 'node:assert/strict';
import { untilAborted } from '../adapters/kafka/until-aborted.js';

const aborted = () => new Error('deadline passed');

test('without a signal, or with one that never aborts, it is the work', async () => {
  assert.equal(await untilAborted(undefined, Promise.resolve(7), aborted), 7);
  assert.equal(await untilAborted(new AbortController().signal, Promise.resolve(8), aborted), 8);
  await assert.rejects(untilAborted(new AbortController().signal, Promise.reject(new Error('own failure')), aborted), /own failure/);
});

test('an abort before the work settles rejects with the abort error, and the work failing later is not unhandled', async () => {
  const controller = new AbortController();
  let fail!: (e: Error) => void;
  const work = new Promise<number>((_, reject) => (fail = reject));
  const raced = untilAborted(controller.signal, work, aborted);
  controller.abort();
  await assert.rejects(raced, /deadline passed/);
  fail(new Error('late'));
  await new Promise((r) => setImmediate(r));
});

test('a signal already aborted rejects at once, whatever the work does', async () => {
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(untilAborted(controller.signal, Promise.reject(new Error('ignored')), aborted), /deadline passed/);
});
