/**
 * The fault suite's verdict (support/stack-snapshot.ts `compareSnapshots`) on planted
 * differences: an order missing from a history is lost, an order counted twice is doubled, a
 * changed score or revision is different, a missing event or customer is lost — so that a
 * fault which loses or doubles anything fails the suite.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CustomerPurchaseHistory } from '../../processors/features/customer-purchase-history.js';
import type { CustomerScoreState } from '../../processors/scoring/customer-scorer.js';
import { compareSnapshots, type Snapshot } from './support/stack-snapshot.js';

const day = (d: number) => Date.UTC(1997, 0, 1 + d);

function history(id: string, orders: Array<[string, number, number]>): CustomerPurchaseHistory {
  return {
    customerId: id, currency: 'USD', compacted: null,
    orders: orders.map(([orderId, d, net]) => ({ orderId, day: d, time: day(d), revision: 1, status: 'ACTIVE', net, categories: [], lines: [] })),
  } as CustomerPurchaseHistory;
}

function snapshot(): Snapshot {
  const histories = new Map([
    ['A', history('A', [['A-1', 0, 1000], ['A-2', 5, 500]])],
    ['B', history('B', [['B-1', 2, 700]])],
  ]);
  const scores = new Map([...histories.keys()].map((id) => [id, { clvMinor: 100, segment: 'new' } as unknown as CustomerScoreState]));
  return {
    histories, scores, ledgers: 3,
    features: new Map([
      ['A', { purchase_days: 2, repeat_purchase_days: 1, repeat_value_minor: 500, total_value_minor: 1500 }],
      ['B', { purchase_days: 1, repeat_purchase_days: 0, repeat_value_minor: 0, total_value_minor: 700 }],
    ]),
    scoreViews: new Map([
      ['A', { model_version: 'rfm-rules', clv_minor: 100, p_alive: 0.5, segment: 'new', action: 'nurture' }],
      ['B', { model_version: 'rfm-rules', clv_minor: 100, p_alive: 0.5, segment: 'new', action: 'nurture' }],
    ]),
    purchases: new Map([
      ['A/A-1', { status: 'ACTIVE', net_amount_minor: 1000 }],
      ['A/A-2', { status: 'ACTIVE', net_amount_minor: 500 }],
      ['B/B-1', { status: 'ACTIVE', net_amount_minor: 700 }],
    ]),
    raw: { orders: { rows: 3, events: 3 }, payments: { rows: 3, events: 3 } },
  };
}

test('identical snapshots: nothing lost, doubled or different; raw redeliveries are not errors', () => {
  const actual = snapshot();
  actual.raw.orders.rows = 5; // two redelivered rows, hidden by the views
  assert.deepEqual(compareSnapshots(snapshot(), actual), { customers: 2, lost: 0, doubled: 0, different: 0, examples: [] });
});

test('a missing order, a missing customer and a missing event are lost', () => {
  const actual = snapshot();
  actual.histories.set('A', history('A', [['A-1', 0, 1000]]));
  actual.scores.delete('B');
  actual.purchases.delete('B/B-1');
  actual.raw.payments.events = 2;
  const t = compareSnapshots(snapshot(), actual);
  assert.deepEqual({ lost: t.lost, doubled: t.doubled, different: t.different }, { lost: 4, doubled: 0, different: 0 }, t.examples.join('\n'));
});

test('an order applied twice, an unexpected customer and more value in a view are doubled', () => {
  const actual = snapshot();
  actual.histories.set('B', history('B', [['B-1', 2, 700], ['B-1-again', 3, 700]]));
  actual.histories.set('C', history('C', [['C-1', 1, 10]]));
  actual.features.set('A', { ...actual.features.get('A')!, total_value_minor: 3000 });
  const t = compareSnapshots(snapshot(), actual);
  assert.deepEqual({ lost: t.lost, doubled: t.doubled, different: t.different }, { lost: 0, doubled: 3, different: 0 }, t.examples.join('\n'));
});

test('a changed score, purchase amount or repeat value is different', () => {
  const actual = snapshot();
  actual.scores.set('A', { clvMinor: 101, segment: 'new' } as unknown as CustomerScoreState);
  actual.scoreViews.set('B', { ...actual.scoreViews.get('B')!, segment: 'at_risk' });
  actual.purchases.set('A/A-2', { ...actual.purchases.get('A/A-2')!, net_amount_minor: 400 });
  actual.features.set('B', { ...actual.features.get('B')!, repeat_value_minor: 1 });
  const t = compareSnapshots(snapshot(), actual);
  assert.deepEqual({ lost: t.lost, doubled: t.doubled, different: t.different }, { lost: 0, doubled: 0, different: 4 }, t.examples.join('\n'));
});
