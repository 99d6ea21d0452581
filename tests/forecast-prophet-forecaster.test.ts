import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dayIndexOfDate } from '../core/calendar.js';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { monthlyAccuracy } from '../models/metrics/forecast-accuracy.js';
import { holidayCalendar, holidayDays, RETAIL_HOLIDAYS } from '../core/holidays/holiday-calendar.js';
import { fitRevenueForecast, FittedRevenueForecast, type ForecastPoint } from '../models/forecast/prophet-forecaster.js';
import {
  revenueSeriesFromDays, seriesPoints, sliceSeries, weekdayOf, weeklySeries, type RevenueSeries,
} from '../models/forecast/revenue-series.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import { cdnowAvailable, cdnowSkipMessage, readCdnowDays } from './support/cdnow.js';

const d = dayIndexOfDate;
/** Planted weekly pattern, Sunday first, mean 0 (minor units). */
const WEEKLY = [1800, -600, -900, -600, -300, 0, 600];
const yearlyAt = (day: number) => 1500 * Math.sin((2 * Math.PI * day) / 365.25) + 600 * Math.cos((4 * Math.PI * day) / 365.25);

/** level + slope·i + yearly + weekly, × spikes, + N(0, noise²) from a seeded generator. */
function planted(from: string, to: string, spikes: ReadonlyMap<number, number> = new Map(), noise = 400): RevenueSeries {
  let seed = 12345;
  const uniform = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296 || 1e-12;
  const values: number[] = [];
  for (let day = d(from); day <= d(to); day++) {
    const i = day - d(from);
    const gauss = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    values.push((10_000 + 3 * i + yearlyAt(day) + WEEKLY[weekdayOf(day)]) * (spikes.get(day) ?? 1) + noise * gauss);
  }
  return { granularity: 'day', startDay: d(from), values };
}
const asValues = (points: ForecastPoint[]) => points.map((p) => ({ day: p.day, value: p.yhat }));

const threeYears = planted('2021-01-01', '2024-01-31');
const history = sliceSeries(threeYears, d('2021-01-01'), d('2023-12-31'));
const heldOut = sliceSeries(threeYears, d('2024-01-01'), d('2024-01-31'));

test('Prophet recovers a planted weekly and yearly seasonality on 3 years of daily revenue; held-out month MAPE < 2 %', async (t) => {
  const started = performance.now();
  const model = await fitRevenueForecast(history);
  t.diagnostic(`fit of ${history.values.length} days: ${(performance.now() - started).toFixed(0)} ms (first fit in the process includes WASM start-up)`);
  const week = Array.from({ length: 7 }, (_, i) => d('2024-01-07') + i);
  for (const c of model.components(week)) {
    const planted = WEEKLY[weekdayOf(c.day)];
    assert.ok(Math.abs(c.components.weekly - planted) < 150, `weekday ${weekdayOf(c.day)}: fitted ${c.components.weekly.toFixed(0)} vs planted ${planted}`);
  }
  const year = Array.from({ length: 365 }, (_, i) => d('2023-01-01') + i);
  let worst = 0;
  for (const c of model.components(year)) worst = Math.max(worst, Math.abs(c.components.yearly - yearlyAt(c.day)));
  assert.ok(worst < 250, `yearly component off by up to ${worst.toFixed(0)} (amplitude ≈ 2000)`);
  const acc = monthlyAccuracy(asValues(model.predict(31)), seriesPoints(heldOut));
  t.diagnostic(`held-out January MAPE ${(acc.mape! * 100).toFixed(2)} %`);
  assert.ok(acc.mape! < 0.02, `MAPE ${acc.mape}`);
});

test('a planted Black Friday ×3 spike is forecast when the holiday is given and missed when it is not', async () => {
  const bf = { ...RETAIL_HOLIDAYS.find((h) => h.name === 'Black Friday')!, lowerWindow: 0, upperWindow: 0 };
  const spikes = new Map(holidayDays(bf, d('2019-01-01'), d('2023-12-31')).map((day) => [day, 3]));
  const series = planted('2019-01-01', '2023-10-31', spikes, 200);
  const bf2023 = d('2023-11-24');
  const ratio = (points: ForecastPoint[]) => points.find((p) => p.day === bf2023)!.yhat / points.find((p) => p.day === bf2023 - 7)!.yhat;
  const withHoliday = await fitRevenueForecast(series, { holidays: holidayCalendar([bf]), uncertaintySamples: 0 });
  const without = await fitRevenueForecast(series, { uncertaintySamples: 0 });
  const given = ratio(withHoliday.predict(60));
  const missed = ratio(without.predict(60));
  assert.ok(given > 2.6 && given < 3.4, `with the holiday: Black Friday / Friday before = ${given.toFixed(2)}`);
  assert.ok(missed < 1.2, `without the holiday: ${missed.toFixed(2)}`);
});

