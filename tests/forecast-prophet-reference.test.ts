/**
 * Our Prophet (augurs' WASM build of Prophet's Stan model, our design matrix and our
 * predictor) against Python Prophet on the same series with the same settings. The fits of
 * Python Prophet are fixtures, written by tests/fixtures/prophet-reference/generate.py (its
 * header says how to rerun it); each holds the series, the settings, the holiday dates, the
 * MAP estimate and the components on the history and a forecast horizon.
 *
 * Two questions, kept apart:
 *  1. Is it the same model? Python's own estimate, run through our features and predictor,
 *     must reproduce Python's trend, components and yhat to rounding, and our changepoints
 *     and y scale must be Python's exactly. Any difference in seasonality phase or scaling,
 *     holiday windows, changepoint placement or the multiplicative formula fails here.
 *  2. Does our fit find the same optimum? Both sides run Stan's L-BFGS from Prophet's start
 *     (cmdstan 2.37 with Prophet's options; augurs' WASM Stan with its defaults, as augurs
 *     passes no tolerances — our fits stop on Stan's relative-gradient test after ~700–800
 *     iterations on the changepoint series, not on an iteration cap). The objective is nearly
 *     flat along trend/changepoint trade-offs and has kinks (the Laplace prior on δ), so the
 *     two stop at slightly different points; augurs also hands Stan the columns in a
 *     different order from fit to fit (a Rust HashMap), and that alone moves our fit: over
 *     300 fits of the changepoint series its yhat lay 0.02–0.67 % of mean |y| from Python's
 *     (max over days). The objective is the fair judge: our estimate's log posterior is
 *     compared with Python's, and the components within tolerances measured over hundreds
 *     of fits (below).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateOfDayIndex, dayIndexOfDate } from '../core/calendar.js';
import {
  holidayCalendar, holidayDays, RETAIL_HOLIDAYS, VIETNAM_HOLIDAYS, type HolidayCalendar,
} from '../core/holidays/holiday-calendar.js';
import type { ProphetFitter } from '../models/forecast/augurs-prophet.js';
import type { FeatureSpec } from '../models/forecast/prophet-features.js';
import {
  fitRevenueForecast, FittedRevenueForecast, type RevenueForecastJson, type RevenueForecastOptions,
} from '../models/forecast/prophet-forecaster.js';
import type { RevenueSeries } from '../models/forecast/revenue-series.js';
import { readFixture } from './support/fixtures.js';

interface Reference {
  name: string;
  description: string;
  generatedBy: { prophet: string; cmdstan: string; algorithm: string };
  settings: {
    growth: 'linear'; n_changepoints: number; changepoint_range: number; changepoint_prior_scale: number;
    yearly_seasonality: 'auto'; weekly_seasonality: 'auto'; seasonality_prior_scale: number; holidays_prior_scale: number;
    interval_width: number; uncertainty_samples: number; mcmc_samples: number; scaling: 'absmax';
    seasonality_mode: 'additive' | 'multiplicative'; holidays_mode: 'additive' | 'multiplicative';
    seasonalities: Record<string, { period: number; fourier_order: number; prior_scale: number; mode: string }>;
    horizon_days: number;
  };
  holidays: { name: string; lowerWindow: number; upperWindow: number; dates: string[] }[];
  history: { start: string; y: number[] };
  params: {
    y_scale: number; k: number; m: number; delta: number[]; sigma_obs: number; lp: number;
    changepoints_t: number[]; changepoints: string[]; beta: Record<string, number>;
  };
  /** History then horizon, one row a day. */
  forecast: { trend: number[]; yearly: number[]; weekly: number[]; holidays?: number[]; yhat: number[]; yhat_lower: number[]; yhat_upper: number[] };
}

const REFERENCES = ['trend-seasonal', 'changepoints-multiplicative', 'holidays'].map((n) => readFixture<Reference>(`prophet-reference/${n}.json`));
const PROPHET = `Python Prophet ${REFERENCES[0].generatedBy.prophet}`;

