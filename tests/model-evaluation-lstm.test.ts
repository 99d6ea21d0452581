import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { fitWindowLstm, lstmTrainingExamples, meanPurchaseDayValue, lstmWindowForecast, lstmWindowPredictions, lstmWindowValues } from '../evaluation/model-evaluation-lstm.js';
import { evaluationWindow } from '../evaluation/model-evaluation-window.js';

const d = dayIndexOfDate;
// Cut 1997-09-30, 13-week labels: as-of days 1997-07-01 and 1997-04-01 (1996-12-31 is before the data).
const byCustomer = new Map([
  ['a', new Map([[d('1997-01-01'), 1000], [d('1997-05-01'), 2000], [d('1997-08-01'), 3000], [d('1997-10-05'), 99900]])],
  ['b', new Map([[d('1997-06-01'), 500], [d('1997-09-30'), 700]])],
]);
const window = evaluationWindow(byCustomer, d('1997-09-30'), d('1998-06-30'), 7, 100);
const options = { labelPeriods: 13, periodDays: 7, maxEpochs: 1, seed: 1, minorPerUnit: 100 };

test('label windows end on the cut at the latest: as-of days step back one label length at a time', () => {
  const { origins, examples } = lstmTrainingExamples(window, options);
  assert.deepEqual(origins, [d('1997-07-01'), d('1997-04-01')]);
  // 1997-07-01: a (target: 08-01 → 30.00) and b (09-30 → 7.00); 1997-04-01: a only (05-01 → 20.00).
  assert.deepEqual(examples.map((e) => e.target), [30, 7, 20]);
});

test('a holdout purchase never reaches a target', () => {
  const { examples } = lstmTrainingExamples(window, options);
  assert.ok(examples.every((e) => e.target < 999));
});

test('maxOrigins limits the as-of days', () => {
  assert.deepEqual(lstmTrainingExamples(window, { ...options, maxOrigins: 1 }).origins, [d('1997-07-01')]);
});

test('the evaluated LSTM reports its ZILN interval, in currency units, around the same means it predicts', async () => {
  // 60 customers buying every 3–8 weeks through 1997: enough examples for a one-epoch fit.
  const many = new Map<string, Map<number, number>>();
  for (let c = 0; c < 60; c++) {
    const days = new Map<number, number>();
    for (let day = d('1997-01-01') + c; day <= d('1998-03-01'); day += 21 + 7 * (c % 6)) days.set(day, 1000 + 150 * (c % 9));
    many.set(`c${c}`, days);
  }
  const w = evaluationWindow(many, d('1997-09-30'), d('1998-03-31'), 7, 100);
  const stretch = new Float64Array(w.histories.length).fill(1.5);
  // The same options as lstmWindowForecast uses below, so both fits are the same network.
  const { model } = await fitWindowLstm(w, { ...options, minorPerUnit: meanPurchaseDayValue(w), logger: { info() {} } });
  let upperToMean: number[] = [];
  try {
    const p = await lstmWindowPredictions(model, w, stretch);
    const means = await lstmWindowValues(model, w, stretch);
    assert.deepEqual([...p.values], [...means]);
    assert.equal(p.level, 0.8);
    for (let i = 0; i < p.values.length; i++) assert.ok(p.lower[i] >= 0 && p.lower[i] <= p.upper[i] && p.upper[i] > 0, `customer ${i}: ${p.lower[i]}–${p.upper[i]}`);
    upperToMean = Array.from(p.upper, (u, i) => u / p.values[i]);
  } finally {
    model.dispose();
  }
  const evaluated = await lstmWindowForecast(w, stretch, new Float64Array(w.endDay - w.cutDay), { ...options, logger: { info() {} } });
  const q = evaluated.forecast.intervals!;
  assert.equal(q.level, 0.8);
  // Values and bounds leave spend units by the same factor: their ratios are the network's own.
  const values = evaluated.forecast.values;
  for (let i = 0; i < values.length; i++) {
    assert.ok(q.lower[i] <= q.upper[i], `customer ${i}`);
    if (values[i] > 0) assert.ok(Math.abs(q.upper[i] / values[i] - upperToMean[i]) < 1e-6 * upperToMean[i], `customer ${i}: ${q.upper[i] / values[i]} vs ${upperToMean[i]}`);
  }
});