test('intervals contain yhat, are ordered and cover most held-out days', async () => {
  const model = await fitRevenueForecast(history, { intervalWidth: 0.8 });
  const points = model.predict(365);
  assert.equal(points.length, 365);
  for (const p of points) assert.ok(p.lower <= p.yhat && p.yhat <= p.upper && p.lower < p.upper, JSON.stringify(p));
  const covered = points.slice(0, 31).filter((p, i) => p.lower <= heldOut.values[i] && heldOut.values[i] <= p.upper).length;
  assert.ok(covered / 31 >= 0.6, `80 % intervals covered ${covered} of 31 held-out days`);
});

test('predictTotals: a month is the sum of its days, with the interval of the sum (narrower than the days\' bounds summed) holding the held-out total', async () => {
  const model = await fitRevenueForecast(history, { intervalWidth: 0.8 });
  const january = Array.from({ length: 31 }, (_, i) => d('2024-01-01') + i);
  const days = model.predictPeriods(january);
  const [month, one] = model.predictTotals([january, [january[3]]]);
  assert.ok(Math.abs(month.yhat - days.reduce((s, p) => s + p.yhat, 0)) < 1e-6);
  assert.ok(month.lower < month.yhat && month.yhat < month.upper);
  assert.ok(month.upper - month.lower < days.reduce((s, p) => s + p.upper - p.lower, 0) / 2, `${month.upper - month.lower}`);
  const actual = heldOut.values.reduce((a, b) => a + b, 0);
  assert.ok(month.lower <= actual && actual <= month.upper, `January ${actual.toFixed(0)} outside [${month.lower.toFixed(0)}, ${month.upper.toFixed(0)}]`);
  // One day alone, asked alone, is predictPeriods' point for it.
  const [alone] = model.predictTotals([[january[3]]]);
  const [point] = model.predictPeriods([january[3]]);
  assert.deepEqual([alone.yhat, alone.lower, alone.upper], [point.yhat, point.lower, point.upper]);
  assert.ok(Math.abs(one.yhat - point.yhat) < 1e-9);
});

test('with historical trend changes, intervals widen with the horizon (simulated future changepoints, Taylor & Letham §3.1.4)', async () => {
  const values = Array.from({ length: 730 }, (_, i) => 10_000 + 20 * Math.min(i, 250) - 35 * Math.max(0, i - 250) + 45 * Math.max(0, i - 480) + ((i * 7919) % 600));
  const model = await fitRevenueForecast({ granularity: 'day', startDay: d('2022-01-01'), values }, { uncertaintySamples: 500 });
  const points = model.predict(365);
  const width = (ps: ForecastPoint[]) => ps.reduce((s, p) => s + p.upper - p.lower, 0) / ps.length;
  assert.ok(width(points.slice(-30)) > 1.5 * width(points.slice(0, 30)), `${width(points.slice(0, 30))} → ${width(points.slice(-30))}`);
});

test('toJSON/fromJSON round trip (through JSON text) gives the same forecast, intervals and components', async () => {
  const holidays = holidayCalendar(RETAIL_HOLIDAYS);
  const model = await fitRevenueForecast(history, { holidays, seasonalityMode: 'multiplicative', transform: 'log', uncertaintySamples: 200, seed: 7 });
  const restored = FittedRevenueForecast.fromJSON(JSON.parse(JSON.stringify(model.toJSON())));
  assert.deepEqual(restored.toJSON(), model.toJSON());
  assert.deepEqual(restored.predict(120), model.predict(120));
  const days = Array.from({ length: 40 }, (_, i) => d('2023-11-01') + i);
  assert.deepEqual(restored.components(days), model.components(days));
  assert.deepEqual(restored.holidays, holidays);
  assert.deepEqual({ ...restored.settings }, { transform: 'log', intervalWidth: 0.8, uncertaintySamples: 200, seed: 7 });
  assert.throws(() => FittedRevenueForecast.fromJSON({ model: 'bg-nbd', version: 1 }), TypeError);
  assert.throws(() => FittedRevenueForecast.fromJSON({ ...model.toJSON(), features: [] }), TypeError);
});

test('a weekly series is forecast per ISO week (Monday start) without weekly seasonality', async () => {
  const weekly = weeklySeries(history);
  const model = await fitRevenueForecast(weekly, { uncertaintySamples: 100 });
  const points = model.predict(28);
  assert.equal(points.length, 4);
  for (const p of points) assert.equal(weekdayOf(p.day), 1);
  assert.equal(points[0].day, weekly.startDay + weekly.values.length * 7);
  assert.ok(model.components([points[0].day])[0].components.weekly === undefined);
  const actual = seriesPoints(weeklySeries(sliceSeries(threeYears, points[0].day, d('2024-01-31'))));
  const acc = monthlyAccuracy(asValues(points), actual, 'week');
  assert.ok(acc.mape! < 0.05, `weekly MAPE ${acc.mape}`);
});

