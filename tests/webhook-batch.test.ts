import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { buildRequests, eventIdsHeader, idempotencyKey, matchesFilter, type WebhookEvent } from '../consumers/webhooks/webhook-batch.js';
import type { SegmentChangedEvent } from '../core/events.js';
import { Topics } from '../core/topics.js';

function change(i: number, segment: string, action = 'nurture'): WebhookEvent {
  const data: SegmentChangedEvent = {
    event_id: `C${i}@seg@v1`, event_time: 1_700_000_000_000 + i, customer_id: `C${i}`, previous_segment: null,
    segment, clv_minor: 1_000 * i, action, reason: 'why', model_version: 'v1',
    recommended_categories: ['books'], recommendation_reason: 'why', recommended_min_unit_price_minor: 0,
  };
  return { id: data.event_id, topic: Topics.segmentChanges, data };
}

test('webhook batch: the filter matches on segment and action; no filter matches all', () => {
  const lost = change(1, 'lost', 'win_back').data;
  assert.equal(matchesFilter(null, lost), true);
  assert.equal(matchesFilter({ segments: ['lost', 'at_risk'], actions: null }, lost), true);
  assert.equal(matchesFilter({ segments: ['high_value'], actions: null }, lost), false);
  assert.equal(matchesFilter({ segments: null, actions: ['win_back'] }, lost), true);
  assert.equal(matchesFilter({ segments: ['lost'], actions: ['upsell'] }, lost), false, 'both must match');
});

test('webhook batch: requests hold at most maxBatchEvents, in log order, with their offsets', () => {
  const events = Array.from({ length: 7 }, (_, i) => change(i, 'new'));
  const offsets = events.map((_, i) => String(10 + 2 * i));
  const requests = buildRequests(events, offsets, 3, 3);
  assert.deepEqual(requests.map((r) => r.eventIds), [['C0@seg@v1', 'C1@seg@v1', 'C2@seg@v1'], ['C3@seg@v1', 'C4@seg@v1', 'C5@seg@v1'], ['C6@seg@v1']]);
  assert.deepEqual(requests.map((r) => r.source), [
    { topic: Topics.segmentChanges, partition: 3, firstOffset: '10', lastOffset: '14' },
    { topic: Topics.segmentChanges, partition: 3, firstOffset: '16', lastOffset: '20' },
    { topic: Topics.segmentChanges, partition: 3, firstOffset: '22', lastOffset: '22' },
  ]);
  assert.deepEqual(JSON.parse(requests[2].body), { events: [JSON.parse(JSON.stringify(events[6]))] });
  assert.deepEqual(buildRequests([], [], 0, 3), []);
});

test('webhook batch: the idempotency key is sha256 of "<topic>:<id>" lines, so receivers can recompute it', () => {
  const events = [change(1, 'new'), change(2, 'lost')];
  const expected = createHash('sha256').update(`${Topics.segmentChanges}:C1@seg@v1\n${Topics.segmentChanges}:C2@seg@v1`).digest('hex');
  assert.equal(idempotencyKey(events), expected);
  assert.equal(buildRequests(events, ['0', '1'], 0, 10)[0].idempotencyKey, expected, 'same events, same key');
  assert.notEqual(idempotencyKey([events[1], events[0]]), expected);
  assert.notEqual(idempotencyKey([{ id: 'C1@seg@v1', topic: Topics.scores }, events[1]]), expected, 'the topic counts');
});

test('webhook batch: X-Clv-Event-Ids lists ids as they are, escaping only what a header cannot carry', () => {
  assert.equal(eventIdsHeader(['C1-O0:2', 'C0001@1700000000000@v1']), 'C1-O0:2,C0001@1700000000000@v1');
  const awkward = ['a,b', '50%', 'sp ace', 'ünï', 'line\nbreak'];
  const header = eventIdsHeader(awkward);
  assert.match(header, /^[\x21-\x7e]+$/);
  assert.deepEqual(header.split(',').map(decodeURIComponent), awkward);
});
