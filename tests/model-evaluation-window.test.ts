import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { evaluationWindow, purchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import type { Transaction } from '../producers/transaction-file.js';

const d = dayIndexOfDate;
const tx = (customerId: string, date: string, amountMinor: number): Transaction => ({ customerId, day: d(date), time: null, amountMinor, line: 0 });

// a: buys before and after the cut; b: only before; c: only after (not scored: unknown at the cut).
const transactions = [
  tx('a', '1997-01-01', 1000), tx('a', '1997-01-01', 500), tx('a', '1997-01-15', 2000), tx('a', '1997-02-03', 700), tx('a', '1997-02-20', 300),
  tx('b', '1997-01-10', 4000),
  tx('c', '1997-02-02', 9900),
  tx('a', '1997-03-05', 100), // after the window end
];

test('scores only customers known at the cut, with model inputs from the days up to it', () => {
  const w = evaluationWindow(purchaseDaysByCustomer(transactions), d('1997-01-31'), d('1997-02-28'), 7, 100);
  assert.deepEqual(w.customerIds, ['a', 'b']);
  assert.equal(w.firstDay, d('1997-01-01'));
  // a: days 01-01 (15.00, two rows on one day = one transaction) and 01-15 (20.00): x = 1, t_x = 2 weeks, T = 30 days.
  assert.deepEqual(w.inputs[0], { asOfDay: d('1997-01-31'), frequency: 1, recency: 2, T: 30 / 7, monetaryValue: 20 });
  assert.deepEqual(w.histories[0], [[d('1997-01-01'), 1500], [d('1997-01-15'), 2000]]);
  assert.deepEqual(w.inputs[1], { asOfDay: d('1997-01-31'), frequency: 0, recency: 0, T: 21 / 7, monetaryValue: 0 });
});

test('actuals are the window spend of those customers, per customer and per day', () => {
  const w = evaluationWindow(purchaseDaysByCustomer(transactions), d('1997-01-31'), d('1997-02-28'), 7, 100);
  assert.deepEqual([...w.actualValue], [10, 0]);
  assert.deepEqual([...w.actualPurchaseDays], [2, 0]);
  assert.equal(w.revenueInWindow.length, 28);
  assert.equal(w.revenueInWindow[d('1997-02-03') - d('1997-02-01')], 7);
  assert.equal(w.revenueInWindow[d('1997-02-02') - d('1997-02-01')], 0, "c's purchase is not in the scored revenue");
  assert.equal(w.revenueInWindow.reduce((s, v) => s + v, 0), 10);
});

test('revenue before the cut covers every day from the first purchase, minor units', () => {
  const w = evaluationWindow(purchaseDaysByCustomer(transactions), d('1997-01-31'), d('1997-02-28'), 7, 100);
  assert.equal(w.revenueBeforeCut.length, 31);
  assert.equal(w.revenueBeforeCut[0], 1500);
  assert.equal(w.revenueBeforeCut[9], 4000);
  assert.equal(w.revenueBeforeCut.reduce((s, v) => s + v, 0), 7500);
  assert.throws(() => evaluationWindow(purchaseDaysByCustomer(transactions), 10, 10, 7, 100), RangeError);
});