/**
 * Tolerances for our own fit, as max |ours − Python| / mean |y| over every day of the history
 * and of the horizon. Measured worst over 300 fits of the changepoint series (each fit in a
 * process sees another column order, hence another stopping point): trend 0.48 %, yearly
 * 0.36 %, yhat 0.67 % (99th percentile 0.44 %), weekly 0.007 %; over 100 fits of each other
 * series: trend 0.14 %, yearly 0.05 %, holidays 0.17 %, yhat 0.12 %. The tolerances leave
 * 1.5× the worst of all; a modelling difference (a phase, a window, a scaling) is caught
 * exactly by the test that runs Python's estimate through our predictor.
 */
const TOLERANCE = { trend: 0.01, yearly: 0.01, weekly: 0.001, holidays: 0.01, yhat: 0.01 } as const;
/**
 * Our log posterior may fall short of Python's by this much (nats). Measured over 300 fits of
 * the changepoint series: ours − Python's from −2.59 (once) and −0.24 (1st percentile) to
 * +1.14 (augurs often stops higher than cmdstan); within ±0.04 on the other two series over 100
 * fits each. A different model costs far more on ~1000 observations.
 */
const LP_SHORTFALL = 3;
/**
 * Intervals are simulated (1000 paths each side, different generators), so they are compared
 * loosely: each bound within 3 % of mean |y| (measured ≤ 1.2 %: the 10 % and 90 % sample
 * quantiles of 1000 draws have a standard error of ~0.05 σ each side) and the mean width over
 * the history and over the horizon's last 30 days within 5 % (measured 0.995–1.007).
 */
const INTERVAL_BOUND = 0.03;
const INTERVAL_WIDTH_RATIO = 0.05;

const d = dayIndexOfDate;

function calendarOf(ref: Reference): HolidayCalendar {
  return holidayCalendar(ref.holidays.map((h) => ({ name: h.name, rule: { dates: h.dates }, lowerWindow: h.lowerWindow, upperWindow: h.upperWindow })));
}

/** Python's settings in our option names; 'auto' seasonality on both sides. */
function optionsOf(ref: Reference): RevenueForecastOptions {
  const s = ref.settings;
  assert.equal(s.mcmc_samples, 0, 'a MAP fit');
  assert.equal(s.scaling, 'absmax');
  assert.equal(s.holidays_mode, s.seasonality_mode);
  return {
    holidays: calendarOf(ref), growth: s.growth, nChangepoints: s.n_changepoints, changepointRange: s.changepoint_range,
    changepointPriorScale: s.changepoint_prior_scale, yearlySeasonality: s.yearly_seasonality, weeklySeasonality: s.weekly_seasonality,
    seasonalityMode: s.seasonality_mode, seasonalityPriorScale: s.seasonality_prior_scale, holidaysPriorScale: s.holidays_prior_scale,
    intervalWidth: s.interval_width, uncertaintySamples: s.uncertainty_samples, seed: 1,
  };
}

function seriesOf(ref: Reference): RevenueSeries {
  return { granularity: 'day', startDay: d(ref.history.start), values: ref.history.y };
}

/** Every fixture row's day: the history, then the horizon. */
function daysOf(ref: Reference): number[] {
  return ref.forecast.yhat.map((_, i) => d(ref.history.start) + i);
}

const meanAbsY = (ref: Reference) => ref.history.y.reduce((s, v) => s + Math.abs(v), 0) / ref.history.y.length;

/** Python's name of the design-matrix column a feature is (forecaster.py: make_seasonality_features, make_holiday_features). */
function prophetColumn(f: FeatureSpec): string {
  if (f.kind === 'fourier') return `${f.seasonality}_delim_${2 * (f.harmonic - 1) + (f.fn === 'sin' ? 1 : 2)}`;
  return `${f.holiday}_delim_${f.offset >= 0 ? '+' : '-'}${Math.abs(f.offset)}`;
}

