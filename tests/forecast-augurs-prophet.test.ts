import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ClvError, ErrorCodes } from '../core/errors.js';
import { AUGURS_PACKAGE, loadAugursProphet, WASMSTAN_PACKAGE, type ProphetFitInput } from '../models/forecast/augurs-prophet.js';
import { pointForecast } from '../models/forecast/prophet-prediction.js';
import { fitRevenueForecast } from '../models/forecast/prophet-forecaster.js';

const DAY_S = 86_400;
const START_DAY = 19_000;

function failingImporter(pkg: string) {
  return (specifier: string) => (specifier.startsWith(pkg) ? Promise.reject(new Error(`Cannot find package '${pkg}'`)) : import(specifier));
}

for (const pkg of [AUGURS_PACKAGE, WASMSTAN_PACKAGE]) {
  test(`a ${pkg} that does not load fails with DEPENDENCY_FAILED naming the package`, async () => {
    await assert.rejects(loadAugursProphet(failingImporter(pkg)), (e: unknown) => {
      assert.ok(e instanceof ClvError);
      assert.equal(e.code, ErrorCodes.DEPENDENCY_FAILED);
      assert.ok(e.message.includes(pkg), e.message);
      assert.ok(e.cause instanceof Error);
      return true;
    });
  });
}

/** y = 100 + 0.5·i + Σ_j b_j·x_j(i), x_j pseudo-random, so each β is identifiable. */
function plantedInput(n: number, betas: number[], priorScales: number[]): ProphetFitInput {
  const columns = betas.map((_, j) => ({
    values: Array.from({ length: n }, (_, i) => Math.sin(1.7 * (i + 1) * (j + 1)) + (j === 0 ? 0.3 : 0)),
    priorScale: priorScales[j], mode: 'additive' as const,
  }));
  const y = Array.from({ length: n }, (_, i) => 100 + 0.5 * i + betas.reduce((s, b, j) => s + b * columns[j].values[i], 0));
  return {
    ds: y.map((_, i) => (START_DAY + i) * DAY_S), y, growth: 'linear', nChangepoints: 5, changepointRange: 0.8, changepointPriorScale: 0.05, columns,
  };
}

test('β comes back in the caller\'s column order whatever order augurs hands the columns to Stan', async () => {
  const fitter = await loadAugursProphet();
  const betas = [12, -7, 3, 0, 25, -15, 1, 9, -4, 6, 2, -1];
  // Equal prior scales for some columns: the match must rest on the values, not only the scale.
  const input = plantedInput(200, betas, betas.map((_, j) => (j % 3 === 0 ? 10 : 5 + j)));
  for (let run = 0; run < 3; run++) {
    const fit = fitter.fit(input);
    fit.beta.forEach((b, j) => assert.ok(Math.abs(b * fit.yScale - betas[j]) < 0.05, `run ${run}, β${j}: ${b * fit.yScale} vs ${betas[j]}`));
  }
});

test('the pure predictor reproduces augurs\' own in-sample forecast from the returned estimate', async () => {
  const fitter = await loadAugursProphet();
  const input = plantedInput(150, [4, -2, 8], [10, 10, 3]);
  input.columns = input.columns.map((c, j) => ({ ...c, mode: j === 1 ? 'multiplicative' : 'additive' }));
  const fit = fitter.fit(input);
  const days = input.ds.map((s) => s / DAY_S);
  const parts = pointForecast({
    growth: 'linear', k: fit.k, m: fit.m, delta: fit.delta, tChange: fit.tChange, beta: fit.beta, modes: input.columns.map((c) => c.mode),
    sigmaObs: fit.sigmaObs, yScale: fit.yScale, tStartDay: days[0], tScaleDays: days[days.length - 1] - days[0],
  }, days, input.columns.map((c) => c.values));
  parts.yhat.forEach((v, i) => assert.ok(Math.abs(v - fit.fittedInSample[i]) < 1e-9 * fit.yScale, `row ${i}: ${v} vs ${fit.fittedInSample[i]}`));
});

test('with a tiny changepoint prior (τ = 0.001) L-BFGS stops at Prophet\'s start; a restart off δ = 0 converges', async () => {
  const fitter = await loadAugursProphet();
  const y = Array.from({ length: 120 }, (_, i) => 300_000 * Math.exp(-i / 40) + 80_000 + ((i * 7919) % 1000) * 50);
  const fit = fitter.fit({
    ds: y.map((_, i) => (START_DAY + i) * DAY_S), y, growth: 'linear', nChangepoints: 25, changepointRange: 0.8, changepointPriorScale: 0.001, columns: [],
  });
  assert.equal(fit.restarted, true);
  assert.equal(fit.algorithm, 'lbfgs');
  assert.ok(fit.k < 0, 'the fitted trend falls');
});

test('a fit with no columns at all works (Stan needs K ≥ 1: augurs pads a zero column)', async () => {
  const fitter = await loadAugursProphet();
  const y = Array.from({ length: 60 }, (_, i) => 50 + i);
  const fit = fitter.fit({ ds: y.map((_, i) => (START_DAY + i) * DAY_S), y, growth: 'flat', nChangepoints: 0, changepointRange: 0.8, changepointPriorScale: 0.05, columns: [] });
  assert.deepEqual(fit.beta, []);
  assert.ok(Math.abs(fit.m * fit.yScale - 79.5) < 1, `flat level ${fit.m * fit.yScale}`);
});

test('the same series fitted again in the same process gives the same estimate (augurs\' column order does not leak into the fit)', async () => {
  const n = 900;
  const values = Array.from({ length: n }, (_, i) => 100 + i * 0.1 + 20 * Math.sin((2 * Math.PI * i) / 365.25) + 8 * Math.sin((2 * Math.PI * i) / 7) + ((i * 7919) % 13));
  const forecasts: number[] = [];
  for (let k = 0; k < 4; k++) {
    const f = await fitRevenueForecast({ granularity: 'day', startDay: 19000, values }, { seasonalityMode: 'multiplicative', yearlySeasonality: true, uncertaintySamples: 0 });
    forecasts.push(f.predictPeriods([19000 + n + 30])[0].yhat);
  }
  assert.deepEqual(new Set(forecasts).size, 1, forecasts.join(', '));
});
