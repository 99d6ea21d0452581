import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointForecast, sampleIntervals, scaledTime, trendAt, type ProphetEstimate } from '../models/forecast/prophet-prediction.js';

const base: ProphetEstimate = {
  growth: 'linear', k: 0.5, m: 0.2, delta: [0.3, -1], tChange: [0.25, 0.5], beta: [], modes: [],
  sigmaObs: 0.01, yScale: 1000, tStartDay: 100, tScaleDays: 200,
};

test('piecewise-linear trend matches Taylor & Letham eq. (4), hand-computed', () => {
  // Before 0.25: 0.5t + 0.2; from 0.25: (0.8)t + 0.2 − 0.075; from 0.5: (−0.2)t + 0.125 + 0.5.
  const cases: [number, number][] = [[0, 0.2], [0.2, 0.3], [0.25, 0.325], [0.4, 0.445], [0.5, 0.525], [1, 0.425], [1.5, 0.325]];
  for (const [t, g] of cases) assert.ok(Math.abs(trendAt(base, t) - g) < 1e-12, `g(${t}) = ${trendAt(base, t)}, want ${g}`);
  assert.equal(trendAt({ ...base, growth: 'flat' }, 0.9), 0.2);
  assert.equal(scaledTime(base, 300), 1);
});

test('yhat = trend·(1 + multiplicative) + additive, in original units', () => {
  const e: ProphetEstimate = { ...base, beta: [0.1, 0.5], modes: ['additive', 'multiplicative'] };
  const parts = pointForecast(e, [100], [[2], [0.4]]);
  assert.ok(Math.abs(parts.trend[0] - 200) < 1e-9);
  assert.ok(Math.abs(parts.additive[0] - 200) < 1e-9);
  assert.ok(Math.abs(parts.multiplicative[0] - 0.2) < 1e-12);
  assert.ok(Math.abs(parts.yhat[0] - (200 * 1.2 + 200)) < 1e-9);
});

test('in the history only observation noise widens the interval: 80 % ≈ ±1.2816·σ·yScale', () => {
  const days = [100, 150, 200, 250, 300];
  const parts = pointForecast(base, days, []);
  const { lower, upper } = sampleIntervals(base, days, parts, { width: 0.8, samples: 20_000, seed: 3 });
  for (let i = 0; i < days.length; i++) {
    assert.ok(Math.abs(upper[i] - parts.yhat[i] - 12.816) < 0.5, `upper − yhat = ${upper[i] - parts.yhat[i]}`);
    assert.ok(Math.abs(parts.yhat[i] - lower[i] - 12.816) < 0.5, `yhat − lower = ${parts.yhat[i] - lower[i]}`);
  }
});

test('beyond the history simulated trend changes widen the interval; the same seed gives the same interval', () => {
  const days = [300, 400, 500];
  const parts = pointForecast(base, days, []);
  const a = sampleIntervals(base, days, parts, { width: 0.8, samples: 2000, seed: 5 });
  assert.ok(a.upper[2] - a.lower[2] > 3 * (a.upper[0] - a.lower[0]));
  assert.deepEqual(sampleIntervals(base, days, parts, { width: 0.8, samples: 2000, seed: 5 }), a);
  assert.notDeepEqual(sampleIntervals(base, days, parts, { width: 0.8, samples: 2000, seed: 6 }), a);
  const flat = { ...base, growth: 'flat' as const };
  const f = sampleIntervals(flat, days, pointForecast(flat, days, []), { width: 0.8, samples: 2000, seed: 5 });
  assert.ok(Math.abs((f.upper[2] - f.lower[2]) - (f.upper[0] - f.lower[0])) < 2, 'a flat trend has no trend uncertainty');
});