const fits = new Map<string, Promise<FittedRevenueForecast>>();
/** One fit per series, shared by the tests below (a fit takes 0.4–1.6 s). */
function ourFit(ref: Reference): Promise<FittedRevenueForecast> {
  let fit = fits.get(ref.name);
  if (fit === undefined) fits.set(ref.name, (fit = fitRevenueForecast(seriesOf(ref), optionsOf(ref))));
  return fit;
}

/** Our model with Python's estimate in place of ours: same features, calendar and predictor. */
function withPythonEstimate(ref: Reference, json: RevenueForecastJson): FittedRevenueForecast {
  const p = ref.params;
  const beta = json.features.map((f) => {
    const b = p.beta[prophetColumn(f)];
    assert.ok(b !== undefined, `Python has no column ${prophetColumn(f)}`);
    return b;
  });
  return FittedRevenueForecast.fromJSON({
    ...json,
    settings: { ...json.settings, uncertaintySamples: 0 },
    estimate: { ...json.estimate, k: p.k, m: p.m, delta: p.delta, beta, sigmaObs: p.sigma_obs },
  });
}

/**
 * Prophet's Stan objective (prophet.stan's model block, as the optimiser sees it: `~`
 * statements drop constants, no Jacobian for σ > 0), in scaled units:
 *   k, m ~ N(0, 5); δ ~ Laplace(0, τ); σ ~ N(0, 0.5); β_j ~ N(0, s_j); y/yScale ~ N(ŷ/yScale, σ).
 */
function logPosterior(ref: Reference, model: FittedRevenueForecast): number {
  const { estimate: e, features } = model.toJSON();
  const historyDays = ref.history.y.map((_, i) => d(ref.history.start) + i);
  const yhat = model.predictPeriods(historyDays).map((p) => p.yhat);
  let lp = -0.5 * (e.k / 5) ** 2 - 0.5 * (e.m / 5) ** 2 - 0.5 * (e.sigmaObs / 0.5) ** 2;
  for (const delta of e.delta) lp -= Math.abs(delta) / ref.settings.changepoint_prior_scale;
  e.beta.forEach((b, j) => (lp -= 0.5 * (b / features[j].priorScale) ** 2));
  ref.history.y.forEach((y, i) => {
    const r = (y - yhat[i]) / e.yScale / e.sigmaObs;
    lp -= Math.log(e.sigmaObs) + 0.5 * r * r;
  });
  return lp;
}

interface Difference {
  history: number;
  horizon: number;
}

/**
 * Max |ours − Python| / mean |y| on the history and on the horizon. Multiplicative components
 * are fractions of the trend: both are multiplied by Python's trend first, so every component
 * is compared in money, against the same scale.
 */
function difference(ref: Reference, ours: readonly number[], python: readonly number[], multiplicative: boolean): Difference {
  const n = ref.history.y.length;
  const scale = meanAbsY(ref);
  const out = { history: 0, horizon: 0 };
  python.forEach((p, i) => {
    const w = multiplicative ? ref.forecast.trend[i] : 1;
    const diff = Math.abs(ours[i] * w - p * w) / scale;
    if (i < n) out.history = Math.max(out.history, diff);
    else out.horizon = Math.max(out.horizon, diff);
  });
  return out;
}

/** Trend, each seasonal component Python reports, and yhat, ours and Python's, by name. */
function componentPairs(ref: Reference, model: FittedRevenueForecast): { name: keyof typeof TOLERANCE; ours: number[]; python: number[]; multiplicative: boolean }[] {
  const days = daysOf(ref);
  const comps = model.components(days);
  const mult = ref.settings.seasonality_mode === 'multiplicative';
  const pairs: ReturnType<typeof componentPairs> = [{ name: 'trend', ours: comps.map((c) => c.trend), python: ref.forecast.trend, multiplicative: false }];
  for (const name of ['yearly', 'weekly', 'holidays'] as const) {
    const python = ref.forecast[name];
    if (python !== undefined) pairs.push({ name, ours: comps.map((c) => c.components[name] ?? 0), python, multiplicative: mult });
  }
  pairs.push({ name: 'yhat', ours: model.predictPeriods(days).map((p) => p.yhat), python: ref.forecast.yhat, multiplicative: false });
  return pairs;
}

