import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { lstmTrainingExamples } from '../evaluation/model-evaluation-lstm.js';
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
