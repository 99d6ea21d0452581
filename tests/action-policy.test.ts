import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseActionPolicy } from '../core/action-policy.js';
import { ErrorCodes } from '../core/errors.js';

const shipped = JSON.parse(readFileSync(new URL('../config/action-policy.json', import.meta.url), 'utf8'));

test('the shipped policy is valid and maps every segment', () => {
  const policy = parseActionPolicy(shipped, 'config/action-policy.json');
  assert.equal(policy.at_risk.action, 'win_back');
  assert.equal(policy.high_value.action, 'upsell');
  assert.equal(policy.medium_value.action, 'cross_sell');
});

test('a policy with an unknown action, a missing segment or an unknown segment is rejected by name', () => {
  const bad = (doc: unknown, pattern: RegExp) =>
    assert.throws(() => parseActionPolicy(doc, 'my-policy.json'), (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_POLICY && pattern.test(e.message));
  bad({ segments: { ...shipped.segments, lost: { action: 'spam', reason: 'x' } } }, /my-policy\.json: segment "lost": action must be one of/);
  const { new: _dropped, ...rest } = shipped.segments;
  bad({ segments: rest }, /segment "new" has no rule/);
  bad({ segments: { ...shipped.segments, vip: { action: 'none', reason: 'x' } } }, /unknown segment "vip"/);
  bad({ segments: { ...shipped.segments, lost: { action: 'none', reason: ' ' } } }, /reason must be a non-empty string/);
  bad([], /expected an object with "segments"/);
});