const percent = (x: number) => `${(100 * x).toFixed(3)} %`;

test('the fixture\'s holiday days are those our built-in retail and Vietnam rules give, with the same windows', () => {
  const builtIn = [...RETAIL_HOLIDAYS, ...VIETNAM_HOLIDAYS];
  const withHolidays = REFERENCES.filter((r) => r.holidays.length > 0);
  assert.ok(withHolidays.length > 0);
  for (const ref of withHolidays) {
    for (const h of ref.holidays) {
      const ours = builtIn.find((b) => b.name === h.name);
      assert.ok(ours !== undefined, h.name);
      assert.deepEqual([ours.lowerWindow, ours.upperWindow], [h.lowerWindow, h.upperWindow], h.name);
      const from = d(h.dates[0].slice(0, 4) + '-01-01');
      const to = d(h.dates[h.dates.length - 1].slice(0, 4) + '-12-31');
      assert.deepEqual(holidayDays(ours, from, to).map(dateOfDayIndex), h.dates, h.name);
    }
  }
});

for (const ref of REFERENCES) {
  test(`${ref.name}: ${PROPHET}'s own estimate through our features and predictor reproduces its trend, components and yhat`, async (t) => {
    const json = (await ourFit(ref)).toJSON();
    // Same data and time scaling, same potential changepoints.
    assert.equal(json.estimate.yScale, ref.params.y_scale);
    assert.equal(json.estimate.tChange.length, ref.params.changepoints_t.length);
    json.estimate.tChange.forEach((s, j) => assert.ok(Math.abs(s - ref.params.changepoints_t[j]) < 1e-12, `changepoint ${j}: ${s} vs ${ref.params.changepoints_t[j]}`));
    // Same seasonalities by Prophet's 'auto' rule, same orders, modes and priors.
    for (const [name, s] of Object.entries(ref.settings.seasonalities)) {
      const cols = json.features.filter((f) => f.kind === 'fourier' && f.seasonality === name);
      assert.equal(cols.length, 2 * s.fourier_order, name);
      for (const f of cols) assert.ok(f.kind === 'fourier' && f.periodDays === s.period && f.priorScale === s.prior_scale && f.mode === s.mode, name);
    }
    // Python keeps columns for holiday days the history never saw; we drop them. Their β
    // stays exactly 0 (only the prior acts on it), so dropping them changes nothing.
    const ourColumns = new Set(json.features.map(prophetColumn));
    for (const [name, b] of Object.entries(ref.params.beta)) if (!ourColumns.has(name)) assert.equal(b, 0, name);

    const python = withPythonEstimate(ref, json);
    for (const { name, ours, python: theirs, multiplicative } of componentPairs(ref, python)) {
      const diff = difference(ref, ours, theirs, multiplicative);
      // The fixture keeps 8 significant figures: 1e-6 of mean |y| is rounding, nothing else.
      assert.ok(Math.max(diff.history, diff.horizon) < 1e-6, `${name}: ${percent(diff.history)} (history), ${percent(diff.horizon)} (horizon)`);
    }
    // Our objective, from Python's estimate, is the one Stan reported: the same likelihood
    // over the same design matrix, and the same priors.
    const lp = logPosterior(ref, python);
    t.diagnostic(`log posterior of Python's estimate: ours ${lp.toFixed(4)}, Stan's ${ref.params.lp}`);
    assert.ok(Math.abs(lp - ref.params.lp) < 1e-3, `${lp} vs ${ref.params.lp}`);
  });

  test(`${ref.name}: our fit matches ${PROPHET}: trend, seasonal components and yhat within 1 % of mean |y| (weekly 0.1 %)`, async (t) => {
    const model = await ourFit(ref);
    t.diagnostic(ref.description);
    const lp = logPosterior(ref, model);
    t.diagnostic(`log posterior: ours ${lp.toFixed(3)}, ${PROPHET} ${ref.params.lp.toFixed(3)} (${ref.generatedBy.algorithm}, cmdstan ${ref.generatedBy.cmdstan}); ours ${model.diagnostics.algorithm}`);
    assert.ok(lp > ref.params.lp - LP_SHORTFALL, `our optimum ${lp} is worse than Python's ${ref.params.lp}`);
    for (const { name, ours, python, multiplicative } of componentPairs(ref, model)) {
      const diff = difference(ref, ours, python, multiplicative);
      t.diagnostic(`${name}: max |ours − Python| / mean |y| = ${percent(diff.history)} on the history, ${percent(diff.horizon)} on the ${ref.settings.horizon_days}-day horizon`);
      assert.ok(diff.history < TOLERANCE[name] && diff.horizon < TOLERANCE[name], `${name}: ${percent(diff.history)} / ${percent(diff.horizon)} ≥ ${percent(TOLERANCE[name])}`);
    }
  });

  test(`${ref.name}: our simulated 80 % intervals are close to ${PROPHET}'s (loosely: both are Monte Carlo)`, async (t) => {
    const model = await ourFit(ref);
    const points = model.predictPeriods(daysOf(ref));
    const lower = difference(ref, points.map((p) => p.lower), ref.forecast.yhat_lower, false);
    const upper = difference(ref, points.map((p) => p.upper), ref.forecast.yhat_upper, false);
    t.diagnostic(`bounds: lower ${percent(lower.history)} / ${percent(lower.horizon)}, upper ${percent(upper.history)} / ${percent(upper.horizon)} of mean |y| (history / horizon)`);
    for (const diff of [lower, upper]) assert.ok(Math.max(diff.history, diff.horizon) < INTERVAL_BOUND, JSON.stringify(diff));
    const n = ref.history.y.length;
    const N = points.length;
    const meanWidth = (lo: number[], up: number[], from: number, to: number) => {
      let s = 0;
      for (let i = from; i < to; i++) s += up[i] - lo[i];
      return s / (to - from);
    };
    for (const [label, from, to] of [['history', 0, n], ['last 30 horizon days', N - 30, N]] as const) {
      const ratio = meanWidth(points.map((p) => p.lower), points.map((p) => p.upper), from, to) / meanWidth(ref.forecast.yhat_lower, ref.forecast.yhat_upper, from, to);
      t.diagnostic(`mean interval width, ${label}: ours / Python = ${ratio.toFixed(3)}`);
      assert.ok(Math.abs(ratio - 1) < INTERVAL_WIDTH_RATIO, `${label}: ${ratio}`);
    }
  });
}

