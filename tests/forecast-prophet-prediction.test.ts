import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pointForecast, sampleIntervals, sampleTotalIntervals, scaledTime, trendAt, type ProphetEstimate } from '../models/forecast/prophet-prediction.js';

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

test('the interval of a sum of days in the history is that of a sum of independent noises: 80 % ≈ ±1.2816·σ·yScale·√k', () => {
  const days = Array.from({ length: 30 }, (_, i) => 120 + i);
  const parts = pointForecast(base, days, []);
  const all = days.map((_, i) => i);
  const o = { width: 0.8, samples: 20_000, seed: 3 };
  const { lower, upper } = sampleTotalIntervals(base, days, parts, [all, [0], all.slice(0, 7)], (v) => v, o);
  const yhat = (g: readonly number[]) => g.reduce((s, i) => s + parts.yhat[i], 0);
  for (const [k, group] of [[0, all], [1, [0]], [2, all.slice(0, 7)]] as const) {
    const half = 12.816 * Math.sqrt(group.length);
    assert.ok(Math.abs(upper[k] - yhat(group) - half) < 0.04 * half, `${group.length} days: upper − yhat = ${upper[k] - yhat(group)}, want ${half}`);
    assert.ok(Math.abs(yhat(group) - lower[k] - half) < 0.04 * half, `${group.length} days: yhat − lower = ${yhat(group) - lower[k]}, want ${half}`);
  }
  // One day alone is that day's interval, from the same paths.
  const single = sampleIntervals(base, days, parts, o);
  assert.ok(Math.abs(single.upper[0] - upper[1]) < 1e-9 && Math.abs(single.lower[0] - lower[1]) < 1e-9);
});

test('a sum beyond the history keeps the shared trend uncertainty: wider than √k days\' noise alone, narrower than the sum of the days\' bounds', () => {
  const days = Array.from({ length: 60 }, (_, i) => 320 + i);
  const parts = pointForecast(base, days, []);
  const o = { width: 0.8, samples: 4000, seed: 7 };
  const daily = sampleIntervals(base, days, parts, o);
  const [total] = [sampleTotalIntervals(base, days, parts, [days.map((_, i) => i)], (v) => v, o)].map((b) => ({ lower: b.lower[0], upper: b.upper[0] }));
  const summedBounds = daily.upper.reduce((a, b) => a + b, 0) - daily.lower.reduce((a, b) => a + b, 0);
  assert.ok(total.upper - total.lower < summedBounds, `${total.upper - total.lower} vs ${summedBounds}`);
  assert.ok(total.upper - total.lower > 2 * 12.816 * Math.sqrt(60), `${total.upper - total.lower}`);
});
