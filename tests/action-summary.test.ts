import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InMemoryStateStore } from '../adapters/in-memory/in-memory-state-store.js';
import type { Action } from '../core/action-policy.js';
import type { Segment } from '../core/segmentation.js';
import type { CustomerScoreState } from '../processors/scoring/customer-scorer.js';
import { actionSummary } from '../read-model/action-summary.js';
import { SegmentIndex } from '../read-model/segment-index.js';
import { defaultPolicy } from './support/embedded-pipeline.js';

const state = (id: string, segment: Segment, action: Action, clvMinor: number): CustomerScoreState => ({
  features: {
    event_id: id, event_time: 0, customer_id: id, first_purchase_time: 0, last_purchase_time: 0, purchase_days: 1, repeat_purchase_days: 0,
    repeat_value_minor: 0, total_value_minor: 100, currency: 'USD', category_summary: [],
  },
  asOfMs: 0, segment, clvMinor, modelVersion: 'v1', interval: null, sequence: 1, sweptToMs: null,
  recommendation: { action, reason: `${id}: ${action}`, categories: [`cat-${id}`], minUnitPriceMinor: 0 },
});

async function summary(states: CustomerScoreState[], examples: number) {
  const index = new SegmentIndex();
  const store = new InMemoryStateStore<CustomerScoreState>();
  await store.setMany(new Map(states.map((s) => [s.features.customer_id, s])));
  for (const s of states) index.set(s.features.customer_id, s, s.recommendation!.action);
  return { index, store, result: await actionSummary(index, store, defaultPolicy, { currency: 'USD', minorPerUnit: 100 }, examples) };
}

test('groups by action and segment, the largest action first; examples by CLV, ties by id', async () => {
  const { result } = await summary([
    state('c', 'high_value', 'upsell', 500), state('a', 'high_value', 'upsell', 500), state('b', 'high_value', 'upsell', 900),
    state('d', 'high_value', 'cross_sell', 300), state('e', 'medium_value', 'cross_sell', 100), state('f', 'medium_value', 'cross_sell', 50),
    state('g', 'medium_value', 'cross_sell', 70), state('h', 'lost', 'none', 1),
  ], 2);
  assert.equal(result.customers, 8);
  assert.deepEqual(result.groups.map((g) => [g.action, g.segment, g.customers]), [
    ['cross_sell', 'high_value', 1], ['cross_sell', 'medium_value', 3], ['upsell', 'high_value', 3], ['none', 'lost', 1],
  ]);
  const upsell = result.groups.find((g) => g.action === 'upsell')!;
  assert.deepEqual(upsell.examples, [
    { customerId: 'b', clvMinor: 900, reason: 'b: upsell', categories: ['cat-b'] },
    { customerId: 'a', clvMinor: 500, reason: 'a: upsell', categories: ['cat-a'] },
  ]);
  assert.match(result.groups[0].reason, /^Cross-sell in place of upsell/);
  assert.equal(result.groups[1].reason, defaultPolicy.segments.medium_value.reason);
});

test('a re-score that changes the action moves the customer between groups; unscored customers are in none', async () => {
  const { index, store } = await summary([state('a', 'at_risk', 'win_back', 100), state('b', 'at_risk', 'win_back', 200)], 1);
  index.set('a', state('a', 'at_risk', 'none', 100), 'none');
  index.set('z', { ...state('z', 'new', 'nurture', 0), segment: null, recommendation: null }, null);
  const result = await actionSummary(index, store, defaultPolicy, { currency: 'USD', minorPerUnit: 100 }, 1);
  assert.deepEqual(result.groups.map((g) => [g.action, g.segment, g.customers, g.examples.map((e) => e.customerId)]), [
    ['win_back', 'at_risk', 1, ['b']], ['none', 'at_risk', 1, ['a']],
  ]);
  assert.equal(result.customers, 2);
});
