/**
 * The seasonal kind against the plain one on synthetic shops from the project's generator
 * (whose truth is a BG/NBD process thinned by a known season), fixed seeds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../config/config.js';
import { dayIndexOfDate } from '../core/calendar.js';
import { evaluationWindow, purchaseDaysByCustomer } from '../evaluation/model-evaluation-window.js';
import { modelFromArtifact } from '../models/kinds/model-kinds.js';
import { EnsembleModel } from '../models/kinds/ensemble-model.js';
import { SeasonalBgNbdGammaGammaModel } from '../models/kinds/seasonal-bgnbd-gamma-gamma-model.js';
import { trainCustomerValueModel, trainingSettingsFrom } from '../models/kinds/train-customer-value-model.js';
import { dailyRepeatPurchases, trainSeasonalModel } from '../models/kinds/train-seasonal-model.js';
import { FLAT_SEASONALITY } from '../producers/synthetic/options.js';
import { generateSyntheticHistory } from '../producers/synthetic/synthetic-history.js';
import type { SyntheticHistoryInput } from '../producers/synthetic/options.js';

const settings = { ...trainingSettingsFrom(loadConfig({}), 'seasonal-test'), periodDays: 7 };

function shop(input: SyntheticHistoryInput, calibrationEnd: string) {
  const h = generateSyntheticHistory({ customers: 4000, seed: 5, start: '2022-01-01', end: '2024-12-31', noise: { duplicateRate: 0, reorderRate: 0, lateRate: 0, invalidRate: 0, poisonRate: 0 }, ...input });
  const by = purchaseDaysByCustomer(h.truth.purchases.map((p) => ({ customerId: p.customerId, day: p.day, amountMinor: p.valueMinor })));
  const cut = dayIndexOfDate(calibrationEnd);
  return evaluationWindow(by, cut, cut + 365, 7, 100);
}

function holdoutError(model: { expectedOver(x: never, p: number): { purchases: number; avgValue: number } }, w: ReturnType<typeof shop>): number {
  let predicted = 0;
  let actual = 0;
  w.inputs.forEach((x, i) => {
    const e = model.expectedOver(x as never, 365 / 7);
    predicted += e.purchases * e.avgValue;
    actual += w.actualValue[i];
  });
  return predicted / actual - 1;
}

test('a calibration ending on the December peak: the plain model reads the peak as faster customers, the seasonal one does not', async () => {
  const w = shop({}, '2023-12-31');
  const plain = trainCustomerValueModel(w.inputs, settings);
  const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, w.cutDay), settings);
  const errPlain = holdoutError(plain, w);
  const errSeasonal = holdoutError(seasonal, w);
  assert.ok(errPlain > 0.1, `BG/NBD over-forecasts after the peak: ${errPlain}`);
  assert.ok(Math.abs(errSeasonal) < Math.abs(errPlain) / 2, `seasonal ${errSeasonal} vs plain ${errPlain}`);
  assert.equal(seasonal.intensity.yearly, true);
});

test('a shop without a season: the seasonal model predicts what the plain one does (no harm)', async () => {
  const w = shop({ seasonality: FLAT_SEASONALITY }, '2023-12-31');
  const plain = trainCustomerValueModel(w.inputs, settings);
  const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, w.cutDay), settings);
  const errPlain = holdoutError(plain, w);
  const errSeasonal = holdoutError(seasonal, w);
  assert.ok(Math.abs(errSeasonal - errPlain) < 0.02, `seasonal ${errSeasonal} vs plain ${errPlain}`);
});

test('the CLV of the same customer scored in November counts December; scored in May it does not', async () => {
  const w = shop({}, '2023-12-31');
  const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, w.cutDay), settings);
  const customer = (asOf: string) => ({ asOfDay: dayIndexOfDate(asOf), frequency: 4, recency: 30, T: 40, monetaryValue: 30 });
  const november = seasonal.expectedPurchasesWithin(customer('2024-11-10'), 60);
  const may = seasonal.expectedPurchasesWithin(customer('2024-05-10'), 60);
  assert.ok(november > may * 1.2, `60 days from 10 Nov: ${november}; from 10 May: ${may}`);
  // The plain model cannot tell the two apart.
  const plain = trainCustomerValueModel(w.inputs, settings);
  assert.equal(plain.expectedPurchasesWithin(customer('2024-11-10'), 60), plain.expectedPurchasesWithin(customer('2024-05-10'), 60));
});

test('its artifact loads back through the model kinds into a model that predicts the same', async () => {
  const w = shop({}, '2023-12-31');
  const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, w.cutDay), settings);
  const loaded = modelFromArtifact('v', 'seasonal-bgnbd-gamma-gamma', JSON.parse(JSON.stringify(seasonal.toJSON())));
  assert.ok(loaded instanceof SeasonalBgNbdGammaGammaModel);
  for (const x of w.inputs.slice(0, 50)) {
    const a = seasonal.predict(x);
    const b = loaded.predict(x);
    assert.ok(Math.abs(a.clv - b.clv) <= 1e-9 * Math.max(1, a.clv), `${a.clv} vs ${b.clv}`);
    assert.ok(Math.abs(a.interval!.upper - b.interval!.upper) <= 1e-9 * Math.max(1, a.interval!.upper));
  }
});

test('clvOf, the CLV without the interval, is what predict gives, for the plain, seasonal and ensemble kinds', async () => {
  const w = shop({}, '2023-12-31');
  const seasonal = await trainSeasonalModel(w.inputs, dailyRepeatPurchases(w.histories, w.cutDay), settings);
  const plain = trainCustomerValueModel(w.inputs, settings);
  const ensemble = new EnsembleModel('e', [{ name: 'bgnbd', weight: 0.3, model: plain }, { name: 'seasonal', weight: 0.7, model: seasonal }], plain.thresholds);
  // Scored as of many days (the seasonal scorers are per as-of day), in an order that revisits them.
  const inputs = w.inputs.slice(0, 300).map((x, i) => ({ ...x, asOfDay: x.asOfDay + ((i * 37) % 200), T: x.T + ((i * 37) % 200) / 7 }));
  for (const model of [plain, seasonal, ensemble]) {
    for (const x of [...inputs, ...inputs.slice().reverse()]) assert.equal(model.clvOf(x), model.predict(x).clv, model.kind);
  }
  assert.ok(inputs.some((x) => ensemble.clvOf(x) !== plain.clvOf(x)), 'the blend differs from its plain member');
});
