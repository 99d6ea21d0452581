import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, ApiErrors } from '../api/errors.js';
import { toApiError } from '../api/plugins/errors.js';
import { ClvError, ErrorCodes } from '../core/errors.js';

test('API error codes are unique', () => {
  const codes = Object.values(ApiErrors).map((e) => e.code);
  assert.equal(new Set(codes).size, codes.length);
});

test('every API error is a 4xx or 5xx', () => {
  for (const e of Object.values(ApiErrors)) assert.ok(e.status >= 400 && e.status < 600, e.code);
});

test('every ClvError code maps to an API error; 4xx keep their message, 5xx hide it', () => {
  for (const code of Object.values(ErrorCodes)) {
    const e = toApiError(new ClvError(code, 'secret detail: redis://user:pw@host'));
    assert.ok(e instanceof ApiError);
    if (e.statusCode >= 500) assert.ok(!e.message.includes('secret detail'), code);
    else assert.equal(e.message, 'secret detail: redis://user:***@host', 'kept, with the URL password masked by ClvError');
  }
  assert.equal(toApiError(new ClvError(ErrorCodes.DEPENDENCY_FAILED, 'x')).statusCode, 503);
  assert.equal(toApiError(new ClvError(ErrorCodes.UNSUPPORTED_CURRENCY, 'x')).statusCode, 400);
});

test('an unexpected error becomes a bare 500 with no message or stack of its own', () => {
  const e = toApiError(new TypeError('Cannot read properties of undefined (reading "x")'));
  assert.equal(e.statusCode, 500);
  assert.equal(e.code, 'API_INTERNAL');
  assert.equal(e.message, 'internal error');
});
