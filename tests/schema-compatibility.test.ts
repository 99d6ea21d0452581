import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { loadTopicSchemas } from '../adapters/avro/schema-files.js';

// The schemas as released before recommendations: data written with them must stay readable
// (BACKWARD compatibility, what the registry enforces), every new field taking its default.
const before = (topic: string) => avro.Type.forSchema(JSON.parse(readFileSync(new URL(`./fixtures/schemas-before-recommendations/${topic}.avsc`, import.meta.url), 'utf8')));
const current = loadTopicSchemas();
const now = (topic: string) => avro.Type.forSchema(current.get(topic) as avro.Schema);

function readOld(topic: string, record: object, writer = before(topic)): Record<string, unknown> {
  const reader = now(topic);
  return reader.fromBuffer(writer.toBuffer(record), reader.createResolver(writer)) as Record<string, unknown>;
}

// The features as released before they carried the LSTM's recent purchase days.
const beforeSequenceHistory = (topic: string) => avro.Type.forSchema(JSON.parse(readFileSync(new URL(`./fixtures/schemas-before-sequence-history/${topic}.avsc`, import.meta.url), 'utf8')));

const T = Date.UTC(2024, 0, 1);

test('a purchase written before line items were carried reads with line_items []', () => {
  const got = readOld('commerce.purchases.v1', {
    event_id: 'O1:1', event_time: T, customer_id: 'C1', order_id: 'O1', revision: 1, status: 'ACTIVE', net_amount_minor: 100, currency: 'USD', categories: ['music'],
  });
  assert.deepEqual(got.line_items, []);
  assert.deepEqual(got.categories, ['music']);
});

test('features written before the category summary read with category_summary []', () => {
  const got = readOld('clv.features.v1', {
    event_id: 'f', event_time: T, customer_id: 'C1', first_purchase_time: T, last_purchase_time: T, purchase_days: 1, repeat_purchase_days: 0,
    repeat_value_minor: 0, total_value_minor: 100, currency: 'USD',
  });
  assert.deepEqual(got.category_summary, []);
});

test('features written before the recent purchase days read with recent_purchase_days [] and keep their category summary', () => {
  const got = readOld('clv.features.v1', {
    event_id: 'f', event_time: T, customer_id: 'C1', first_purchase_time: T, last_purchase_time: T, purchase_days: 1, repeat_purchase_days: 0,
    repeat_value_minor: 0, total_value_minor: 100, currency: 'USD', category_summary: [{ category: 'music', orders: 1, quantity: 2, spend_minor: 100 }],
  }, beforeSequenceHistory('clv.features.v1'));
  assert.deepEqual(got.recent_purchase_days, []);
  assert.equal((got.category_summary as unknown[]).length, 1);
});

test('scores and segment changes written before recommendations read with no categories, an empty reason and no price floor', () => {
  const score = readOld('clv.scores.v1', {
    event_id: 's', event_time: T, customer_id: 'C1', model_version: 'v1', clv_minor: 100, p_alive: 0.5, expected_purchases: 1, expected_avg_value_minor: 100,
    horizon_days: 365, segment: 'low_value', action: 'none', currency: 'USD',
  });
  const change = readOld('clv.segment-changes.v1', {
    event_id: 'c', event_time: T, customer_id: 'C1', previous_segment: null, segment: 'new', clv_minor: 0, action: 'nurture', reason: 'r', model_version: 'v1',
  });
  for (const got of [score, change]) {
    assert.deepEqual(got.recommended_categories, []);
    assert.equal(got.recommendation_reason, '');
    assert.equal(got.recommended_min_unit_price_minor, 0);
  }
});

test('a current purchase with line items round-trips through the current schema', () => {
  const purchase = {
    event_id: 'O1:1', event_time: T, customer_id: 'C1', order_id: 'O1', revision: 1, status: 'ACTIVE', net_amount_minor: 3000, currency: 'USD',
    categories: ['books'], line_items: [{ category: 'books', quantity: 2, unit_price_minor: 1500 }],
  };
  const type = now('commerce.purchases.v1');
  // Decoded records are class instances: compare their JSON.
  assert.deepEqual(JSON.parse(JSON.stringify(type.fromBuffer(type.toBuffer(purchase)))), purchase);
});
