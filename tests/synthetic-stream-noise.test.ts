import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OrderEvent, PaymentEvent } from '../core/events.js';
import type { NoiseRates } from '../producers/synthetic/options.js';
import { createRng } from '../producers/synthetic/prng.js';
import { deliverWithNoise, ORDERS_TOPIC, PAYMENTS_TOPIC, SEMANTIC_FLAWS, type SyntheticMessage } from '../producers/synthetic/stream-noise.js';

const NONE: NoiseRates = { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 };
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2025, 0, 1);

/** n orders, each placed and captured 2 minutes later, one order every 10 minutes. */
function events(n: number): Array<OrderEvent | PaymentEvent> {
  const out: Array<OrderEvent | PaymentEvent> = [];
  for (let i = 0; i < n; i++) {
    const t = START + i * 600_000;
    const base = { customer_id: `C${i % 97}`, order_id: `O${i}`, amount_minor: 1_000 + i, currency: 'USD' };
    out.push({ ...base, event_id: `e${i}-1`, event_time: t, type: 'ORDER_PLACED', line_items: [{ sku: 'BOOK-0001', category: 'books', quantity: 1, unit_price_minor: 1_000 + i }] });
    out.push({ ...base, event_id: `e${i}-2`, event_time: t + 120_000, type: 'PAYMENT_CAPTURED', payment_id: `P${i}` });
  }
  return out;
}

const deliver = (rates: Partial<NoiseRates>, n = 20_000) =>
  deliverWithNoise(events(n), { ...NONE, ...rates }, createRng(1, 4), { seed: 1, currency: 'USD', endMs: END });

const valid = (m: SyntheticMessage) => ('value' in m && m.flaw === undefined ? m.value : undefined);

describe('synthetic stream noise', () => {
  it('without noise delivers every event once, on its topic, keyed by customer, shortly after it happens', () => {
    const { messages, stats } = deliver({}, 2000);
    assert.equal(messages.length, 4000);
    assert.equal(stats.validEvents, 4000);
    for (const m of messages) {
      assert.ok('value' in m);
      assert.equal(m.key, m.value.customer_id);
      assert.equal(m.topic, m.value.type.startsWith('ORDER_') ? ORDERS_TOPIC : PAYMENTS_TOPIC);
      assert.ok(m.deliveredAtMs >= m.value.event_time && m.deliveredAtMs - m.value.event_time < 60_000);
    }
  });

  it('returns messages in delivery order', () => {
    const { messages } = deliver({ lateRate: 0.05, reorderRate: 0.1, duplicateRate: 0.1, invalidRate: 0.05, poisonRate: 0.05 });
    for (let i = 1; i < messages.length; i++) assert.ok(messages[i].deliveredAtMs >= messages[i - 1].deliveredAtMs);
  });

  it('duplicates re-send the same event_id with an identical value; stats count them exactly', () => {
    const { messages, stats } = deliver({ duplicateRate: 0.05 });
    const seen = new Map<string, unknown>();
    let extra = 0;
    for (const m of messages) {
      const v = valid(m)!;
      if (seen.has(v.event_id)) {
        extra++;
        assert.deepEqual(v, seen.get(v.event_id));
      } else seen.set(v.event_id, v);
    }
    assert.equal(extra, stats.duplicates);
    assert.equal(seen.size, stats.validEvents);
    assert.ok(Math.abs(stats.duplicates / stats.validEvents - 0.05) < 0.005);
  });

  it('reordering makes some payments arrive before their order; late events arrive one to ten days after they happen', () => {
    const { messages, stats } = deliver({ reorderRate: 0.05, lateRate: 0.01 });
    const placedAt = new Map<string, number>();
    let paymentFirst = 0;
    let late = 0;
    for (const m of messages) {
      const v = valid(m)!;
      if (v.type === 'ORDER_PLACED') placedAt.set(v.order_id, m.deliveredAtMs);
      else if (!placedAt.has(v.order_id)) paymentFirst++;
      if (m.deliveredAtMs - v.event_time >= 86_400_000) late++;
    }
    assert.ok(paymentFirst > 0.02 * 20_000, `payments before orders: ${paymentFirst}`);
    assert.equal(late, stats.late);
    assert.ok(Math.abs(stats.late / 40_000 - 0.01) < 0.002);
    assert.ok(Math.abs(stats.reordered / 40_000 - 0.05 * 0.99) < 0.005);
  });

  it('invalid events are schema-shaped but break exactly the marked rule, with fresh event ids', () => {
    const { messages, stats } = deliver({ invalidRate: 0.02 });
    const counts = Object.fromEntries(SEMANTIC_FLAWS.map((f) => [f, 0]));
    const ids = new Set<string>();
    for (const m of messages) {
      if (!('value' in m)) continue;
      assert.ok(!ids.has(m.value.event_id), 'event ids stay unique without duplicates');
      ids.add(m.value.event_id);
      if (m.flaw === undefined) continue;
      counts[m.flaw]++;
      const v = m.value;
      if (m.flaw === 'negative-amount') assert.ok(v.amount_minor < 0);
      if (m.flaw === 'foreign-currency') assert.notEqual(v.currency, 'USD');
      if (m.flaw === 'future-event-time') assert.ok(v.event_time >= Date.UTC(2100, 0, 1) && v.event_time > END);
      if (m.flaw === 'empty-customer-id') assert.ok(v.customer_id === '' && m.key === '');
      assert.match(v.event_id, /^evt-1-bad-\d+$/);
    }
    assert.deepEqual(counts, stats.invalid);
    const total = SEMANTIC_FLAWS.reduce((s, f) => s + stats.invalid[f], 0);
    assert.ok(Math.abs(total / 40_000 - 0.02) < 0.003, `invalid share ${total / 40_000}`);
  });

  it('poison messages are bytes that neither the Confluent wire format nor UTF-8 JSON accepts', () => {
    const { messages, stats } = deliver({ poisonRate: 0.01 });
    const poison = messages.filter((m) => 'poison' in m);
    assert.equal(poison.length, stats.poison);
    assert.ok(Math.abs(stats.poison / 40_000 - 0.01) < 0.002);
    for (const m of poison) {
      assert.ok('poison' in m);
      assert.equal(m.poison[0], 0xff);
      assert.ok(m.poison.length >= 16 && m.why.length > 0);
      assert.throws(() => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(m.poison)));
    }
  });

  it('the same rng stream gives the same delivery', () => {
    const rates = { duplicateRate: 0.05, reorderRate: 0.05, lateRate: 0.01, invalidRate: 0.01, poisonRate: 0.01 };
    assert.deepEqual(deliver(rates, 3000), deliver(rates, 3000));
  });
});