test('forecasts are never negative: a falling linear trend is clamped at 0, the log transform decays towards 0', async () => {
  const values = Array.from({ length: 120 }, (_, i) => 10_000 - 80 * i + (i % 7) * 50);
  const falling: RevenueSeries = { granularity: 'day', startDay: d('2024-01-01'), values };
  const linear = (await fitRevenueForecast(falling, { uncertaintySamples: 100 })).predict(200);
  assert.ok(linear.every((p) => p.lower >= 0 && p.yhat >= 0 && p.upper >= 0));
  assert.equal(linear[linear.length - 1].yhat, 0);
  const log = (await fitRevenueForecast(falling, { transform: 'log', uncertaintySamples: 100 })).predict(200);
  assert.ok(log.every((p) => p.lower >= 0 && p.yhat >= 0 && p.upper >= 0));
  assert.ok(log[29].yhat > 0 && linear[29].yhat === 0, `day 30: log ${log[29].yhat}, linear ${linear[29].yhat}`);
});

test('too short a series fails with INSUFFICIENT_DATA; a bad option with INVALID_CONFIG naming it', async () => {
  const short: RevenueSeries = { granularity: 'day', startDay: 0, values: [1, 2, 3] };
  await assert.rejects(fitRevenueForecast(short), (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INSUFFICIENT_DATA);
  await assert.rejects(fitRevenueForecast(history, { intervalWidth: 1.5 }),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG && /intervalWidth/.test(e.message));
  await assert.rejects(fitRevenueForecast(history, { yearlySeasonality: -2 }),
    (e: unknown) => e instanceof ClvError && e.code === ErrorCodes.INVALID_CONFIG && /yearlySeasonality/.test(e.message));
});

test('synthetic demo history (20,000 customers, 2023-01..2025-06): fit to 2024-06-30, 12 held-out months, MAPE < 25 %', async (t) => {
  const h = generateSyntheticHistory({ customers: 20_000, start: '2023-01-01', end: '2025-06-30' });
  const all = revenueSeriesFromDays(h.truth.purchases, { fromDay: h.truth.startDay, toDay: h.truth.endDay });
  const train = sliceSeries(all, all.startDay, d('2024-06-30'));
  const test = sliceSeries(all, d('2024-07-01'), h.truth.endDay);
  // 18 months: Prophet's automatic rule wants 2 years for yearly seasonality; the Nov–Dec peak needs it.
  const model = await fitRevenueForecast(train, { yearlySeasonality: true, holidays: holidayCalendar(RETAIL_HOLIDAYS) });
  const points = model.predict(test.values.length);
  const acc = monthlyAccuracy(asValues(points), seriesPoints(test));
  t.diagnostic(`synthetic monthly MAPE ${(acc.mape! * 100).toFixed(1)} %, total error ${(acc.totalRelativeError! * 100).toFixed(1)} %`);
  assert.equal(acc.months.length, 12);
  assert.ok(acc.mape! < 0.25, `MAPE ${acc.mape}`);
});

test('CDNOW_master daily revenue: fit 1997-01..09, forecast to 1998-06-30 — monthly MAPE is finite and the forecast non-negative', async (t) => {
  if (!cdnowAvailable('CDNOW_master.txt')) return t.skip(cdnowSkipMessage('CDNOW_master.txt'));
  const entries: { day: number; valueMinor: number }[] = [];
  for (const days of readCdnowDays('CDNOW_master.txt').values()) for (const [day, valueMinor] of days) entries.push({ day, valueMinor });
  const all = revenueSeriesFromDays(entries, { fromDay: d('1997-01-01'), toDay: d('1998-06-30') });
  const test = sliceSeries(all, d('1997-10-01'), d('1998-06-30'));
  // Every CDNOW customer was acquired in Q1 1997, so revenue decays: the trend setting matters.
  const settings = [
    ['linear trend (Prophet default)', d('1997-01-01'), {}],
    ['log transform (exponential decay)', d('1997-01-01'), { transform: 'log' }],
    ['flat trend after acquisition (fit from 1997-04-01)', d('1997-04-01'), { growth: 'flat' }],
  ] as const;
  for (const [name, from, options] of settings) {
    const model = await fitRevenueForecast(sliceSeries(all, from, d('1997-09-30')), options);
    const points = model.predict(test.values.length);
    assert.ok(points.every((p) => p.lower >= 0 && p.yhat >= 0 && p.upper >= 0), name);
    const acc = monthlyAccuracy(asValues(points), seriesPoints(test));
    assert.ok(Number.isFinite(acc.mape), name);
    t.diagnostic(`${name}: monthly MAPE ${(acc.mape! * 100).toFixed(1)} %, total error ${(acc.totalRelativeError! * 100).toFixed(1)} %`);
  }
});
