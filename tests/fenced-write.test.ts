import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FencedWriteError, splitVersioned, writeVersionArgument } from '../adapters/redis/fenced-write.js';
import { ClvError } from '../core/errors.js';

test('fenced write: the stored header is the version in decimal, then a newline', () => {
  const { version, payload } = splitVersioned('42\n{"a":"\\n"}', 'k');
  assert.equal(version, 42);
  assert.equal(payload, '{"a":"\\n"}');
  assert.equal(splitVersioned(`${Number.MAX_SAFE_INTEGER}\n`, 'k').version, Number.MAX_SAFE_INTEGER);
  assert.equal(splitVersioned('0\n', 'k').payload.length, 0);
});

test('fenced write: a value without a version header is refused', () => {
  for (const raw of ['{"a":1}', '\n{}', '12x\n{}', '12345678901234567\n{}', '']) {
    assert.throws(() => splitVersioned(raw, 'clv:ns:{k}'), (e: unknown) => e instanceof ClvError && /no write version/.test(e.message), raw);
  }
});

test('fenced write: versions must be non-negative safe integers; none means keep the stored one', () => {
  assert.equal(writeVersionArgument(0), '0');
  assert.equal(writeVersionArgument(Number.MAX_SAFE_INTEGER), '9007199254740991');
  assert.equal(writeVersionArgument(undefined), '');
  for (const bad of [-1, 1.5, NaN, Infinity, 2 ** 53]) assert.throws(() => writeVersionArgument(bad), ClvError, String(bad));
});

test('fenced write: a refused write is a non-retriable dependency error naming the keys', () => {
  const e = new FencedWriteError(['C1', 'C2/O1'], 3);
  assert.equal(e.code, 'CLV_DEPENDENCY_FAILED');
  assert.equal(e.retriable, false);
  assert.deepEqual(e.refusedKeys, ['C1', 'C2/O1']);
  assert.match(e.message, /2 key\(s\) \(3 written\).*C1, C2\/O1/);
});