interface AutoSeasonalityCase {
  granularity: 'day' | 'week';
  start: string;
  periods: number;
  yearly: number;
  weekly: number;
  daily: number;
}

/** Fits nothing: a zero estimate, which the forecaster's in-sample check accepts (all zeros). */
const zeroFitter: ProphetFitter = {
  fit: (input) => ({
    k: 0, m: 0, delta: [], beta: input.columns.map(() => 0), sigmaObs: 1, tChange: [], yScale: 1,
    fittedInSample: input.y.map(() => 0), algorithm: 'lbfgs', restarted: false,
  }),
};

test(`'auto' seasonality switches on where ${PROPHET}'s does: yearly from 731 daily values (730 days from first to last), weekly from 15`, async () => {
  const { cases } = readFixture<{ cases: AutoSeasonalityCase[] }>('prophet-reference/auto-seasonality.json');
  for (const c of cases) {
    const series: RevenueSeries = { granularity: c.granularity, startDay: d(c.start), values: Array.from({ length: c.periods }, (_, i) => 1 + (i % 5)) };
    const { features } = (await fitRevenueForecast(series, { fitter: zeroFitter, uncertaintySamples: 0 })).toJSON();
    const order = (name: string) => features.filter((f) => f.kind === 'fourier' && f.seasonality === name).length / 2;
    assert.deepEqual({ yearly: order('yearly'), weekly: order('weekly'), daily: order('daily') }, { yearly: c.yearly, weekly: c.weekly, daily: c.daily },
      `${c.periods} ${c.granularity}s from ${c.start}`);
  }
});
