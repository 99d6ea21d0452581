import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addCountedOrder, purchasesBetween, totalPurchasesBetween, type CustomerTruth, type GroundTruth } from '../producers/synthetic/ground-truth.js';

function customer(id: string): CustomerTruth {
  return { customerId: id, acquiredAtMs: 0, lambdaPerWeek: 0.1, dropoutProbability: 0.2, spendNu: 0.3, aliveAtEnd: true, latentOrders: 0, favouriteCategory: 'books', purchases: [] };
}

describe('synthetic ground truth', () => {
  it('merges orders of one day into one purchase day and ignores orders worth nothing', () => {
    const c = customer('C000001');
    addCountedOrder(c, 100, 500);
    addCountedOrder(c, 100, 250);
    addCountedOrder(c, 101, 0);
    addCountedOrder(c, 103, 100);
    assert.deepEqual(c.purchases, [
      { customerId: 'C000001', day: 100, valueMinor: 750 },
      { customerId: 'C000001', day: 103, valueMinor: 100 },
    ]);
  });

  it('keeps days ascending when an order comes in for an earlier day', () => {
    const c = customer('C000002');
    for (const [day, v] of [[5, 1], [9, 1], [7, 1], [5, 2], [1, 1]]) addCountedOrder(c, day, v);
    assert.deepEqual(c.purchases.map((p) => [p.day, p.valueMinor]), [[1, 1], [5, 3], [7, 1], [9, 1]]);
  });

  it('sums purchase days and value over the half-open range [fromDay, toDay)', () => {
    const a = customer('C000001');
    const b = customer('C000002');
    for (const day of [10, 11, 20]) addCountedOrder(a, day, 100);
    addCountedOrder(b, 20, 1_000);
    assert.deepEqual(purchasesBetween(a, 10, 20), { purchaseDays: 2, valueMinor: 200 });
    assert.deepEqual(purchasesBetween(a, 11, 21), { purchaseDays: 2, valueMinor: 200 });
    assert.deepEqual(purchasesBetween(a, 21, 30), { purchaseDays: 0, valueMinor: 0 });
    const truth = { purchases: [...a.purchases, ...b.purchases] } as GroundTruth;
    assert.deepEqual(totalPurchasesBetween(truth, 15, 25), { purchaseDays: 2, valueMinor: 1_100 });
  });
});
