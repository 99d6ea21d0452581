import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { chooseEnsembleShape } from '../evaluation/ensemble-period-shape.js';
import { evaluationWindow } from '../evaluation/model-evaluation-window.js';

// One customer buying 10.00 every day of November and 30.00 every day of December.
const days = new Map<number, number>([[dayIndexOfDate('1997-10-31'), 100]]);
for (let t = dayIndexOfDate('1997-11-01'); t <= dayIndexOfDate('1997-12-31'); t++) t < dayIndexOfDate('1997-12-01') ? days.set(t, 1000) : days.set(t, 3000);
const window = evaluationWindow(new Map([['a', days]]), dayIndexOfDate('1997-10-31'), dayIndexOfDate('1997-12-31'), 7, 100);

test('picks the shape whose monthly split of the total matched the window best', () => {
  const flat = new Float64Array(61).fill(1);
  const seasonal = Float64Array.from(flat, (_, i) => (i < 30 ? 1 : 3));
  const choice = chooseEnsembleShape([{ name: 'flat', dailyShape: flat }, { name: 'seasonal', dailyShape: seasonal }], 1230, window);
  assert.equal(choice.chosen, 'seasonal');
  assert.ok(choice.mape.seasonal! < 1e-12, String(choice.mape.seasonal));
  assert.ok(choice.mape.flat! > 0.3);
});

test('the first candidate wins a tie; no candidate is an error', () => {
  const flat = new Float64Array(61).fill(1);
  assert.equal(chooseEnsembleShape([{ name: 'x', dailyShape: flat }, { name: 'y', dailyShape: flat }], 100, window).chosen, 'x');
  assert.throws(() => chooseEnsembleShape([], 1, window), RangeError);
});
