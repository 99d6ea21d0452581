import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('error codes are unique', () => {
  const codes = Object.values(ErrorCodes);
  assert.equal(new Set(codes).size, codes.length);
});

test('ClvError keeps its code, retriable flag and cause', () => {
  const cause = new Error('connection refused');
  const e = new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'redis is down', { retriable: true, cause });
  assert.equal(e.code, 'CLV_DEPENDENCY_FAILED');
  assert.equal(e.retriable, true);
  assert.equal(e.cause, cause);
  assert.equal(new ClvError(ErrorCodes.INVALID_EVENT, 'x').retriable, false);
});
