import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_RECOMMENDATIONS, parseActionPolicy } from '../core/action-policy.js';
import { ErrorCodes } from '../core/errors.js';

const shipped = JSON.parse(readFileSync(new URL('../config/action-policy.json', import.meta.url), 'utf8'));

const bad = (doc: unknown, pattern: RegExp) =>
  assert.throws(
    () => parseActionPolicy(doc, 'my-policy.json'),
    (e: Error & { code?: string }) => e.code === ErrorCodes.INVALID_POLICY && /^action policy my-policy\.json: /.test(e.message) && pattern.test(e.message),
  );

test('the shipped policy is valid, maps every segment and carries its recommendation settings', () => {
  const policy = parseActionPolicy(shipped, 'config/action-policy.json');
  assert.equal(policy.segments.at_risk.action, 'win_back');
  assert.equal(policy.segments.high_value.action, 'upsell');
  assert.equal(policy.segments.medium_value.action, 'cross_sell');
  assert.equal(policy.recommendations.winBack.minHistoricValueMinor, shipped.recommendations.winBack.minHistoricValueMinor);
  assert.deepEqual(policy.recommendations.winBack.segments, ['at_risk', 'lost']);
  assert.equal(policy.recommendations.crossSell.minLift, shipped.recommendations.crossSell.minLift);
});

test('a policy in the first format (segments only) still loads, with the default recommendation settings', () => {
  const policy = parseActionPolicy({ segments: shipped.segments }, 'old.json');
  assert.equal(policy.segments.lost.action, 'none');
  assert.deepEqual(policy.recommendations, DEFAULT_RECOMMENDATIONS);
  // The defaults keep the old behaviour: every customer of a win-back segment is won back.
  assert.equal(policy.recommendations.winBack.minHistoricValueMinor, 0);
  assert.deepEqual(policy.recommendations.winBack.segments, []);
});

test('a partial recommendations section takes the defaults for what it leaves out', () => {
  const policy = parseActionPolicy({ segments: shipped.segments, recommendations: { crossSell: { minLift: 3 } } }, 'p.json');
  assert.equal(policy.recommendations.crossSell.minLift, 3);
  assert.equal(policy.recommendations.crossSell.minPairOrders, DEFAULT_RECOMMENDATIONS.crossSell.minPairOrders);
  assert.equal(policy.recommendations.maxSuggestions, DEFAULT_RECOMMENDATIONS.maxSuggestions);
});

test('a policy with an unknown action, a missing segment or an unknown segment is rejected by name', () => {
  bad({ segments: { ...shipped.segments, lost: { action: 'spam', reason: 'x' } } }, /segment "lost": action must be one of/);
  const { new: _dropped, ...rest } = shipped.segments;
  bad({ segments: rest }, /segment "new" has no rule/);
  bad({ segments: { ...shipped.segments, vip: { action: 'none', reason: 'x' } } }, /unknown segment "vip"/);
  bad({ segments: { ...shipped.segments, lost: { action: 'none', reason: ' ' } } }, /reason must be a non-empty string/);
  bad([], /expected an object with "segments"/);
});

test('invalid recommendation settings are rejected naming the setting', () => {
  const withRecs = (recommendations: unknown) => ({ segments: shipped.segments, recommendations });
  bad({ ...shipped, recomendations: {} }, /unknown key "recomendations"/);
  bad(withRecs({ maxSuggestions: 0 }), /"recommendations\.maxSuggestions" must be an integer in \[1, 20\], got 0/);
  bad(withRecs({ maxSuggestions: 2.5 }), /"recommendations\.maxSuggestions" must be an integer/);
  bad(withRecs({ crossSell: { minSupport: 1.5 } }), /"recommendations\.crossSell\.minSupport" must be a number in \[0, 1\], got 1\.5/);
  bad(withRecs({ crossSell: { minLift: '2' } }), /"recommendations\.crossSell\.minLift" must be a number/);
  bad(withRecs({ crossSell: { minLft: 2 } }), /"recommendations\.crossSell": unknown setting "minLft"/);
  bad(withRecs({ upsell: { priceTiers: 1 } }), /"recommendations\.upsell\.priceTiers" must be an integer in \[2, 20\]/);
  bad(withRecs({ upsell: { fallbackToCrossSell: 'yes' } }), /"recommendations\.upsell\.fallbackToCrossSell" must be true or false/);
  bad(withRecs({ winBack: { segments: ['at_risk', 'gone'] } }), /"recommendations\.winBack\.segments": unknown segment "gone"/);
  bad(withRecs({ winBack: { segments: 'lost' } }), /"recommendations\.winBack\.segments" must be an array/);
  bad(withRecs({ winBack: { minHistoricValueMinor: -1 } }), /"recommendations\.winBack\.minHistoricValueMinor" must be an integer/);
  bad(withRecs({ winBack: { otherwise: { action: 'win_back', reason: 'x' } } }), /"recommendations\.winBack\.otherwise": action must be nurture or none/);
  bad(withRecs([]), /"recommendations" must be an object/);
});

test('a "$comment" key is allowed at the top level', () => {
  assert.doesNotThrow(() => parseActionPolicy({ $comment: 'notes', segments: shipped.segments }, 'p.json'));
});
